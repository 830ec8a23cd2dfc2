"""Evaluation rules: the LHE header, archive, delete and component scores, audited.

Findings and recommendations live in items.py.

Every verb takes the acting user, changes state, writes an audit entry and flushes; the caller
commits. A refusal raises `EvaluationError` with the reason in Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from tracker.core import audit
from tracker.core.clock import now_utc
from tracker.core.permissions import visible_followup_ids
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.evaluations.predikat import predikat_for
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp

# The components of PermenPANRB 88/2021 (reports since 2022) with their weights.
CURRENT_COMPONENTS = (
    ("Perencanaan Kinerja", Decimal(30)),
    ("Pengukuran Kinerja", Decimal(30)),
    ("Pelaporan Kinerja", Decimal(15)),
    ("Evaluasi Akuntabilitas Kinerja Internal", Decimal(25)),
)
HEADER_FIELDS = (
    "institution",
    "year",
    "evaluator",
    "document_number",
    "report_date",
    "received_date",
    "followup_deadline",
    "next_evaluation_date",
    "total_score",
    "predikat",
    "notes",
)
TEXT_FIELDS = ("institution", "evaluator", "document_number", "notes")
CENT = Decimal("0.01")


class EvaluationError(Exception):
    """A rule refused the change; `message` says why (Indonesian)."""

    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


def lower_bound_inclusive() -> bool:
    """The PREDIKAT_LOWER_BOUND_INCLUSIVE setting."""
    return bool(current_app.config["PREDIKAT_LOWER_BOUND_INCLUSIVE"])


def computed_predikat(total: Decimal | None) -> str | None:
    """The predikat of `total` under the configured boundary rule."""
    return predikat_for(total, lower_bound_inclusive())


def cents(value: Decimal | None) -> Decimal | None:
    """A score as stored: two decimals, rounded half up (the same on every database)."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _clean_header(data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data.get(name) for name in HEADER_FIELDS}
    for name in TEXT_FIELDS:
        fields[name] = (fields[name] or "").strip()
    fields["total_score"] = cents(fields["total_score"])
    fields["predikat"] = fields["predikat"] or computed_predikat(fields["total_score"])
    if fields["followup_deadline"] is None and fields["received_date"] is not None:
        days = current_app.config["DEFAULT_FOLLOWUP_DAYS"]
        fields["followup_deadline"] = fields["received_date"] + timedelta(days=days)
    return fields


# --- the evaluation ---------------------------------------------------------------------------


def create_evaluation(actor, header: dict[str, Any], components: Iterable[dict] = ()) -> Evaluation:
    """Create an evaluation from its header and (optionally) its component rows."""
    fields = _clean_header(header)
    evaluation = Evaluation(**fields)
    db.session.add(evaluation)
    for order, row in enumerate(components, start=1):
        evaluation.components.append(
            ComponentScore(
                name=row["name"].strip(),
                weight=cents(row["weight"]),
                score=cents(row.get("score")),
                order=row.get("order") or order,
            )
        )
    db.session.flush()
    audit.record(
        actor,
        evaluation,
        "create",
        **fields,
        components=[[c.name, c.weight, c.score] for c in evaluation.components],
    )
    db.session.flush()
    return evaluation


def _move_due_dates(actor, evaluation: Evaluation, old, new) -> list[int]:
    """Follow-ups still due on the old deadline move to the new one; returns their ids."""
    due = FollowUp.due_date.is_(None) if old is None else FollowUp.due_date == old
    followups = db.session.scalars(
        select(FollowUp)
        .join(Recommendation, FollowUp.recommendation_id == Recommendation.id)
        .where(Recommendation.evaluation_id == evaluation.id, due)
    ).all()
    for followup in followups:
        followup.due_date = new
        audit.record(actor, followup, "update", due_date=[old, new])
    return [followup.id for followup in followups]


def update_evaluation(actor, evaluation: Evaluation, header: dict[str, Any]) -> Evaluation:
    """Change the header; a new follow-up deadline moves follow-ups still on the old one."""
    fields = _clean_header(header)
    old_deadline = evaluation.followup_deadline
    diff = audit.changes(evaluation, fields)
    if diff:
        summary: dict[str, Any] = dict(diff)
        if "followup_deadline" in diff:
            moved = _move_due_dates(actor, evaluation, old_deadline, evaluation.followup_deadline)
            summary["moved_followups"] = moved
        audit.record(actor, evaluation, "update", **summary)
    db.session.flush()
    return evaluation


def set_archived(actor, evaluation: Evaluation, archived: bool) -> Evaluation:
    """Archive (hide from the list) or bring back an evaluation; audited when it changes."""
    if evaluation.is_archived != archived:
        evaluation.archived_at = now_utc() if archived else None
        audit.record(actor, evaluation, "archive" if archived else "unarchive")
        db.session.flush()
    return evaluation


def delete_evaluation(actor, evaluation: Evaluation) -> None:
    """Delete an evaluation and everything in it, unless work on a follow-up has started."""
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .options(selectinload(Recommendation.followup), selectinload(Recommendation.findings))
    ).all()
    started = [r for r in recommendations if r.followup is not None and r.followup.has_started]
    if started:
        raise EvaluationError(
            _l(
                "Evaluasi ini tidak dapat dihapus karena %(count)d tindak lanjutnya sudah "
                "dikerjakan. Arsipkan saja bila tidak dipakai lagi.",
                count=len(started),
            )
        )
    audit.record(
        actor,
        evaluation,
        "delete",
        institution=evaluation.institution,
        year=evaluation.year,
        recommendations=len(recommendations),
    )
    # Load every collection so the ORM itself deletes the children, in order, on every
    # database (not relying on ON DELETE CASCADE being enforced).
    evaluation.recommendations, evaluation.findings, evaluation.components  # noqa: B018
    db.session.delete(evaluation)
    db.session.flush()


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Group:
    """Findings and recommendations under one component (None: "Tanpa komponen")."""

    component: ComponentScore | None
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)


def group_by_component(
    components: Iterable[ComponentScore],
    findings: Iterable[Finding],
    recommendations: Iterable[Recommendation],
) -> list[Group]:
    """Groups in component order, then the items without a component; empty groups dropped."""
    groups = {c.id: Group(c) for c in components}
    loose = Group(None)
    for finding in findings:
        groups.get(finding.component_id, loose).findings.append(finding)
    for recommendation in recommendations:
        groups.get(recommendation.component_id, loose).recommendations.append(recommendation)
    ordered = [*groups.values(), loose]
    return [g for g in ordered if g.findings or g.recommendations]


def recommendation_counts(user, evaluation_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{evaluation id: (recommendations, closed)} counting the follow-ups `user` may see."""
    if not evaluation_ids:
        return {}
    closed = func.sum(case((FollowUp.status.in_(CLOSED_STATUSES), 1), else_=0))
    rows = db.session.execute(
        select(Recommendation.evaluation_id, func.count(FollowUp.id), closed)
        .join(FollowUp, FollowUp.recommendation_id == Recommendation.id)
        .where(
            Recommendation.evaluation_id.in_(evaluation_ids),
            FollowUp.id.in_(visible_followup_ids(user)),
        )
        .group_by(Recommendation.evaluation_id)
    )
    return {evaluation_id: (total, int(done or 0)) for evaluation_id, total, done in rows}
