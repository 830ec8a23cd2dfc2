"""Charts drawn on the server as self-contained SVG: no JavaScript, no external resources.

Each builder returns the Markup of one <svg> with role="img", an aria-label that reads out every
value, and a <title>; all text is escaped here (callers pass plain strings). The drawing is
`WIDTH` units wide and scales to its container (viewBox, width 100 %). Values are formatted by
the caller (`text`, `fmt`), so numbers follow the user's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

# 400 units: on a phone (about 330 px) the text stays near 12 px; on a wide screen the drawing
# stops growing at MAX_WIDTH.
WIDTH = 400
MAX_WIDTH = "40rem"
FONT_SIZE = 14
CHAR_WIDTH = 7.5  # about, at FONT_SIZE: used to keep labels inside the drawing
TRACK = "#e9ecef"
BAR = "#0d6efd"
TEXT = "#212529"
MUTED = "#6c757d"
# Series colours, each at least 4:1 against white and told apart with common colour blindness.
PALETTE = ("#0072b2", "#c35a00", "#007a5a", "#a4508b", "#5f6b7a", "#8a6d00")


@dataclass(frozen=True)
class Segment:
    """A part of a stacked bar: `value` sizes it, `text` is how the value reads ("4 (40 %)")."""

    label: str
    value: float
    colour: str
    text: str = ""


@dataclass(frozen=True)
class Bar:
    """A progress bar: `percent` 0-100 (None: nothing to measure), `text` read beside it."""

    label: str
    percent: float | None
    text: str = ""


def _n(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _clip(text: str, width: float) -> str:
    """`text` shortened with an ellipsis to about `width` units."""
    limit = max(int(width // CHAR_WIDTH), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str, tip: str = "") -> str:
    title = f"<title>{escape(tip)}</title>" if tip else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{escape(fill)}">{title}</rect>'
    )


def _svg(height: float, title: str, summary: str, body: Sequence[str]) -> Markup:
    label = f"{title}: {summary}" if summary else title
    # Every piece of text in `body` went through escape() in _text/_rect; numbers are ours.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" style="height:auto;display:block;max-width:{MAX_WIDTH}" role="img" '
        f'aria-label="{escape(label)}" font-family="system-ui, sans-serif" '
        f'font-size="{FONT_SIZE}" fill="{TEXT}"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def stacked_bar(title: str, segments: Sequence[Segment]) -> Markup:
    """One horizontal bar split into `segments` by value, with a legend line per segment."""
    total = sum(max(s.value, 0) for s in segments)
    body = [_rect(0, 0, WIDTH, 28, TRACK)]
    x = 0.0
    for segment in segments:
        if total and segment.value > 0:
            width = WIDTH * segment.value / total
            body.append(_rect(x, 0, width, 28, segment.colour, f"{segment.label}: {segment.text}"))
            x += width
    for i, segment in enumerate(segments):
        y = 44 + i * 22
        body.append(_rect(0, y, 12, 12, segment.colour))
        line = f"{segment.label}: {segment.text}" if segment.text else segment.label
        body.append(_text(18, y + 11, _clip(line, WIDTH - 18)))
    summary = "; ".join(f"{s.label} {s.text}".strip() for s in segments)
    return _svg(44 + len(segments) * 22, title, summary, body)


def progress_bars(title: str, bars: Sequence[Bar]) -> Markup:
    """A labelled bar per row, filled to its percent; `text` on the right of the label line."""
    body: list[str] = []
    row = 42
    for i, bar in enumerate(bars):
        y = i * row
        text_width = len(bar.text) * CHAR_WIDTH
        body.append(_text(0, y + 13, _clip(bar.label, WIDTH - text_width - 12)))
        body.append(_text(WIDTH, y + 13, bar.text, "end", fill=MUTED))
        tip = f"{bar.label}: {bar.text}"  # the whole label, however it was shortened
        body.append(_rect(0, y + 19, WIDTH, 14, TRACK, tip))
        if bar.percent:
            width = WIDTH * min(max(bar.percent, 0), 100) / 100
            body.append(_rect(0, y + 19, width, 14, BAR, tip))
    summary = "; ".join(f"{b.label} {b.text}".strip() for b in bars)
    return _svg(max(len(bars) * row, 1), title, summary, body)


def _default_fmt(value: float) -> str:
    return f"{value:g}"


def _axis_top(highest: float) -> tuple[float, float]:
    """(top of the value axis, gridline step) for values up to `highest`."""
    step = 5.0 if highest <= 30 else 10.0 if highest <= 60 else 20.0
    return max(step, math.ceil(highest / step) * step), step


def score_chart(
    title: str,
    series: Sequence[tuple[int, dict[str, Decimal | float | None], str | None]],
    fmt: Callable[[float], str] = _default_fmt,
) -> Markup:
    """Grouped bars: per year (with its predikat under it) one bar per component score.

    `series` is [(year, {component name: score}, predikat)] in the order to draw; a component
    missing from a year (or None) draws no bar there.
    """
    names: list[str] = []
    for _year, scores, _predikat in series:
        names.extend(name for name in scores if name not in names)
    values = [
        float(score)
        for _year, scores, _predikat in series
        for score in scores.values()
        if score is not None
    ]
    top, step = _axis_top(max(values, default=0))
    left, plot_top, plot_height = 36.0, 8.0, 180.0
    plot_width = WIDTH - left
    base = plot_top + plot_height
    body: list[str] = []
    grid = 0.0
    while grid <= top + 1e-9:
        y = base - plot_height * grid / top
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{WIDTH}" y2="{_n(y)}" stroke="#dee2e6"/>'
        )
        body.append(_text(left - 6, y + 4, fmt(grid), "end", fill=MUTED))
        grid += step
    group = plot_width / max(len(series), 1)
    bar_width = group * 0.8 / max(len(names), 1)
    summary: list[str] = []
    for g, (year, scores, predikat) in enumerate(series):
        start = left + g * group + group * 0.1
        heading = f"{year} · {predikat}" if predikat else str(year)
        read: list[str] = []
        for c, name in enumerate(names):
            score = scores.get(name)
            if score is None:
                continue
            height = plot_height * float(score) / top
            colour = PALETTE[c % len(PALETTE)]
            tip = f"{name} {year}: {fmt(float(score))}"
            body.append(_rect(start + c * bar_width, base - height, bar_width, height, colour, tip))
            read.append(f"{name} {fmt(float(score))}")
        summary.append(f"{heading}: {', '.join(read)}" if read else heading)
        body.append(_text(left + g * group + group / 2, base + 18, heading, "middle"))
    for c, name in enumerate(names):
        y = base + 34 + c * 22
        body.append(_rect(left, y, 12, 12, PALETTE[c % len(PALETTE)]))
        body.append(_text(left + 18, y + 11, _clip(name, plot_width - 18)))
    height = base + 34 + len(names) * 22
    return _svg(height, title, "; ".join(summary), body)
