"""Saving a revised LHE over an existing evaluation without losing anyone's work.

Header and scores are updated; findings are replaced; recommendations are matched to the
revised ones (identical text, then the same component and number with a similar text, then the
most similar text): a match keeps its follow-up and takes the new text (audited), a new one is
added with its follow-up, and one missing from the revised document is deleted only when its
follow-up has not started; otherwise it is kept and reported.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core import audit
from tracker.evaluations import items
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.evaluations.repeats import flag_repeats_from
from tracker.evaluations.services import HEADER_FIELDS, update_evaluation
from tracker.extensions import db
from tracker.lhe.document import Item, ParsedLHE
from tracker.lhe.review import component_key
from tracker.lhe.saving import ImportResult, component_rows, header_fields

# A recommendation with the same component and number is the same one if its text is at least
# this similar; any other pair needs the higher bar.
SAME_PLACE_SIMILARITY = 0.5
SIMILARITY = 0.6


def normalized(text: str) -> str:
    """Text compared without case and extra spaces."""
    return " ".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    """0..1: how alike two texts are (difflib ratio on the normalized texts)."""
    return SequenceMatcher(None, normalized(a), normalized(b), autojunk=False).ratio()


def match_recommendations(old: list[Recommendation], new: list[Item]) -> dict[int, Recommendation]:
    """{index in `new`: the existing recommendation it revises}; each used at most once."""
    pairs: dict[int, Recommendation] = {}
    taken: set[int] = set()

    def pair(index: int, recommendation: Recommendation) -> None:
        pairs[index] = recommendation
        taken.add(recommendation.id)

    def free(recommendation: Recommendation) -> bool:
        return recommendation.id not in taken

    def same_place(recommendation: Recommendation, item: Item) -> bool:
        name = recommendation.component.name if recommendation.component else None
        return recommendation.number == item.number and component_key(name) == component_key(
            item.component
        )

    for index, item in enumerate(new):  # 1. the very same text, at the same place if possible
        same = [r for r in old if free(r) and normalized(r.text) == normalized(item.text)]
        if same:
            pair(index, next((r for r in same if same_place(r, item)), same[0]))
    for index, item in enumerate(new):  # 2. same component and number, similar text
        if index in pairs:
            continue
        for recommendation in filter(free, old):
            if (
                same_place(recommendation, item)
                and similarity(recommendation.text, item.text) >= SAME_PLACE_SIMILARITY
            ):
                pair(index, recommendation)
                break
    scored = sorted(  # 3. the most similar texts first
        (
            (similarity(recommendation.text, item.text), index, recommendation)
            for index, item in enumerate(new)
            if index not in pairs
            for recommendation in filter(free, old)
        ),
        key=lambda entry: (-entry[0], entry[1], entry[2].id),
    )
    for score, index, recommendation in scored:
        if score >= SIMILARITY and index not in pairs and free(recommendation):
            pair(index, recommendation)
    return pairs


def _revise_header(actor, evaluation: Evaluation, parsed: ParsedLHE) -> None:
    """The document's fields replace the old ones where it gives them; the institution's own
    dates (received, deadline, next evaluation) and notes stay."""
    header = {name: getattr(evaluation, name) for name in HEADER_FIELDS}
    for name, value in header_fields(parsed).items():
        if value not in (None, "") or name == "predikat":
            header[name] = value
    if parsed.total_score is None and header["predikat"] is None:
        header["predikat"] = evaluation.predikat
    update_evaluation(actor, evaluation, header)


def _revise_components(actor, evaluation: Evaluation, parsed: ParsedLHE) -> list[ComponentScore]:
    """Update components by name, add new ones; returns the old ones the document dropped."""
    existing = {component_key(c.name): c for c in evaluation.components}
    for row in component_rows(parsed):
        component = existing.pop(component_key(row["name"]), None)
        if component is None:
            items.add_component(
                actor, evaluation, row["name"], row["weight"], row["score"], row["order"]
            )
        else:
            items.update_component(
                actor, component, row["name"], row["weight"], row["score"], row["order"]
            )
    return list(existing.values())


def revise(actor, evaluation: Evaluation, parsed: ParsedLHE) -> ImportResult:
    """Apply a revised LHE to `evaluation` (see the module docstring)."""
    warnings: list[str] = []
    _revise_header(actor, evaluation, parsed)
    dropped_components = _revise_components(actor, evaluation, parsed)
    by_name = {component_key(c.name): c for c in evaluation.components}

    def component_of(item: Item):
        return by_name.get(component_key(item.component)) if item.component else None

    old_findings = db.session.scalars(
        select(Finding).where(Finding.evaluation_id == evaluation.id)
    ).all()
    for finding in old_findings:
        items.delete_finding(actor, finding)
    for item in parsed.findings:
        items.add_finding(actor, evaluation, item.text, component_of(item), item.number)

    old = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(Recommendation.component_id, Recommendation.number, Recommendation.id)
        .options(
            selectinload(Recommendation.followup),
            selectinload(Recommendation.findings),
            selectinload(Recommendation.component),
        )
    ).all()
    pairs = match_recommendations(list(old), parsed.recommendations)
    counts = {"updated": 0, "added": 0, "deleted": 0, "kept": 0}
    for index, item in enumerate(parsed.recommendations):
        recommendation = pairs.get(index)
        if recommendation is None:
            items.add_recommendation(actor, evaluation, item.text, component_of(item), item.number)
            counts["added"] += 1
        else:
            items.update_recommendation(
                actor,
                recommendation,
                item.text,
                component_of(item),
                item.number,
                list(recommendation.findings),
            )
            counts["updated"] += 1
    matched = {r.id for r in pairs.values()}
    highest: dict[int | None, int] = {}
    for item in parsed.recommendations:
        key = getattr(component_of(item), "id", None)
        highest[key] = max(highest.get(key, 0), item.number)
    for recommendation in old:
        if recommendation.id in matched:
            continue
        if recommendation.followup is None or not recommendation.followup.has_started:
            items.delete_recommendation(actor, recommendation)
            counts["deleted"] += 1
            continue
        counts["kept"] += 1
        old_number = recommendation.number
        number = highest.get(recommendation.component_id, 0) + 1
        highest[recommendation.component_id] = number
        items.update_recommendation(
            actor,
            recommendation,
            recommendation.text,
            recommendation.component,
            number,
            list(recommendation.findings),
        )
        warnings.append(
            _(
                "Rekomendasi %(component)s nomor %(number)d tidak ada di LHE revisi, tetapi "
                "tindak lanjutnya sudah dikerjakan, jadi tetap disimpan (kini nomor %(new)d): "
                "%(text)s",
                component=recommendation.component.name
                if recommendation.component
                else _("tanpa komponen"),
                number=old_number,
                new=number,
                text=_shorten(recommendation.text),
            )
        )
    for component in dropped_components:
        if items.component_in_use(component):
            warnings.append(
                _(
                    "Komponen %(name)s tidak ada di LHE revisi, tetapi tetap disimpan karena "
                    "masih dipakai rekomendasi yang dipertahankan.",
                    name=component.name,
                )
            )
        else:
            items.delete_component(actor, component)
    counts.update(
        components=len(parsed.components),
        findings=len(parsed.findings),
        recommendations=len(parsed.recommendations),
    )
    audit.record(actor, evaluation, "revise", **counts)
    db.session.flush()
    db.session.expire(evaluation, ["components", "findings", "recommendations"])
    flag_repeats_from(evaluation)  # revised texts may repeat (or no longer repeat) earlier years
    return ImportResult(evaluation, "revision", warnings, counts)


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
