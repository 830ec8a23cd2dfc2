"""Turning a parse into evaluation data through the evaluation services (shared by new
evaluations and revisions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from tracker.evaluations import items
from tracker.evaluations.models import Evaluation
from tracker.evaluations.predikat import CODES
from tracker.evaluations.repeats import flag_repeats_from
from tracker.evaluations.services import CURRENT_COMPONENTS, create_evaluation
from tracker.lhe.document import ParsedLHE
from tracker.lhe.review import component_key

STANDARD_WEIGHTS = {component_key(name): weight for name, weight in CURRENT_COMPONENTS}


@dataclass
class ImportResult:
    """What a save did; `warnings` lists what the koordinator must know (kept items, ...)."""

    evaluation: Evaluation
    mode: str
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def component_rows(parsed: ParsedLHE) -> list[dict]:
    """The score table as the evaluation services take it; a missing weight of a standard
    component (PermenPANRB 88/2021) is filled in."""
    return [
        {
            "name": c.name,
            "weight": c.weight if c.weight is not None else STANDARD_WEIGHTS[component_key(c.name)],
            "score": c.score,
            "order": order,
        }
        for order, c in enumerate(parsed.components, start=1)
    ]


def header_fields(parsed: ParsedLHE) -> dict[str, Any]:
    """The evaluation header fields the document gives."""
    return {
        "institution": parsed.institution or "",
        "year": parsed.year,
        "evaluator": parsed.evaluator or "",
        "document_number": parsed.number or "",
        "report_date": parsed.report_date,
        "total_score": parsed.total_score,
        "predikat": parsed.predikat if parsed.predikat in CODES else None,
    }


def add_items(actor, evaluation: Evaluation, parsed: ParsedLHE) -> None:
    """Create the findings and the recommendations (each with its follow-up)."""
    by_name = {component_key(c.name): c for c in evaluation.components}
    for item in parsed.findings:
        component = by_name.get(component_key(item.component)) if item.component else None
        items.add_finding(actor, evaluation, item.text, component, item.number)
    for item in parsed.recommendations:
        component = by_name.get(component_key(item.component)) if item.component else None
        items.add_recommendation(actor, evaluation, item.text, component, item.number)


def create_from_parse(actor, parsed: ParsedLHE, received, deadline) -> ImportResult:
    """A new evaluation with its components, findings and recommendations (with follow-ups)."""
    header = {
        **header_fields(parsed),
        "received_date": received,
        "followup_deadline": deadline,
        "next_evaluation_date": None,
        "notes": "",
    }
    evaluation = create_evaluation(actor, header, component_rows(parsed))
    add_items(actor, evaluation, parsed)
    repeats = flag_repeats_from(evaluation)
    counts = {
        "components": len(parsed.components),
        "findings": len(parsed.findings),
        "recommendations": len(parsed.recommendations),
    }
    warnings = []
    if repeats:
        warnings.append(
            _(
                "%(count)d rekomendasi mirip rekomendasi tahun sebelumnya dan ditandai berulang.",
                count=len(repeats),
            )
        )
    return ImportResult(evaluation, "new", warnings, counts)
