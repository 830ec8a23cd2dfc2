"""The items of an LHE: component scores, findings (catatan), recommendations (with follow-up).

Same contract as services.py: take the acting user, change state, audit, flush; never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tracker.core import audit
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.evaluations.services import EvaluationError, cents
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus

# --- component scores -------------------------------------------------------------------------


def component_in_use(component: ComponentScore) -> bool:
    """Whether a finding or a recommendation sits under this component."""
    for model in (Finding, Recommendation):
        if db.session.scalar(select(model.id).where(model.component_id == component.id).limit(1)):
            return True
    return False


def _in_use(component: ComponentScore) -> EvaluationError:
    return EvaluationError(
        _l(
            "Komponen %(name)s tidak dapat dihapus karena masih dipakai catatan atau "
            "rekomendasi. Pindahkan dulu catatan dan rekomendasinya.",
            name=component.name,
        )
    )


def _component_values(name: str, weight, score, order) -> dict:
    return {"name": name.strip(), "weight": cents(weight), "score": cents(score), "order": order}


def add_component(actor, evaluation: Evaluation, name: str, weight, score=None, order=None):
    """Add a component row; without an order it goes last."""
    if order is None:
        order = max((c.order for c in evaluation.components), default=0) + 1
    component = ComponentScore(**_component_values(name, weight, score, order))
    evaluation.components.append(component)
    db.session.flush()
    audit.record(actor, component, "create", name=component.name, weight=component.weight)
    db.session.flush()
    return component


def update_component(actor, component: ComponentScore, name: str, weight, score, order=None):
    """Change a component row (an empty order keeps its place)."""
    order = component.order if order is None else order
    diff = audit.changes(component, _component_values(name, weight, score, order))
    if diff:
        audit.record(actor, component, "update", **diff)
    db.session.flush()
    return component


def delete_component(actor, component: ComponentScore) -> None:
    """Delete a component row that no finding or recommendation uses."""
    if component_in_use(component):
        raise _in_use(component)
    audit.record(actor, component, "delete", name=component.name)
    component.evaluation.components.remove(component)
    db.session.delete(component)
    db.session.flush()


@dataclass
class ComponentRow:
    """One row of the component table: `component` is None for a new row."""

    component: ComponentScore | None
    name: str
    weight: Decimal | None
    score: Decimal | None
    order: int | None
    delete: bool = False


def save_components(actor, evaluation: Evaluation, rows: Iterable[ComponentRow]) -> None:
    """Apply the whole component table at once; refused as a whole if a used row is deleted."""
    rows = list(rows)
    for row in rows:
        if row.component is not None and row.component.evaluation_id != evaluation.id:
            raise ValueError("component of another evaluation")
    for row in rows:  # refuse before changing anything: nothing is half done
        if row.delete and row.component is not None and component_in_use(row.component):
            raise _in_use(row.component)
    for row in rows:
        if row.delete:
            if row.component is not None:
                delete_component(actor, row.component)
        elif row.component is None:
            add_component(actor, evaluation, row.name, row.weight, row.score, row.order)
        else:
            update_component(actor, row.component, row.name, row.weight, row.score, row.order)


# --- findings and recommendations -------------------------------------------------------------


def _next_number(model, evaluation: Evaluation, component: ComponentScore | None) -> int:
    """The next free number within `component` (or among items without a component)."""
    where = (
        model.component_id.is_(None) if component is None else model.component_id == component.id
    )
    highest = db.session.scalar(
        select(func.max(model.number)).where(model.evaluation_id == evaluation.id, where)
    )
    return (highest or 0) + 1


def _check_belongs(evaluation: Evaluation, component, findings: Iterable[Finding] = ()) -> None:
    if component is not None and component.evaluation_id != evaluation.id:
        raise ValueError("component of another evaluation")
    if any(finding.evaluation_id != evaluation.id for finding in findings):
        raise ValueError("finding of another evaluation")


def add_finding(actor, evaluation: Evaluation, text: str, component=None, number=None) -> Finding:
    """Add a finding (catatan); without a number it gets the next one in its component."""
    _check_belongs(evaluation, component)
    finding = Finding(
        evaluation=evaluation,
        component=component,
        number=number or _next_number(Finding, evaluation, component),
        text=text.strip(),
    )
    db.session.add(finding)
    db.session.flush()
    audit.record(actor, finding, "create", number=finding.number, component_id=finding.component_id)
    db.session.flush()
    return finding


def _renumbered(model, item, component, number) -> int:
    if number:
        return number
    if item.component_id == getattr(component, "id", None):
        return item.number
    return _next_number(model, item.evaluation, component)


def update_finding(actor, finding: Finding, text: str, component=None, number=None) -> Finding:
    """Change a finding's text, component or number (empty number: kept or next in component)."""
    _check_belongs(finding.evaluation, component)
    values = {
        "number": _renumbered(Finding, finding, component, number),
        "text": text.strip(),
        "component_id": getattr(component, "id", None),
    }
    diff = audit.changes(finding, values)
    if "component_id" in diff:
        finding.component = component
    if diff:
        audit.record(actor, finding, "update", **diff)
    db.session.flush()
    return finding


def delete_finding(actor, finding: Finding) -> None:
    """Delete a finding; recommendations that cited it simply lose the link."""
    linked = db.session.scalars(
        select(Recommendation).where(Recommendation.findings.contains(finding))
    ).all()
    for recommendation in linked:
        recommendation.findings.remove(finding)
    audit.record(
        actor, finding, "delete", number=finding.number, recommendations=[r.id for r in linked]
    )
    db.session.delete(finding)
    db.session.flush()


def add_recommendation(
    actor, evaluation: Evaluation, text: str, component=None, number=None, findings=()
) -> Recommendation:
    """Add a recommendation and its follow-up (not started, due on the evaluation's deadline)."""
    findings = list(findings)
    _check_belongs(evaluation, component, findings)
    recommendation = Recommendation(
        evaluation=evaluation,
        component=component,
        number=number or _next_number(Recommendation, evaluation, component),
        text=text.strip(),
        findings=findings,
    )
    recommendation.followup = FollowUp(
        status=FollowUpStatus.BELUM, due_date=evaluation.followup_deadline
    )
    db.session.add(recommendation)
    db.session.flush()
    audit.record(
        actor,
        recommendation,
        "create",
        number=recommendation.number,
        component_id=recommendation.component_id,
        findings=[f.id for f in findings],
    )
    audit.record(actor, recommendation.followup, "create", due_date=evaluation.followup_deadline)
    db.session.flush()
    return recommendation


def update_recommendation(
    actor, recommendation: Recommendation, text: str, component=None, number=None, findings=()
) -> Recommendation:
    """Change a recommendation's text, component, number and related findings."""
    findings = list(findings)
    _check_belongs(recommendation.evaluation, component, findings)
    values = {
        "number": _renumbered(Recommendation, recommendation, component, number),
        "text": text.strip(),
        "component_id": getattr(component, "id", None),
    }
    diff = audit.changes(recommendation, values)
    if "component_id" in diff:
        recommendation.component = component
    old_ids = sorted(f.id for f in recommendation.findings)
    new_ids = sorted(f.id for f in findings)
    if old_ids != new_ids:
        recommendation.findings = findings
        diff["findings"] = [old_ids, new_ids]
    if diff:
        audit.record(actor, recommendation, "update", **diff)
    db.session.flush()
    return recommendation


def delete_recommendation(actor, recommendation: Recommendation) -> None:
    """Delete a recommendation and its follow-up, unless work on the follow-up has started."""
    if recommendation.followup is not None and recommendation.followup.has_started:
        raise EvaluationError(
            _l("Rekomendasi ini tidak dapat dihapus karena tindak lanjutnya sudah dikerjakan.")
        )
    audit.record(actor, recommendation, "delete", number=recommendation.number)
    db.session.delete(recommendation)
    db.session.flush()
