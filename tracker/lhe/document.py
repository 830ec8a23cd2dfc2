"""The parse of an LHE: plain dataclasses shared by the parser, the CLI, the preview and drafts.

`to_json()` gives the shape of shared/samples/*.expected.json plus `evaluator`, `number`,
`report_date` and `warnings` at the top and `number` on each item; `from_json()` reads it back
(a draft under review is stored that way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


class NotAnLHE(ValueError):
    """The document has neither a score table nor recommendations: nothing to import."""


class UnreadableDocument(ValueError):
    """The file cannot be turned into text (scanned PDF without text, damaged file, ...)."""


@dataclass
class Component:
    name: str
    weight: Decimal | None = None
    score: Decimal | None = None


@dataclass
class Item:
    """A finding (catatan) or a recommendation; `component` is a canonical component name."""

    component: str | None
    number: int
    text: str


@dataclass
class ParsedLHE:
    institution: str | None = None
    year: int | None = None
    evaluator: str | None = None
    number: str | None = None
    report_date: date | None = None
    components: list[Component] = field(default_factory=list)
    total_score: Decimal | None = None
    predikat: str | None = None
    findings: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "institution": self.institution,
            "year": self.year,
            "evaluator": self.evaluator,
            "number": self.number,
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "components": [
                {"name": c.name, "weight": _number(c.weight), "score": _number(c.score)}
                for c in self.components
            ],
            "total_score": _number(self.total_score),
            "predikat": self.predikat,
            "findings": [_item_json(item) for item in self.findings],
            "recommendations": [_item_json(item) for item in self.recommendations],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedLHE:
        report_date = data.get("report_date")
        return cls(
            institution=data.get("institution"),
            year=data.get("year"),
            evaluator=data.get("evaluator"),
            number=data.get("number"),
            report_date=date.fromisoformat(report_date) if report_date else None,
            components=[
                Component(c["name"], _decimal(c.get("weight")), _decimal(c.get("score")))
                for c in data.get("components", [])
            ],
            total_score=_decimal(data.get("total_score")),
            predikat=data.get("predikat"),
            findings=[_item(i) for i in data.get("findings", [])],
            recommendations=[_item(i) for i in data.get("recommendations", [])],
            warnings=list(data.get("warnings", [])),
        )


def _number(value: Decimal | None) -> int | float | None:
    """JSON number as the expected files write it: 30 not 30.0, 23.7 not 23.70."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _item_json(item: Item) -> dict[str, Any]:
    return {"component": item.component, "number": item.number, "text": item.text}


def _item(data: dict[str, Any]) -> Item:
    return Item(data.get("component"), int(data.get("number") or 0), data["text"])
