"""Check that a test database answers; if not, say how to start its server and exit 1.

Usage: python scripts/check_db.py DATABASE_URL
"""

from __future__ import annotations

import sys

import sqlalchemy as sa

# The start commands of this machine's services (see the machine description).
START_COMMANDS = {
    "postgresql": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "mysql": "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
}
CREATE_COMMANDS = {
    "postgresql": "psql -h 127.0.0.1 -U postgres -c 'create database {name}'",
    "mysql": "mariadb -h 127.0.0.1 -uroot -e 'create database {name}'",
}


def check(url: str) -> int:
    """Connect once and run SELECT 1; return a process exit code."""
    parsed = sa.engine.make_url(url)
    backend = parsed.get_backend_name()
    timeout_arg = {"postgresql": "connect_timeout", "mysql": "connect_timeout"}.get(backend)
    connect_args = {timeout_arg: 5} if timeout_arg else {}
    engine = sa.create_engine(url, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error means "not usable": report it
        shown = parsed.render_as_string(hide_password=True)
        print(f"ERROR: cannot use the test database {shown}", file=sys.stderr)
        print(f"       {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        if backend in START_COMMANDS:
            print("If the server is down, start it (as root) with:", file=sys.stderr)
            print(f"    {START_COMMANDS[backend]}", file=sys.stderr)
            print("If the database does not exist, create it with:", file=sys.stderr)
            print(f"    {CREATE_COMMANDS[backend].format(name=parsed.database)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(check(sys.argv[1]))
