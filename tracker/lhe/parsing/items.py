"""Findings (catatan) and recommendations (rekomendasi) with their component and number.

Layouts handled: lists grouped by component under one "Catatan" / "Rekomendasi" heading each;
one list for the whole report; catatan per component with all recommendations at the end;
and component blocks that each hold their own "Catatan" / "Rekomendasi" (also "Catatan 1 /
Rekomendasi 1"). The first list style met after a heading is the item level; lines in another
style (a), b), bullets, ...) are sub-points and stay inside the current item. An item's number
is its position in its group (one component's list in one section), counted from 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.lhe.document import Item
from tracker.lhe.parsing.lines import (
    component_heading,
    is_closing,
    item_label,
    list_marker,
    neutral_heading,
    section_heading,
)

_HEADING_STYLE = "heading"
_ROMAN_AFTER_LETTER = {("I.", "A.", "I"), ("ii.", "a.", "i")}


@dataclass
class _Draft:
    position: int
    section: str
    component: str | None
    group: int
    style: str
    parts: list[str] = field(default_factory=list)
    labelled: bool = False


def join_lines(parts: list[str]) -> str:
    """One line of text: hyphenated breaks rejoined ("pengukur-" + "an"), single spaces."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        broken = re.search(r"(\w+)-$", text)
        if text.endswith("/"):
            text += part  # "dan/" + "atau"
        elif broken and not text.endswith(" -"):
            word = broken.group(1)
            following = re.match(r"\w+", part)
            keep = (
                len(word) == 1  # "e-" + "kinerja"
                or not part[0].islower()
                or (following is not None and _reduplicated(word, following.group(0)))
            )
            text = (text if keep else text[:-1]) + part
        else:
            text = f"{text} {part}" if text else part
    return " ".join(text.split())


def _reduplicated(before: str, after: str) -> bool:
    """ "masing-masing", "berturut-turut", "sebaik-baiknya": the hyphen is part of the word."""
    before, after = before.lower(), after.lower()
    return any(before.endswith(after[:size]) for size in range(3, len(after) + 1))


class _Reader:
    """A line-by-line state machine over the cleaned document."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.component: str | None = None
        self.component_outer = False  # component headings hold the section headings
        self.group = 0
        self.group_component: dict[int, str | None] = {0: None}
        self.marked_groups: set[tuple[int, str]] = set()
        self.top_style: str | None = None
        self.top_mark = ""
        self.current: _Draft | None = None
        self.closed = False
        self.drafts: list[_Draft] = []
        self.loose: list[_Draft] = []  # unnumbered paragraphs, used when a group has no list
        self.loose_open = False
        self.after_component = False

    def new_group(self) -> None:
        self.group += 1
        self.group_component[self.group] = self.component
        self.top_style = None

    def flush(self) -> None:
        if self.current is not None and join_lines(self.current.parts):
            self.drafts.append(self.current)
        self.current = None
        self.loose_open = False

    def start(self, position: int, style: str, text: str) -> None:
        self.flush()
        assert self.section is not None
        self.current = _Draft(position, self.section, self.component, self.group, style, [text])
        self.marked_groups.add((self.group, self.section))

    def heading(self, position: int, line: str) -> bool:
        found = section_heading(line)
        if found is None:
            return False
        self.flush()
        self.closed = False
        if self.after_component:
            self.component_outer = True
        if not self.component_outer and found.number is None:
            self.component = None
        if found.component:
            self.component = found.component
        self.section = found.section
        if found.number is None:
            self.new_group()
        if found.inline or found.number is not None:
            self.start(position, _HEADING_STYLE, found.inline)
        return True

    def item_line(self, position: int, line: str) -> None:
        marker = list_marker(line)
        if marker is None:
            self.continuation(position, line)
            return
        style, mark, text = marker
        current = self.current
        if current is not None and current.style == _HEADING_STYLE:
            if join_lines(current.parts):
                current.parts.append(line)  # sub-points of "Rekomendasi 1: ..."
                return
            self.current = None  # an empty "Catatan 1" heading: its list gives the items
        if self.top_style is None or (self.current is None and style != self.top_style):
            self.top_style, self.top_mark = style, mark
        elif (style, self.top_style, self.top_mark) in _ROMAN_AFTER_LETTER:
            self.top_style = style  # "I." then "II.": the list was roman, not lettered
        if style == self.top_style:
            self.start(position, style, text)
        elif self.current is not None:
            self.current.parts.append(line)

    def continuation(self, position: int, line: str) -> None:
        if self.current is not None:
            self.current.parts.append(line)
        elif self.loose_open and self.loose:
            self.loose[-1].parts.append(line)
        elif self.section is not None:
            draft = _Draft(position, self.section, self.component, self.group, "paragraph", [line])
            self.loose.append(draft)
            self.loose_open = True

    def feed(self, position: int, line: str, previous: str) -> None:
        if not line:
            self.loose_open = False
            return
        if self.heading(position, line):
            self.after_component = False
            return
        if neutral_heading(line):
            self.flush()
            self.section, self.component, self.closed = None, None, False
            self.new_group()
            return
        if self.closed:
            return
        if is_closing(line):
            self.flush()
            self.closed = True
            return
        starts_block = not previous or previous.rstrip().endswith((".", ":", ";", "!", "?"))
        component = component_heading(line, marked_only=not starts_block)
        if component:
            self.flush()
            self.component = component[0]
            self.new_group()
            self.after_component = True
            return
        self.after_component = False
        if self.section is not None:
            self.item_line(position, line)

    def items(self, section: str) -> list[Item]:
        self.flush()
        drafts = [d for d in self.drafts if d.section == section]
        listed = any(group_section[1] == section for group_section in self.marked_groups)
        for draft in self.loose:
            text = join_lines(draft.parts)
            if (
                draft.section == section
                and (draft.group, section) not in self.marked_groups
                and (draft.component is not None or not listed)
                and not text.endswith(":")
            ):
                drafts.append(draft)
        counters: dict[int, int] = {}
        result: list[Item] = []
        for draft in sorted(drafts, key=lambda d: d.position):
            text = join_lines(draft.parts)
            component = draft.component
            if component is None:
                component, text = item_label(text)
            if not text:
                continue
            counters[draft.group] = counters.get(draft.group, 0) + 1
            result.append(Item(component, counters[draft.group], text))
        return result


def parse_items(lines: list[str], skip: set[int]) -> tuple[list[Item], list[Item]]:
    """(findings, recommendations) of the cleaned lines; `skip` holds the score table's lines."""
    reader = _Reader()
    previous = ""
    for position, line in enumerate(lines):
        if position in skip:
            continue
        reader.feed(position, line, previous)
        previous = line
    findings = reader.items("findings")
    return findings, reader.items("recommendations")
