"""Peak memory of the server process while one 200 MB evidence file is uploaded.

Issue #4: "uploading a 200 MB file raises the server process's peak memory by less than 30 MB".
The app runs in its own process (werkzeug's threaded server, `wsgi.app`) on a temporary SQLite
database built by `flask db upgrade`; this script logs in over HTTP as a koordinator and posts a
200 MB PDF-headed file as multipart/form-data, streamed from disk (the client never holds it
either). The server's peak RSS (VmHWM in /proc/<pid>/status) is reset just before the upload
(`echo 5 > /proc/<pid>/clear_refs`), so the delta is what the upload itself added.

    .venv/bin/python bench/bench_upload_memory.py                 # 200 MB, limit 30 MB
    .venv/bin/python bench/bench_upload_memory.py --size-mb 100 --limit-mb 30 --keep

Exit status 1 when the delta is not below the limit (or the upload failed). Linux only.
`--control` makes the server read the whole request body into memory before the app sees it:
a negative control showing the measurement catches a buffered upload (it must FAIL).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "koordinator@bench.example.com"
PASSWORD = "bench-upload-123"  # a throwaway account in a throwaway database
CHUNK = 1024 * 1024
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- the server process -------------------------------------------------------------------


def serve(workdir: Path) -> None:
    """Create the account and a follow-up with the app's models, then serve `wsgi.app`."""
    sys.path.insert(0, str(ROOT))
    from werkzeug.serving import make_server

    from tracker.auth.models import Role, User
    from tracker.auth.services import hash_password
    from tracker.evaluations.models import Evaluation, Recommendation
    from tracker.extensions import db
    from tracker.followups.models import FollowUp
    from tracker.units.models import Unit
    from wsgi import app

    with app.app_context():
        unit = Unit(code="UPM", name="Unit Penjaminan Mutu")
        user = User(
            email=EMAIL,
            name="Koordinator Bench",
            role=Role.KOORDINATOR,
            password_hash=hash_password(PASSWORD),
        )
        evaluation = Evaluation(institution="Politeknik Bench", year=2024)
        recommendation = Recommendation(number=1, text="Unggah data dukung besar.")
        recommendation.followup = FollowUp(units=[unit], due_date=date(2099, 12, 31))
        evaluation.recommendations.append(recommendation)
        db.session.add_all([unit, user, evaluation])
        db.session.commit()
        followup_id = recommendation.followup.id
        db.session.remove()

    if os.environ.get("BENCH_BUFFER_BODY"):  # the negative control: hold the body in memory
        wsgi_app = app.wsgi_app

        def buffered(environ, start_response):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
            return wsgi_app(environ, start_response)

        app.wsgi_app = buffered
    server = make_server("127.0.0.1", 0, app, threaded=True)
    ready = {"port": server.server_port, "followup_id": followup_id}
    (workdir / "ready.tmp").write_text(json.dumps(ready))
    (workdir / "ready.tmp").rename(workdir / "ready.json")
    server.serve_forever()


# --- memory -------------------------------------------------------------------------------


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# --- a small HTTP client with cookies -----------------------------------------------------


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _finish(self, conn: http.client.HTTPConnection) -> tuple[int, str]:
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, body

    def get(self, path: str) -> tuple[int, str]:
        conn = self._connection()
        conn.request("GET", path, headers=self._headers())
        return self._finish(conn)

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        conn = self._connection()
        body = urlencode(fields)
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        conn.request("POST", path, body=body, headers=headers)
        return self._finish(conn)

    def post_file(self, path: str, fields: dict, name: str, file: Path) -> tuple[int, str]:
        """multipart/form-data with a known Content-Length; the file is sent in 1 MB chunks."""
        boundary = uuid.uuid4().hex
        head = b"".join(
            _part(boundary, key) + f"{value}\r\n".encode() for key, value in fields.items()
        )
        head += _part(boundary, name, f'; filename="{file.name}"', "application/pdf")
        tail = f"\r\n--{boundary}--\r\n".encode()
        conn = self._connection()
        conn.putrequest("POST", path)
        headers = self._headers(
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + file.stat().st_size + len(tail)),
            }
        )
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        conn.send(head)
        with file.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                conn.send(chunk)
        conn.send(tail)
        return self._finish(conn)

    def csrf(self, path: str) -> str:
        status, html = self.get(path)
        match = _CSRF.search(html)
        if not match:
            raise SystemExit(f"no CSRF token on {path} (HTTP {status})")
        return match.group(1)


def _part(boundary: str, name: str, extra: str = "", content_type: str = "") -> bytes:
    """The headers of one multipart part, up to and including the blank line."""
    lines = [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"{extra}']
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# --- the benchmark ------------------------------------------------------------------------


def make_pdf(path: Path, size: int) -> None:
    """A file the upload check takes for a PDF: header, random body, %%EOF."""
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    left = size - len(head) - len(tail)
    with path.open("wb") as out:
        out.write(head)
        while left > 0:
            n = min(CHUNK, left)
            out.write(os.urandom(n))
            left -= n
        out.write(tail)


def start_server(workdir: Path, env: dict) -> tuple[subprocess.Popen, dict]:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(workdir)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not (workdir / "ready.json").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit((workdir / "server.log").read_text())
        time.sleep(0.05)
    return server, json.loads((workdir / "ready.json").read_text())


def run(size_mb: int, limit_mb: int, workdir: Path, control: bool) -> bool:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "MAIL_FOLDER": str(workdir / "mail"),
        "MAX_UPLOAD_MB": str(size_mb + 50),
        "TMPDIR": str(workdir / "tmp"),  # where werkzeug spools the upload
        "TRACKER_CONFIG": "development",
    }
    if control:
        env["BENCH_BUFFER_BODY"] = "1"
    (workdir / "tmp").mkdir()
    file = workdir / "data-dukung-besar.pdf"
    make_pdf(file, size_mb * 1024 * 1024)
    server, ready = start_server(workdir, env)
    pid = server.pid
    try:
        client = Client(ready["port"])
        token = client.csrf("/login")
        status, _ = client.post_form(
            "/login", {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"login failed: HTTP {status}")
        page = f"/followups/{ready['followup_id']}"
        token = client.csrf(page)  # also warms the page's templates up
        fields = {"csrf_token": token, "title": "", "document_date": "2025-06-02", "note": ""}
        before_hwm = status_kb(pid, "VmHWM")
        reset = reset_peak(pid)
        baseline = status_kb(pid, "VmRSS") if reset else before_hwm
        started = time.monotonic()
        status, body = client.post_file(f"{page}/evidence", fields, "file", file)
        seconds = time.monotonic() - started
        peak = status_kb(pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(10)
    stored = [
        p for p in (workdir / "uploads").rglob("*") if p.is_file() and "incoming" not in p.parts
    ]
    stored_ok = status == 302 and any(p.stat().st_size == file.stat().st_size for p in stored)
    delta = (peak - baseline) / 1024
    print(f"upload of {size_mb} MB: HTTP {status} in {seconds:.1f} s, stored: {stored_ok}")
    print(
        f"server peak RSS: baseline {baseline / 1024:.1f} MB"
        f" ({f'VmRSS after resetting VmHWM from {before_hwm / 1024:.1f}' if reset else 'VmHWM'}),"
        f" peak {peak / 1024:.1f} MB, delta {delta:.1f} MB (limit {limit_mb} MB)"
    )
    if not stored_ok:
        print(body[:2000])
    passed = stored_ok and delta < limit_mb
    print("PASS" if passed else "FAIL")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--limit-mb", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--control",
        action="store_true",
        help="negative control: the server reads the whole body into memory first (must FAIL)",
    )
    parser.add_argument("--serve", metavar="WORKDIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve))
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        passed = run(args.size_mb, args.limit_mb, workdir, args.control)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
