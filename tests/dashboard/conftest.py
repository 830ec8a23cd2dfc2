"""A hand-built evaluation whose dashboard figures are worked out by hand in test_figures.py.

The clock is frozen at Monday 2 June 2025, 07:00 in Jakarta (00:00 UTC): today is 2025-06-02.

| n  | component | units | status       | progress | due        | closed_at (UTC)        |
|----|-----------|-------|--------------|----------|------------|------------------------|
| 1  | C1        | A     | belum        | 0        | 2025-05-01 |                        |
| 2  | C1        | A     | proses       | 40       | 2025-05-20 |                        |
| 3  | C1        | B     | sesuai       | 100      | 2025-04-30 | 2025-04-30 16:59 (a)   |
| 4  | C2        | B     | menunggu     | 80       | 2025-06-10 |                        |
| 5  | C2        | A, B  | dikembalikan | 60       | 2025-06-16 |                        |
| 6  | C2        | B     | proses       | 20       | 2025-06-17 |                        |
| 7  | C3        | A     | sesuai       | 90       | 2025-04-30 | 2025-04-30 17:00 (b)   |
| 8  | C3        | —     | tidak dapat  | 10       | —          | 2025-05-15 03:00       |
| 9  | —         | A     | belum        | 0        | —          |                        |
| 10 | C1        | B     | proses       | 50       | 2025-06-02 |                        |

(a) 23:59 on 30 April in Jakarta: on time. (b) 00:00 on 1 May in Jakarta: late.
C4 (Evaluasi Akuntabilitas Kinerja Internal) has no recommendation. Follow-up 4 waits with a
submission sent 2025-05-28 20:00 UTC (29 May in Jakarta); follow-up 5 has an older submission
that was decided (returned), which must not count. Every follow-up was created 2025-03-10
18:00 UTC (11 March in Jakarta); the LHE was received 2025-03-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from tests import factories
from tracker.auth.models import User
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.units.models import Unit
from tracker.verification.models import Decision, Submission, SubmissionKind

S = FollowUpStatus
CREATED = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def add_followup(
    evaluation: Evaluation,
    number: int,
    component_index: int | None,
    units: list[Unit],
    status: FollowUpStatus = S.BELUM,
    progress: int = 0,
    due: date | None = None,
    closed_at: datetime | None = None,
    pics: list[User] | None = None,
    created_at: datetime = CREATED,
) -> FollowUp:
    """A recommendation (under the evaluation's component at `component_index`, or none) with
    its follow-up in the given state."""
    component = evaluation.components[component_index] if component_index is not None else None
    recommendation = Recommendation(
        evaluation=evaluation, component=component, number=number, text=f"Rekomendasi {number}."
    )
    followup = FollowUp(
        recommendation=recommendation,
        units=units,
        pics=list(pics or []),
        status=status,
        progress=progress,
        due_date=due,
        closed_at=closed_at,
        created_at=created_at,
    )
    db.session.add_all([recommendation, followup])
    db.session.flush()
    return followup


@dataclass
class Scenario:
    evaluation: Evaluation
    followups: dict[int, FollowUp]


def build_scenario(world, **evaluation_fields) -> Scenario:
    fields = {"received_date": date(2025, 3, 1), "next_evaluation_date": date(2025, 9, 1)}
    fields.update(evaluation_fields)
    evaluation = factories.make_evaluation(n_recommendations=0, **fields)
    a, b = world.unit_a, world.unit_b
    pic_a, pic_b = world.pic, world.other_pic
    rows = [
        (1, 0, [a], S.BELUM, 0, date(2025, 5, 1), None),
        (2, 0, [a], S.PROSES, 40, date(2025, 5, 20), None),
        (3, 0, [b], S.SESUAI, 100, date(2025, 4, 30), utc(2025, 4, 30, 16, 59)),
        (4, 1, [b], S.MENUNGGU, 80, date(2025, 6, 10), None),
        (5, 1, [a, b], S.DIKEMBALIKAN, 60, date(2025, 6, 16), None),
        (6, 1, [b], S.PROSES, 20, date(2025, 6, 17), None),
        (7, 2, [a], S.SESUAI, 90, date(2025, 4, 30), utc(2025, 4, 30, 17, 0)),
        (8, 2, [], S.TIDAK_DAPAT, 10, None, utc(2025, 5, 15, 3, 0)),
        (9, None, [a], S.BELUM, 0, None, None),
        (10, 0, [b], S.PROSES, 50, date(2025, 6, 2), None),
    ]
    followups = {}
    for number, component, units, status, progress, due, closed_at in rows:
        pics = [pic for unit, pic in ((a, pic_a), (b, pic_b)) if unit in units]
        followups[number] = add_followup(
            evaluation, number, component, units, status, progress, due, closed_at, pics
        )
    db.session.add_all(
        [
            Submission(
                followup=followups[4],
                kind=SubmissionKind.COMPLETION,
                submitted_at=utc(2025, 5, 28, 20, 0),
            ),
            Submission(
                followup=followups[5],
                kind=SubmissionKind.COMPLETION,
                submitted_at=utc(2025, 5, 1, 2, 0),
                decision=Decision.RETURNED,
                decided_at=utc(2025, 5, 2, 2, 0),
            ),
        ]
    )
    db.session.commit()
    return Scenario(evaluation, followups)


@pytest.fixture
def scenario(world, frozen_clock) -> Scenario:
    return build_scenario(world)
