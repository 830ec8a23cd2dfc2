"""The SVG charts: well-formed, accessible, escaped, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from markupsafe import Markup

from tracker.dashboard.charts import (
    CHAR_WIDTH,
    TRACK,
    WIDTH,
    Bar,
    Segment,
    progress_bars,
    score_chart,
    stacked_bar,
)

NS = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & "quotes"'


def _parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output; raises if not well-formed
    assert root.tag == f"{NS}svg"
    return root


def _bars(root: ET.Element) -> list[ET.Element]:
    """The drawn rectangles that carry a tooltip (the data, not the tracks or legend keys)."""
    return [
        rect
        for rect in root.iter(f"{NS}rect")
        if rect.find(f"{NS}title") is not None and rect.get("fill") != TRACK
    ]


def _accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert root.get("width") == "100%"
    assert root.find(f"{NS}title").text == title
    assert root.get("aria-label").startswith(title)
    assert not list(root.iter(f"{NS}script"))
    assert not list(root.iter(f"{NS}image"))


def test_stacked_bar_widths_are_proportional_and_legend_complete():
    segments = [
        Segment("Belum Ditindaklanjuti", 2, "#6c757d", "2 (20%)"),
        Segment("Belum Sesuai", 5, "#b06f00", "5 (50%)"),
        Segment("Sesuai", 3, "#007a5a", "3 (30%)"),
        Segment("Tidak Dapat Ditindaklanjuti", 0, "#0072b2", "0 (0%)"),
    ]
    root = _parse(stacked_bar("Status", segments))
    _accessible(root, "Status")
    drawn = _bars(root)
    assert [float(rect.get("width")) for rect in drawn] == [0.2 * WIDTH, 0.5 * WIDTH, 0.3 * WIDTH]
    assert [float(rect.get("x")) for rect in drawn] == [0.0, 0.2 * WIDTH, 0.7 * WIDTH]
    assert [rect.get("fill") for rect in drawn] == ["#6c757d", "#b06f00", "#007a5a"]
    texts = [text.text for text in root.iter(f"{NS}text")]
    assert texts == [
        "Belum Ditindaklanjuti: 2 (20%)",
        "Belum Sesuai: 5 (50%)",
        "Sesuai: 3 (30%)",
        "Tidak Dapat Ditindaklanjuti: 0 (0%)",
    ]
    assert "Belum Sesuai 5 (50%)" in root.get("aria-label")


def test_stacked_bar_with_nothing_draws_only_the_track():
    root = _parse(stacked_bar("Status", [Segment("Sesuai", 0, "#007a5a", "0")]))
    assert _bars(root) == []
    assert len(list(root.iter(f"{NS}rect"))) == 2  # the empty track and the legend key


def test_progress_bars_fill_to_their_percent():
    bars = [
        Bar("Perencanaan Kinerja", 47.5, "1/4 selesai · 47,5%"),
        Bar("Pengukuran Kinerja", 100, "3/3 selesai · 100%"),
        Bar("Pelaporan Kinerja", None, "0/0 selesai · —"),
        Bar("Out of range", 140, "?"),
    ]
    root = _parse(progress_bars("Progres per komponen", bars))
    _accessible(root, "Progres per komponen")
    assert [float(rect.get("width")) for rect in _bars(root)] == [0.475 * WIDTH, WIDTH, WIDTH]
    tracks = [rect for rect in root.iter(f"{NS}rect") if rect.get("fill") == TRACK]
    assert len(tracks) == 4 and {rect.get("width") for rect in tracks} == {str(WIDTH)}
    assert tracks[2].find(f"{NS}title").text == "Pelaporan Kinerja: 0/0 selesai · —"
    texts = [text.text for text in root.iter(f"{NS}text")]
    assert texts[:2] == ["Perencanaan Kinerja", "1/4 selesai · 47,5%"]


def test_long_labels_are_shortened_inside_the_drawing():
    root = _parse(progress_bars("P", [Bar("x" * 200, 10, "1/1 selesai · 10%")]))
    label = next(root.iter(f"{NS}text")).text
    assert label.endswith("…") and len(label) * CHAR_WIDTH < WIDTH
    tips = [title.text for title in root.iter(f"{NS}title")][1:]  # after the chart's own
    assert tips == [f"{'x' * 200}: 1/1 selesai · 10%"] * 2  # on the track and on the fill


def test_every_text_is_escaped():
    charts = [
        stacked_bar(EVIL, [Segment(EVIL, 1, "#000", EVIL)]),
        progress_bars(EVIL, [Bar(EVIL, 50, EVIL)]),
        score_chart(EVIL, [(2024, {EVIL: Decimal("20")}, EVIL)]),
    ]
    for svg in charts:
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        root = _parse(svg)
        assert not list(root.iter(f"{NS}script"))
        assert root.find(f"{NS}title").text == EVIL  # read back intact
        assert EVIL in root.get("aria-label")


def test_score_chart_groups_bars_by_year_with_heights_to_scale():
    series = [
        (2023, {"Perencanaan": Decimal("20"), "Pengukuran": Decimal("15")}, "B"),
        (2024, {"Perencanaan": Decimal("25"), "Pengukuran": None, "Pelaporan": 10.0}, "BB"),
    ]
    root = _parse(score_chart("Nilai per tahun", series, fmt=lambda v: f"{v:g}".replace(".", ",")))
    _accessible(root, "Nilai per tahun")
    drawn = _bars(root)
    tips = [rect.find(f"{NS}title").text for rect in drawn]
    assert tips == [
        "Perencanaan 2023: 20",
        "Pengukuran 2023: 15",
        "Perencanaan 2024: 25",
        "Pelaporan 2024: 10",
    ]
    # axis up to 25 (the highest score, a multiple of 5) over 180 units of height
    heights = [float(rect.get("height")) for rect in drawn]
    assert heights == [144.0, 108.0, 180.0, 72.0]
    bottoms = {float(rect.get("y")) + float(rect.get("height")) for rect in drawn}
    assert bottoms == {188.0}
    # one colour per component, the same in every year
    assert drawn[0].get("fill") == drawn[2].get("fill") != drawn[1].get("fill")
    texts = [text.text for text in root.iter(f"{NS}text")]
    assert "2023 · B" in texts and "2024 · BB" in texts
    assert texts[-3:] == ["Perencanaan", "Pengukuran", "Pelaporan"]  # the legend
    assert texts[:6] == ["0", "5", "10", "15", "20", "25"]  # gridline labels
    assert "2024 · BB: Perencanaan 25, Pelaporan 10" in root.get("aria-label")


def test_score_chart_without_scores_is_still_a_chart():
    root = _parse(score_chart("Nilai per tahun", []))
    assert _bars(root) == []
    assert root.find(f"{NS}title").text == "Nilai per tahun"
