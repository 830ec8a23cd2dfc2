"""apply_review: the koordinator's corrections of a parse, without any database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.lhe.document import Component, Item, ParsedLHE
from tracker.lhe.review import (
    ItemEdit,
    ReviewEdits,
    apply_review,
    review_warnings,
    save_problems,
    split_parts,
)

PLAN, MEASURE, REPORT = "Perencanaan Kinerja", "Pengukuran Kinerja", "Pelaporan Kinerja"


def make_parse() -> ParsedLHE:
    return ParsedLHE(
        institution="Politeknik Contoh",
        year=2024,
        evaluator="Inspektorat Jenderal",
        components=[
            Component(PLAN, Decimal(30), Decimal("23.7")),
            Component(MEASURE, Decimal(30), Decimal("23.1")),
            Component(REPORT, Decimal(15), Decimal("12.75")),
        ],
        total_score=Decimal("59.55"),
        predikat="CC",
        findings=[Item(PLAN, 1, "Target belum menantang."), Item(MEASURE, 1, "Belum ada IKU.")],
        recommendations=[
            Item(PLAN, 1, "Tetapkan target yang menantang."),
            Item(MEASURE, 1, "Susun IKU."),
            Item(MEASURE, 2, "Ukur kinerja"),
            Item(MEASURE, 3, "setiap triwulan."),
            Item(REPORT, 1, "Susun laporan kinerja."),
        ],
        warnings=["Halaman 2: kop berulang dibuang."],
    )


def texts(items):
    return [(i.component, i.number, i.text) for i in items]


def test_no_edit_changes_nothing():
    parsed = make_parse()
    result = apply_review(parsed, ReviewEdits.from_parsed(parsed))
    assert result.to_json() == parsed.to_json()


def test_header_and_text_edit():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.institution = "  Politeknik   Contoh Jaya "
    edits.report_date = date(2024, 12, 10)
    edits.recommendations[0].text = "Tetapkan target kinerja yang menantang dan realistis."
    result = apply_review(parsed, edits)
    assert result.institution == "Politeknik Contoh Jaya"
    assert result.report_date == date(2024, 12, 10)
    assert result.recommendations[0].text == "Tetapkan target kinerja yang menantang dan realistis."
    assert result.warnings == parsed.warnings  # the parser's warnings stay


def test_move_to_another_component_renumbers_both():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.recommendations[4].component = PLAN  # "Susun laporan kinerja." to Perencanaan
    result = apply_review(parsed, edits)
    assert texts(result.recommendations)[:2] == [
        (PLAN, 1, "Tetapkan target yang menantang."),
        (PLAN, 2, "Susun laporan kinerja."),
    ]
    assert [i.component for i in result.recommendations].count(REPORT) == 0


def test_merge_into_previous_item():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.recommendations[3].merge = True  # "setiap triwulan." continues "Ukur kinerja"
    result = apply_review(parsed, edits)
    assert texts(result.recommendations) == [
        (PLAN, 1, "Tetapkan target yang menantang."),
        (MEASURE, 1, "Susun IKU."),
        (MEASURE, 2, "Ukur kinerja setiap triwulan."),
        (REPORT, 1, "Susun laporan kinerja."),
    ]


def test_merge_on_the_first_item_is_ignored():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.findings[0].merge = True
    assert apply_review(parsed, edits).findings == parsed.findings


def test_split_at_a_dash_line():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.recommendations[1].text = "Susun IKU.\n  ---  \nTetapkan target IKU.\n---\n"
    result = apply_review(parsed, edits)
    assert texts(result.recommendations)[1:4] == [
        (MEASURE, 1, "Susun IKU."),
        (MEASURE, 2, "Tetapkan target IKU."),
        (MEASURE, 3, "Ukur kinerja"),
    ]


def test_drop_and_add_then_renumber():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.recommendations[1].drop = True
    edits.recommendations += [
        ItemEdit(MEASURE, "Manfaatkan hasil pengukuran.", new=True),
        ItemEdit(None, "Rekomendasi umum.", new=True),
        ItemEdit(PLAN, "   ", new=True),  # an empty added row: ignored
        ItemEdit(PLAN, "---", new=True),  # nothing but a split mark: ignored too
    ]
    edits.findings.append(ItemEdit(REPORT, "Laporan terlambat.", new=True))
    result = apply_review(parsed, edits)
    assert texts(result.recommendations) == [
        (PLAN, 1, "Tetapkan target yang menantang."),
        (MEASURE, 1, "Ukur kinerja"),
        (MEASURE, 2, "setiap triwulan."),
        (MEASURE, 3, "Manfaatkan hasil pengukuran."),
        (REPORT, 1, "Susun laporan kinerja."),
        (None, 1, "Rekomendasi umum."),
    ]
    assert texts(result.findings)[-1] == (REPORT, 1, "Laporan terlambat.")


def test_renaming_a_component_carries_its_items():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.components[0].name = "Perencanaan Kinerja (revisi)"
    result = apply_review(parsed, edits)
    assert result.components[0].name == "Perencanaan Kinerja (revisi)"
    assert result.recommendations[0].component == "Perencanaan Kinerja (revisi)"
    assert result.findings[0].component == "Perencanaan Kinerja (revisi)"


def test_scores_edit_and_dropped_component():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.components[2].drop = True
    edits.components[0].score = Decimal("24")
    edits.total_score = Decimal("47.1")
    edits.predikat = "c"
    result = apply_review(parsed, edits)
    assert [c.name for c in result.components] == [PLAN, MEASURE]
    assert result.components[0].score == Decimal(24)
    assert result.predikat == "C"
    # items of the dropped component keep their component name (and are reported)
    assert result.recommendations[-1].component == REPORT


def test_kept_item_without_text_is_an_error():
    parsed = make_parse()
    edits = ReviewEdits.from_parsed(parsed)
    edits.findings[0].text = "  "
    with pytest.raises(ValueError):
        apply_review(parsed, edits)
    edits.findings[0].text = "\n---\n"
    with pytest.raises(ValueError):
        apply_review(parsed, edits)


def test_split_parts():
    assert split_parts("a\n---\nb") == ["a", "b"]
    assert split_parts("a --- b") == ["a --- b"]  # only a line of its own splits
    assert split_parts("---\n---") == []


def test_warnings_recomputed(app_ctx):
    parsed = make_parse()
    warnings = review_warnings(parsed, inclusive=False)
    assert warnings[0] == "Halaman 2: kop berulang dibuang."
    assert any("Jumlah bobot komponen 75" in w for w in warnings)
    edits = ReviewEdits.from_parsed(parsed)
    edits.components[2].drop = True
    edits.total_score = Decimal("46.8")
    after = review_warnings(apply_review(parsed, edits), inclusive=False)
    assert any("Pelaporan Kinerja dipakai" in w for w in after)
    assert any("Predikat CC tidak sesuai" in w for w in after)


def test_save_problems(app_ctx):
    parsed = make_parse()
    assert save_problems(parsed, {}) == []
    parsed.institution = None
    parsed.year = 1999
    parsed.total_score = Decimal(101)
    parsed.components.append(Component("Capaian Kinerja", None, Decimal(5)))
    problems = save_problems(parsed, {})
    assert len(problems) == 4
    assert "Bobot komponen Capaian Kinerja belum diisi." in problems
    assert (
        save_problems(parsed, {"capaian kinerja": Decimal(20)}).count(
            "Bobot komponen Capaian Kinerja belum diisi."
        )
        == 0
    )
