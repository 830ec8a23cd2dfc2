"""Page times and SQL statement counts of the dashboard, the follow-up list and the XLSX matrix.

Issue #6: "At 50,000 follow-ups and 200,000 evidence rows the dashboard and the lists answer in
under 300 ms each on SQLite and PostgreSQL, with a fixed number of SQL queries per page whatever
the data size; the XLSX of 10,000 rows takes under 3 s."

The script opens a database filled by bench/generate.py and builds the app on it with the
development config (CSRF on). It logs a koordinator, a pimpinan and the PIC who sees the most
follow-ups in through the real login form with Flask's test client, so every request goes
through the whole WSGI stack: session cookie, user loader, view, queries, templates,
after-request hooks. Each line is requested --warmup times, then --runs times; the script
prints the median and 95th percentile of the wall time, the number of SQL statements the
request sent and the size of the answer, and PASS/FAIL of the median against the limit (300 ms
for pages, 3 s for the XLSX). Exit status 1 on FAIL. It writes nothing but the logins'
bookkeeping, and on PostgreSQL a VACUUM ANALYZE when the tables never had one (see
`vacuum_if_never`).

    .venv/bin/python bench/bench_pages.py --database-url sqlite:////tmp/bench/bench_generate.sqlite3
    .venv/bin/python bench/bench_pages.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_generate \\
        --xlsx-database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_generate_big
    .venv/bin/python bench/bench_pages.py --database-url URL --only "list, middle" \\
        --profile "list, middle"

The XLSX line exports the smallest evaluation with at least --xlsx-rows follow-ups, from
--xlsx-database-url (default: the same database); a data set made with `--per-evaluation 12500`
has one such LHE per year. Without one it exports the largest evaluation and says so.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "sakip-bench-2026"  # bench/generate.py gives every account this password


@dataclass
class Line:
    label: str
    who: str  # key of the logged-in client
    url: str
    limit: float  # seconds
    note: str = ""


@dataclass
class Result:
    line: Line
    median: float
    p95: float
    queries: str  # "12", or "12-14" when it varied
    size: int

    @property
    def ok(self) -> bool:
        return self.median < self.line.limit


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def make_app(url: str):
    from tracker import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "DEBUG": False})


def login(app, email: str):
    """A test client logged in through the login form (CSRF token read from the page)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"login of {email} failed ({answer.status_code})")
    return client


class Counter:
    """Counts the statements sent through the app's engine."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.n += 1


def measure(client, counter: Counter, line: Line, runs: int, warmup: int) -> Result:
    for _ in range(warmup):
        check(client.get(line.url), line)
    times: list[float] = []
    counts: list[int] = []
    size = 0
    for _ in range(runs):
        counter.n = 0
        start = time.perf_counter()
        answer = client.get(line.url)
        body = answer.get_data()
        times.append(time.perf_counter() - start)
        counts.append(counter.n)
        check(answer, line)
        size = len(body)
    low, high = min(counts), max(counts)
    queries = str(low) if low == high else f"{low}-{high}"
    return Result(line, statistics.median(times), percentile(times, 0.95), queries, size)


def check(answer, line: Line) -> None:
    if answer.status_code != 200:
        raise SystemExit(f"{line.label}: {line.url} answered {answer.status_code}")


def profile(client, line: Line) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(line.url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    print(f"\n--- profile of {line.label} ({line.url})\n{out.getvalue()}")


# --- what to measure --------------------------------------------------------------------------


def vacuum_if_never(app) -> None:
    """PostgreSQL: VACUUM ANALYZE when no table was ever vacuumed or analyzed. On a default
    server autovacuum does both within a minute of a bulk load (PostgreSQL 13+ vacuums
    insert-only tables too); where it is off, as in the dev container, the planner guesses
    every row count and each index-only scan visits the table, plans no real server runs."""
    from sqlalchemy import text

    from tracker.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect() as conn:
            done = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
                    "OR last_autoanalyze IS NOT NULL OR last_vacuum IS NOT NULL "
                    "OR last_autovacuum IS NOT NULL"
                )
            )
        if not done:
            print("tables never vacuumed nor analyzed (autovacuum off?): VACUUM ANALYZE")
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))


def facts(app) -> dict:
    """The accounts, evaluations and units the lines use, read from the data set."""
    from sqlalchemy import func, select

    from tracker.auth.models import Role, User
    from tracker.core.permissions import visible_followup_ids
    from tracker.evaluations.models import Evaluation, Recommendation
    from tracker.extensions import db
    from tracker.followups.models import CLOSED_STATUSES, FollowUp, followup_units

    with app.app_context():
        session = db.session
        first = {
            role: session.scalar(
                select(User).where(User.role == role, User.active.is_(True)).order_by(User.id)
            )
            for role in (Role.KOORDINATOR, Role.PIMPINAN)
        }
        best_pic, best_count = None, -1
        for pic in session.scalars(select(User).where(User.role == Role.PIC, User.active)):
            count = session.scalar(
                select(func.count()).select_from(visible_followup_ids(pic).subquery())
            )
            if count > best_count:
                best_pic, best_count = pic, count
        pic_open = session.scalar(
            select(func.count(FollowUp.id)).where(
                FollowUp.id.in_(visible_followup_ids(best_pic)),
                FollowUp.status.not_in(CLOSED_STATUSES),
            )
        )
        sizes = session.execute(
            select(Recommendation.evaluation_id, func.count(FollowUp.id))
            .join(FollowUp, FollowUp.recommendation_id == Recommendation.id)
            .group_by(Recommendation.evaluation_id)
        ).all()
        largest = max(sizes, key=lambda row: (row[1], row[0]))
        unit = session.execute(
            select(followup_units.c.unit_id, func.count())
            .group_by(followup_units.c.unit_id)
            .order_by(func.count().desc())
        ).first()
        total = session.scalar(select(func.count(FollowUp.id)))
        evaluations = session.scalar(select(func.count(Evaluation.id)))
        return {
            "koordinator": first[Role.KOORDINATOR].email,
            "pimpinan": first[Role.PIMPINAN].email,
            "pic": best_pic.email,
            "pic_followups": best_count,
            "pic_open": pic_open,
            "sizes": dict(sizes),
            "largest": largest,
            "unit": unit,
            "total": total,
            "evaluations": evaluations,
            "per_page": app.config["PER_PAGE"],
        }


def page_lines(f: dict, limit: float) -> list[Line]:
    middle = max(1, -(-f["total"] // f["per_page"]) // 2)
    last = max(1, -(-f["total"] // f["per_page"]))
    big, big_n = f["largest"]
    unit, unit_n = f["unit"]
    pic_pages = max(1, -(-f["pic_followups"] // f["per_page"]))
    pic_home_pages = max(1, -(-f["pic_open"] // f["per_page"]))  # lists the open ones
    lines = [
        Line("dashboard, default evaluation", "koordinator", "/dashboard/", limit),
        Line(
            "dashboard, largest evaluation",
            "koordinator",
            f"/dashboard/?evaluation={big}",
            limit,
            f"{big_n} follow-ups",
        ),
        Line("dashboard, default evaluation", "pimpinan", "/dashboard/", limit),
        Line("PIC home /dashboard/saya", "pic", "/dashboard/saya", limit),
        Line(
            "PIC home, middle page",
            "pic",
            f"/dashboard/saya?page={max(1, pic_home_pages // 2)}",
            limit,
            f"{f['pic_open']} open",
        ),
        Line("list, first page", "koordinator", "/monitoring/", limit),
        Line("list, middle page", "koordinator", f"/monitoring/?page={middle}", limit),
        Line("list, last page", "koordinator", f"/monitoring/?page={last}", limit),
        Line(
            "list, status + unit",
            "koordinator",
            f"/monitoring/?status=dalam_proses&unit={unit}",
            limit,
            f"unit with {unit_n} follow-ups",
        ),
        Line("list, overdue only", "koordinator", "/monitoring/?overdue=1", limit),
        Line("list, search two words", "koordinator", "/monitoring/?q=indikator+kinerja", limit),
    ]
    for sort in ("due", "status", "number", "progress", "updated"):
        lines.append(Line(f"list, sort {sort}", "koordinator", f"/monitoring/?sort={sort}", limit))
        lines.append(
            Line(
                f"list, sort {sort} desc, evaluation",
                "koordinator",
                f"/monitoring/?sort={sort}&desc=1&evaluation={big}",
                limit,
            )
        )
    lines += [
        Line("list, first page", "pimpinan", "/monitoring/", limit),
        Line("list, middle page", "pimpinan", f"/monitoring/?page={middle}", limit),
        Line("list, first page", "pic", "/monitoring/", limit),
        Line("list, last page", "pic", f"/monitoring/?page={pic_pages}", limit),
        Line("list, overdue only", "pic", "/monitoring/?overdue=1", limit),
        Line("list, search two words", "pic", "/monitoring/?q=indikator+kinerja", limit),
        Line("list, sort number", "pic", "/monitoring/?sort=number", limit),
    ]
    return lines


def xlsx_line(f: dict, rows: int, limit: float) -> Line:
    big_enough = sorted((n, e) for e, n in f["sizes"].items() if n >= rows)
    n, evaluation = big_enough[0] if big_enough else (f["largest"][1], f["largest"][0])
    note = f"{n} rows" + ("" if n >= rows else f", fewer than {rows}: see --xlsx-database-url")
    url = f"/reports/evaluation/{evaluation}/matrix.xlsx"
    return Line("matrix XLSX", "koordinator", url, limit, note)


# --- main -------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a data set of bench/generate.py")
    parser.add_argument("--xlsx-database-url", help="data set for the XLSX line (default: same)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--xlsx-runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--limit-ms", type=float, default=300)
    parser.add_argument("--xlsx-limit", type=float, default=3.0, help="seconds")
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    parser.add_argument("--only", default="", help="only the lines whose name contains this")
    parser.add_argument("--profile", default="", help="cProfile the lines whose name has this")
    return parser.parse_args()


def run(app, lines: list[Line], emails: dict, runs: int, warmup: int, args) -> list[Result]:
    from tracker.extensions import db

    with app.app_context():
        counter = Counter(db.engine)
    clients = {who: login(app, emails[who]) for who in {line.who for line in lines}}
    results = []
    for line in lines:
        client = clients[line.who]
        result = measure(client, counter, line, runs, warmup)
        results.append(result)
        print(row(result), flush=True)
        if args.profile and args.profile in name(line):
            profile(client, line)  # warm by now: no template compiling in the profile
    return results


def name(line: Line) -> str:
    return f"{line.label} ({line.who})"


def row(r: Result) -> str:
    verdict = "PASS" if r.ok else "FAIL"
    label = name(r.line)
    note = f"  [{r.line.note}]" if r.line.note else ""
    return (
        f"{label:<50} {r.median * 1000:8.1f} {r.p95 * 1000:8.1f} {r.queries:>7} "
        f"{r.size / 1024:8.0f}  {verdict}{note}"
    )


def main() -> int:
    args = parse_args()
    import sqlalchemy

    app = make_app(args.database_url)
    vacuum_if_never(app)
    f = facts(app)
    print(
        f"{f['total']} follow-ups, {f['evaluations']} evaluations; PIC {f['pic']} sees "
        f"{f['pic_followups']} ({f['pic_open']} open); SQLAlchemy {sqlalchemy.__version__}, "
        f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}"
    )
    print(f"{'line (who)':<50} {'median':>8} {'p95':>8} {'queries':>7} {'KiB':>8}")
    print(f"{'':<50} {'ms':>8} {'ms':>8}")
    lines = [line for line in page_lines(f, args.limit_ms / 1000) if args.only in name(line)]
    results = run(app, lines, f, args.runs, args.warmup, args)
    if args.only in "matrix XLSX (koordinator)":
        xapp = make_app(args.xlsx_database_url) if args.xlsx_database_url else app
        vacuum_if_never(xapp)
        xf = facts(xapp) if args.xlsx_database_url else f
        line = xlsx_line(xf, args.xlsx_rows, args.xlsx_limit)
        results += run(xapp, [line], xf, args.xlsx_runs, 1, args)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} PASS, {len(failed)} FAIL (median against the limit)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
