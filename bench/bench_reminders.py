"""One reminder cycle over 50,000 open follow-ups: planning and building the digests.

Issue #5: "one cycle over 50,000 open follow-ups plans and builds its digests in under 10 s on
SQLite and on PostgreSQL". The script builds the schema with `flask db upgrade` (a temporary
SQLite file, or the database given with --database-url, which it empties first), fills it with
Core bulk inserts (units, ~300 PICs, koordinators and pimpinan, evaluations, 50,000 open
follow-ups with due dates spread around "now", open submissions for those waiting
verification, PIC links), then times, as of --now:

  1. `run_cycle(dry_run=True)`: plans every reminder and groups the digests (no mail rendered);
  2. `run_cycle()` with mails written to a temporary MAIL_FOLDER (no SMTP): plans, commits,
     builds every digest (text and HTML), then delivers each one (MIME-encodes and writes it)
     and records it (digest row, reminders marked sent, commit);
  3. the next working day's cycle (steady state: only the steps that start that day).

Run 2 is the issue's measure (the first cycle over a fresh outbox is the largest: every open
follow-up's current step is new). The issue times planning and building; delivering depends
on the mail server, so the script reports run 2 both without and with it. PASS when run 1 and
run 2 without delivering each take under --limit seconds.

    .venv/bin/python bench/bench_reminders.py                          # temporary SQLite
    .venv/bin/python bench/bench_reminders.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_reminders
    .venv/bin/python bench/bench_reminders.py --profile                # + cProfile of run 2

Exit status 1 on FAIL. The database name must contain "bench" (it is emptied).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.dbreset import drop_everything  # noqa: E402  (as the test suite empties its database)

OPEN_MIX = [  # (status, share of the open follow-ups)
    ("belum_ditindaklanjuti", 0.35),
    ("dalam_proses", 0.35),
    ("dikembalikan", 0.10),
    ("menunggu_verifikasi", 0.20),
]


def upgrade(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def make_app(url: str, mail_folder: str):
    from config import Config
    from tracker import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_SERVER = ""
        MAIL_FOLDER = mail_folder
        BASE_URL = "https://sakip.example.ac.id"

    return create_app(BenchConfig)


# --- data ---------------------------------------------------------------------------------


def fill(args, today: date, now: datetime) -> Counter:
    """Bulk-insert the data set (Core, explicit ids: the database is fresh); returns counts."""
    from tracker.auth.models import User, user_units
    from tracker.evaluations.models import Evaluation, Recommendation
    from tracker.extensions import db
    from tracker.followups.models import FollowUp, followup_pics, followup_units
    from tracker.units.models import Unit
    from tracker.verification.models import Submission

    rng = random.Random(args.seed)
    created = datetime(2025, 1, 1, tzinfo=UTC)
    n_units = max(args.pics // 10, 1)
    rows: dict = {}
    rows[Unit] = [
        {"id": u, "code": f"U{u:03d}", "name": f"Unit Kerja {u}", "active": True}
        for u in range(1, n_units + 1)
    ]
    users, links = [], []
    user_id = 0

    def user(role: str, email: str, name: str) -> int:
        nonlocal user_id
        user_id += 1
        users.append(
            {
                "id": user_id,
                "email": email,
                "name": name,
                "role": role,
                "password_hash": "!",  # cannot log in
                "active": True,
                "language": "en" if user_id % 10 == 0 else "id",
                "session_version": 1,
                "created_at": created,
            }
        )
        return user_id

    for i in (1, 2, 3):
        user("koordinator", f"koordinator{i}@bench.example.com", f"Koordinator {i}")
    for i in (1, 2):
        user("pimpinan", f"pimpinan{i}@bench.example.com", f"Pimpinan {i}")
    pics_by_unit: dict[int, list[int]] = {u: [] for u in range(1, n_units + 1)}
    for i in range(args.pics):
        unit = i % n_units + 1
        pic = user("pic", f"pic{i}@bench.example.com", f"PIC {i:03d}")
        pics_by_unit[unit].append(pic)
        links.append({"user_id": pic, "unit_id": unit})
    rows[User] = users
    rows[user_units] = links

    per_evaluation = 1000
    n_eval = -(-args.followups // per_evaluation)
    rows[Evaluation] = [
        {
            "id": e,
            "institution": f"Satker Bench {e}",
            "year": 2024,
            "evaluator": "Inspektorat Jenderal",
            "document_number": "",
            "notes": "",
            "created_at": created,
            "updated_at": created,
        }
        for e in range(1, n_eval + 1)
    ]
    recommendations, followups, owners, pic_links, submissions = [], [], [], [], []
    statuses = Counter()
    for f in range(1, args.followups + 1):
        recommendations.append(
            {
                "id": f,
                "evaluation_id": (f - 1) // per_evaluation + 1,
                "number": (f - 1) % per_evaluation + 1,
                "text": f"Rekomendasi bench nomor {f}: menyusun dan menetapkan dokumen kinerja.",
            }
        )
        status = rng.choices([s for s, _ in OPEN_MIX], [w for _, w in OPEN_MIX])[0]
        statuses[status] += 1
        due = today + timedelta(days=rng.randint(-args.spread, args.spread))
        followups.append(
            {
                "id": f,
                "recommendation_id": f,
                "due_date": due,
                "status": status,
                "action_plan": "",
                "realisation": "",
                "progress": 0,
                "closure_reason": "",
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        unit = rng.randint(1, n_units)
        owners.append({"followup_id": f, "unit_id": unit})
        candidates = pics_by_unit[unit]
        for pic in rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2)))):
            pic_links.append({"followup_id": f, "user_id": pic})
        if status == "menunggu_verifikasi":
            submissions.append(
                {
                    "followup_id": f,
                    "kind": "selesai",
                    "realisation": "",
                    "reason": "",
                    "submitted_by_id": candidates[0] if candidates else None,
                    "submitted_at": now - timedelta(days=rng.randint(0, 30), hours=3),
                    "note": "",
                    "cukup": False,
                    "kompeten": False,
                    "relevan": False,
                }
            )
    rows[Recommendation] = recommendations
    rows[FollowUp] = followups
    rows[followup_units] = owners
    rows[followup_pics] = pic_links
    rows[Submission] = submissions

    with db.engine.begin() as conn:
        for target, values in rows.items():
            table = target if isinstance(target, sa.Table) else target.__table__
            for start in range(0, len(values), 5000):
                conn.execute(sa.insert(table), values[start : start + 5000])
        if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("units", "users", "evaluations", "recommendations", "followups"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    counts = Counter({"users": len(users), "pic links": len(pic_links)})
    counts.update({f"status {k}": v for k, v in statuses.items()})
    return counts


# --- timing -------------------------------------------------------------------------------


class Sections:
    """Wall time spent in the cycle's main steps (wrappers, the app's code unchanged)."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.calls: Counter = Counter()

    def wrap(self, module, name: str, label: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        setattr(module, name, timed)

    def report(self) -> str:
        return ", ".join(
            f"{label} {self.seconds[label]:.2f} s"
            + (f" ({n}x)" if (n := self.calls[label]) > 1 else "")
            for label in self.seconds
        )


def instrument() -> Sections:
    from tracker.core import mail
    from tracker.reminders import cycle, digests

    sections = Sections()
    sections.wrap(cycle, "_open_followups", "read follow-ups")
    sections.wrap(cycle, "wanted_reminders", "plan (pure)")
    sections.wrap(cycle, "_plan", "plan total")
    sections.wrap(digests, "_digests", "load due reminders")
    sections.wrap(digests, "_compose", "render digests")
    sections.wrap(digests, "_deliver", "deliver and record")
    sections.wrap(mail, "send", "write mails")
    sections.wrap(digests, "_sent", "mark sent")
    return sections


def timed_cycle(now: datetime, dry_run: bool, sections: Sections, profile: bool):
    from tracker.reminders.cycle import run_cycle

    sections.seconds.clear()
    sections.calls.clear()
    profiler = cProfile.Profile() if profile else None
    quiet = io.StringIO()  # folder mode prints one line per mail
    start = time.perf_counter()
    with contextlib.redirect_stderr(quiet):
        if profiler:
            profiler.enable()
        report = run_cycle(now, dry_run=dry_run)
        if profiler:
            profiler.disable()
    elapsed = time.perf_counter() - start
    return report, elapsed, profiler


def describe(report) -> str:
    items = sum(n for _email, n in report.sent)
    biggest = max((n for _email, n in report.sent), default=0)
    cancelled = sum(report.cancelled.values())
    return (
        f"planned {report.planned}, cancelled {cancelled}, {len(report.sent)} digests "
        f"({items} items, largest {biggest}), failed {len(report.failed)}"
    )


def by_kind() -> str:
    from tracker.extensions import db
    from tracker.reminders.models import Reminder

    query = sa.select(Reminder.kind, sa.func.count()).group_by(Reminder.kind)
    return ", ".join(f"{kind} {n}" for kind, n in sorted(db.session.execute(query).all()))


def next_working_day(day: date) -> date:
    from tracker.reminders.calendar import WorkCalendar

    cal = WorkCalendar()
    day += timedelta(days=1)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--followups", type=int, default=50_000)
    parser.add_argument("--pics", type=int, default=300)
    parser.add_argument("--spread", type=int, default=120, help="due dates today ± this many days")
    parser.add_argument("--now", default="2026-06-03 07:00", help="local time of the cycle")
    parser.add_argument("--limit", type=float, default=10.0, help="seconds (PASS below)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the real run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    database = sa.engine.make_url(url).database or ""
    if args.database_url and "bench" not in database:
        parser.error(f"the database name must contain 'bench' (it is emptied): {database!r}")

    print(f"database: {sa.engine.make_url(url).render_as_string(hide_password=True)}")
    start = time.perf_counter()
    drop_everything(url)
    upgrade(url)
    print(f"schema (flask db upgrade): {time.perf_counter() - start:.1f} s")

    app = make_app(url, str(workdir / "mail"))
    with app.app_context():
        from tracker.reminders.cycle import parse_local

        now = parse_local(args.now)
        local_today = datetime.fromisoformat(args.now).date()
        start = time.perf_counter()
        counts = fill(args, local_today, now)
        print(
            f"data: {args.followups} open follow-ups, {counts['users']} users, "
            f"{counts['pic links']} PIC links, "
            + ", ".join(f"{k[7:]} {v}" for k, v in sorted(counts.items()) if k.startswith("status"))
            + f" ({time.perf_counter() - start:.1f} s)"
        )
        sections = instrument()
        results = []

        report, elapsed, _ = timed_cycle(now, True, sections, False)
        print(f"\n1. dry run (plan + group, nothing saved): {elapsed:.2f} s")
        print(f"   {describe(report)}")
        print(f"   {sections.report()}")
        results.append(elapsed)

        report, elapsed, profiler = timed_cycle(now, False, sections, args.profile)
        mails = len(list((workdir / "mail").glob("*.eml")))
        delivering = sections.seconds["deliver and record"]
        print(
            f"\n2. real run: plan and build {elapsed - delivering:.2f} s, "
            f"+ deliver and record {mails} mails {delivering:.2f} s = {elapsed:.2f} s"
        )
        print(f"   {describe(report)}")
        print(f"   {sections.report()}")
        print(f"   reminders by kind: {by_kind()}")
        results.append(elapsed - delivering)

        following = next_working_day(local_today)
        later = parse_local(f"{following.isoformat()} {args.now.split()[1]}")
        report, elapsed, _ = timed_cycle(later, False, sections, False)
        print(f"\n3. next working day {following} (steady state): {elapsed:.2f} s")
        print(f"   {describe(report)}")
        print(f"   {sections.report()}")

        if profiler:
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
                print(f"\ncProfile of run 2 ({order}):")
                print(out.getvalue())

    ok = all(seconds < args.limit for seconds in results)
    print(
        f"\n{'PASS' if ok else 'FAIL'}: dry run {results[0]:.2f} s, real run's plan and build "
        f"{results[1]:.2f} s (limit {args.limit:.0f} s)"
    )
    if args.keep:
        print(f"kept: {workdir}")
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
