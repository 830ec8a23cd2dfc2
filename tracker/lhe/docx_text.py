"""The text of a DOCX body in reading order: paragraphs, tables as tab-separated rows.

Word's automatic list numbers are not part of a paragraph's text, so they are rebuilt from the
numbering definitions ("1.", "a)", bullets) and put in front, as a printed report shows them.
"""

from __future__ import annotations

import functools
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

_BULLET = "\u2022"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def docx_text(document: DocumentObject) -> str:
    """All body paragraphs and tables of `document`, one line per paragraph or table row."""
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(numbering.prefix(block) + block.text)
        elif isinstance(block, Table):
            lines.extend(_table_rows(block))
    return "\n".join(lines)


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


@functools.cache
def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces={"w": qn("w:p").split("}")[0][1:]})


def _all(element: Any, path: str) -> list[Any]:
    return _xpath(path)(element)


def _val(element: Any, path: str) -> str | None:
    found = _all(element, path)
    return str(found[0]) if found else None


def _format(number: int, kind: str) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        text = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            text = chr(ord("a") + rest) + text
        return text.upper() if kind == "upperLetter" else text
    if kind in ("lowerRoman", "upperRoman"):
        text = ""
        for value, letters in _ROMAN:
            while number >= value:
                text, number = text + letters, number - value
        return text.upper() if kind == "upperRoman" else text
    return str(number)


class _Numbering:
    """Counters of Word's list instances, turned into printed markers."""

    def __init__(self, document: DocumentObject) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {_val(a, "@w:abstractNumId"): a for a in _all(root, "w:abstractNum")}
        for num in _all(root, "w:num"):
            definition = abstract.get(_val(num, "w:abstractNumId/@w:val"))
            if definition is None:
                continue
            for lvl in _all(definition, "w:lvl"):
                level = int(_val(lvl, "@w:ilvl") or 0)
                self.levels[(_val(num, "@w:numId") or "", level)] = (
                    _val(lvl, "w:numFmt/@w:val") or "decimal",
                    _val(lvl, "w:lvlText/@w:val") or "",
                    int(_val(lvl, "w:start/@w:val") or 1),
                )

    def prefix(self, paragraph: Paragraph) -> str:
        """The marker Word prints before `paragraph` ("1. ", "a) ", "\u2022 "), or ""."""
        num_id, level = self._num_pr(paragraph)
        if num_id is None or (num_id, level) not in self.levels:
            return ""
        kind, template, start = self.levels[(num_id, level)]
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        if kind == "bullet":
            return _BULLET + " "
        if kind == "none":
            return ""
        text = template
        for lvl in range(level, -1, -1):
            lvl_kind = self.levels.get((num_id, lvl), ("decimal", "", 1))[0]
            value = counters.get(lvl, self.levels.get((num_id, lvl), ("", "", 1))[2])
            text = text.replace(f"%{lvl + 1}", _format(value, lvl_kind))
        return text + " " if text else ""

    @staticmethod
    def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
        for element in (paragraph._p, getattr(paragraph.style, "element", None)):
            if element is None:
                continue
            num_id = _val(element, "w:pPr/w:numPr/w:numId/@w:val")
            if num_id is not None:
                return (None if num_id == "0" else num_id), int(
                    _val(element, "w:pPr/w:numPr/w:ilvl/@w:val") or 0
                )
        return None, 0
