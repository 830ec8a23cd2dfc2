"""Carrying the open recommendations of the previous LHE over into a newer one: each becomes a
new recommendation and follow-up linked to its origin, whose history stays where it was.

Same contract as services.py: verbs take the acting user, change state, audit, flush; the caller
commits. A refused carry-over raises `CarryOverError` with the reasons in Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core import audit
from tracker.core.labels import STATUS_LABELS
from tracker.evaluations import items
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.evaluations.repeats import flag_repeats, name_key, same_institution
from tracker.extensions import db
from tracker.followups.models import FollowUp


class CarryOverError(Exception):
    """The carry-over was refused as a whole; `messages` say why (Indonesian)."""

    def __init__(self, messages: list):
        super().__init__(*messages)
        self.messages = messages


def previous_evaluation(target: Evaluation) -> Evaluation | None:
    """The latest evaluation of an earlier year of the same institution."""
    earlier = [e for e in same_institution(target) if e.year < target.year]
    return earlier[-1] if earlier else None


def open_recommendations(evaluation: Evaluation) -> list[Recommendation]:
    """The recommendations whose follow-up is not closed, in component and number order."""
    rows = db.session.scalars(
        select(Recommendation)
        .join(FollowUp, FollowUp.recommendation_id == Recommendation.id)
        .outerjoin(ComponentScore, Recommendation.component_id == ComponentScore.id)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(ComponentScore.order.is_(None), ComponentScore.order, Recommendation.number)
        .options(
            selectinload(Recommendation.component),
            selectinload(Recommendation.followup).selectinload(FollowUp.units),
            selectinload(Recommendation.followup).selectinload(FollowUp.pics),
        )
    ).all()
    return [r for r in rows if not r.followup.is_closed]


def carried_into(target: Evaluation) -> set[int]:
    """Ids of the recommendations already carried into `target`."""
    return set(
        db.session.scalars(
            select(Recommendation.carried_from_id).where(
                Recommendation.evaluation_id == target.id,
                Recommendation.carried_from_id.is_not(None),
            )
        )
    )


def _target_component(origin: Recommendation, target: Evaluation) -> ComponentScore | None:
    """The target's component of the same name, else of the same order (pre-2022 LHEs renamed
    some), else none."""
    if origin.component is None:
        return None
    name = name_key(origin.component.name)
    by_name = [c for c in target.components if name_key(c.name) == name]
    by_order = [c for c in target.components if c.order == origin.component.order]
    return (by_name or by_order or [None])[0]


def _refusals(previous, target, chosen, wanted: list[int]) -> list:
    if name_key(previous.institution) != name_key(target.institution):
        return [_l("Evaluasi tujuan milik instansi lain.")]
    if target.year <= previous.year:
        return [
            _l(
                "Rekomendasi hanya dapat dibawa ke evaluasi tahun yang lebih baru dari %(year)d.",
                year=previous.year,
            )
        ]
    if not wanted:
        return [_l("Pilih minimal satu rekomendasi.")]
    problems: list = []
    if len(chosen) != len(set(wanted)):
        problems.append(_l("Sebagian rekomendasi yang dipilih bukan dari evaluasi sebelumnya."))
    done = carried_into(target)
    for origin in chosen:
        label = f"{origin.component.name + ' ' if origin.component else ''}{origin.number}"
        if origin.followup.is_closed:
            problems.append(
                _l(
                    "Rekomendasi %(label)s sudah selesai (%(status)s) dan tidak perlu dibawa.",
                    label=label,
                    status=STATUS_LABELS[origin.followup.status],
                )
            )
        elif origin.id in done:
            problems.append(_l("Rekomendasi %(label)s sudah dibawa ke evaluasi ini.", label=label))
    return problems


def carry_over(
    previous: Evaluation, target: Evaluation, recommendation_ids: Iterable[int], actor
) -> list[Recommendation]:
    """Copy the chosen OPEN recommendations of `previous` into `target` (a later year of the
    same institution): same text, matching component, next number there, linked to its origin,
    with a new follow-up (not started, same units and PICs, due on the target's deadline). The
    origin keeps its follow-up and history, plus an audit entry. All or nothing."""
    wanted = [int(i) for i in recommendation_ids]
    chosen = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.evaluation_id == previous.id, Recommendation.id.in_(wanted))
        .order_by(Recommendation.id)
    ).all()
    problems = _refusals(previous, target, chosen, wanted)
    if problems:
        raise CarryOverError(problems)
    created = []
    for origin in chosen:
        source = origin.followup
        copy = items.add_recommendation(
            actor, target, origin.text, _target_component(origin, target)
        )
        copy.carried_from = origin
        copy.followup.units = list(source.units)
        copy.followup.pics = list(source.pics)
        db.session.flush()
        audit.record(
            actor,
            copy.followup,
            "carried_in",
            from_year=previous.year,
            from_evaluation_id=previous.id,
            from_followup_id=source.id,
            units=[u.code for u in source.units],
            pics=[p.name for p in source.pics],
        )
        audit.record(
            actor,
            source,
            "carried_over",
            to_year=target.year,
            to_evaluation_id=target.id,
            to_followup_id=copy.followup.id,
        )
        created.append(copy)
    flag_repeats(target)
    return created
