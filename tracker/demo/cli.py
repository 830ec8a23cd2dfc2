"""`flask demo load`: fill an empty database with the demo data and print its accounts once."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.demo import data
from tracker.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing (quietly) when the database already holds data, instead of refusing.",
)
def load_command(if_empty: bool) -> None:
    """Load demo units, one account per role and one evaluation into an empty database."""
    if data.has_data():
        if if_empty:
            return
        raise click.ClickException(
            "The database already holds data (units, users or evaluations); "
            "demo data is only loaded into an empty database."
        )
    credentials = data.load()
    db.session.commit()
    click.echo(_credentials_table(credentials))


def _credentials_table(credentials: list[data.Credential]) -> str:
    """The accounts as a plain-text table, with a note that it is shown only once."""
    rows = [("Role", "Unit", "E-mail", "Password")]
    rows += [(c.role, c.units, c.email, c.password) for c in credentials]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "  ".join("-" * width for width in widths)
    lines = [
        "Demo data loaded. Sign in at http://127.0.0.1:5000/login with these accounts.",
        "The passwords are random and shown only this once: note them now.",
        "",
    ]
    for index, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append(rule)
    return "\n".join(lines)
