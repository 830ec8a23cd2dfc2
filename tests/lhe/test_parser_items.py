"""Findings and recommendations: numbering styles, sub-points, layouts, heading synonyms."""

from __future__ import annotations

import pytest

from tests.lhe.conftest import TABLE
from tracker.lhe.document import Item
from tracker.lhe.parser import parse_text

PLAN, MEASURE, REPORT, INTERNAL = (
    "Perencanaan Kinerja",
    "Pengukuran Kinerja",
    "Pelaporan Kinerja",
    "Evaluasi Akuntabilitas Kinerja Internal",
)


def _items(body: str) -> tuple[list[tuple], list[tuple]]:
    parsed = parse_text(TABLE + body)

    def plain(items: list[Item]) -> list[tuple]:
        return [(i.component, i.number, i.text) for i in items]

    return plain(parsed.findings), plain(parsed.recommendations)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1.", "2."),
        ("1)", "2)"),
        ("(1)", "(2)"),
        ("a.", "b."),
        ("a)", "b)"),
        ("(a)", "(b)"),
        ("A.", "B."),
        ("I.", "II."),
        ("i.", "ii."),
        ("\u2022", "\u2022"),
        ("-", "-"),
        ("*", "*"),
        ("\u2013", "\u2013"),
    ],
)
def test_numbering_styles(first, second):
    body = (
        f"Rekomendasi\n{first} Menyusun peta proses bisnis unit kerja.\n"
        f"{second} Menetapkan standar pelayanan\nuntuk setiap layanan.\n"
    )
    assert _items(body)[1] == [
        (None, 1, "Menyusun peta proses bisnis unit kerja."),
        (None, 2, "Menetapkan standar pelayanan untuk setiap layanan."),
    ]


def test_lettered_lines_under_a_numbered_item_stay_inside_it():
    body = """Rekomendasi
1. Menyempurnakan dokumen perencanaan yang meliputi:
a. Rencana Strategis;
b. Rencana Kinerja Tahunan; dan
c. Perjanjian Kinerja.
2. Menyusun laporan kinerja tepat waktu.
"""
    assert _items(body)[1] == [
        (
            None,
            1,
            "Menyempurnakan dokumen perencanaan yang meliputi: a. Rencana Strategis; "
            "b. Rencana Kinerja Tahunan; dan c. Perjanjian Kinerja.",
        ),
        (None, 2, "Menyusun laporan kinerja tepat waktu."),
    ]


def test_inline_sub_points_and_bullets_stay_inside_their_item():
    body = """Saran
a) Membangun sistem data kinerja meliputi: 1) data akademik; 2) data keuangan.
   - termasuk data kepegawaian;
   (1) dengan validasi berjenjang.
b) Melatih operator data kinerja.
"""
    assert _items(body)[1] == [
        (
            None,
            1,
            "Membangun sistem data kinerja meliputi: 1) data akademik; 2) data keuangan. "
            "- termasuk data kepegawaian; (1) dengan validasi berjenjang.",
        ),
        (None, 2, "Melatih operator data kinerja."),
    ]


def test_grouped_per_component_under_each_heading():
    body = """Catatan
A. Perencanaan Kinerja
1. Renstra belum direviu.
2. IKU belum berorientasi hasil.
B. PENGUKURAN KINERJA
1. Data kinerja belum valid.
Rekomendasi
A. Perencanaan
1. Mereviu Renstra.
B. Pengukuran Kinerja (30%)
1. Memvalidasi data kinerja.
"""
    assert _items(body) == (
        [(PLAN, 1, "Renstra belum direviu."), (PLAN, 2, "IKU belum berorientasi hasil."),
         (MEASURE, 1, "Data kinerja belum valid.")],
        [(PLAN, 1, "Mereviu Renstra."), (MEASURE, 1, "Memvalidasi data kinerja.")],
    )  # fmt: skip


def test_one_list_for_the_whole_report():
    body = """Catatan
1. Renstra belum direviu.
2. Pelaporan Kinerja: laporan kinerja terlambat disampaikan.
3. Data kinerja belum valid (Komponen Pengukuran Kinerja).
Rekomendasi
1. Mereviu Renstra.
2. [Evaluasi Internal] Melaksanakan evaluasi internal di semua unit.
"""
    assert _items(body) == (
        [(None, 1, "Renstra belum direviu."),
         (REPORT, 2, "laporan kinerja terlambat disampaikan."),
         (MEASURE, 3, "Data kinerja belum valid.")],
        [(None, 1, "Mereviu Renstra."),
         (INTERNAL, 2, "Melaksanakan evaluasi internal di semua unit.")],
    )  # fmt: skip


def test_catatan_per_component_and_all_recommendations_at_the_end():
    body = """Catatan
A. Perencanaan Kinerja
1. Renstra belum direviu.
B. Evaluasi Internal
1. Evaluasi internal belum menyeluruh.
Rekomendasi
1. Mereviu Renstra.
2. Memperluas evaluasi internal.
"""
    assert _items(body) == (
        [(PLAN, 1, "Renstra belum direviu."), (INTERNAL, 1, "Evaluasi internal belum menyeluruh.")],
        [(None, 1, "Mereviu Renstra."), (None, 2, "Memperluas evaluasi internal.")],
    )


def test_component_blocks_holding_catatan_and_rekomendasi_paragraphs():
    body = """A. Perencanaan Kinerja
Catatan:
Renstra belum direviu sejak
tahun 2021.
Rekomendasi:
Mereviu Renstra.

B. Pelaporan Kinerja
Catatan:
1. Laporan kinerja terlambat.
2. Laporan belum dipublikasikan.
Rekomendasi:
1. Menyampaikan laporan tepat waktu.
"""
    assert _items(body) == (
        [(PLAN, 1, "Renstra belum direviu sejak tahun 2021."),
         (REPORT, 1, "Laporan kinerja terlambat."),
         (REPORT, 2, "Laporan belum dipublikasikan.")],
        [(PLAN, 1, "Mereviu Renstra."), (REPORT, 1, "Menyampaikan laporan tepat waktu.")],
    )  # fmt: skip


def test_numbered_catatan_rekomendasi_blocks():
    body = """Catatan 1: Renstra belum direviu.
Rekomendasi 1: Mereviu Renstra
sebelum akhir tahun.
Catatan 2
Data kinerja belum valid.
Rekomendasi 2
Memvalidasi data kinerja.
"""
    assert _items(body) == (
        [(None, 1, "Renstra belum direviu."), (None, 2, "Data kinerja belum valid.")],
        [(None, 1, "Mereviu Renstra sebelum akhir tahun."), (None, 2, "Memvalidasi data kinerja.")],
    )


FINDINGS_HEADINGS = [
    "Catatan", "CATATAN:", "catatan :", "Hasil Evaluasi", "II. HASIL EVALUASI", "Kelemahan",
    "Permasalahan:", "B. PERMASALAHAN", "Catatan Hasil Evaluasi",
]  # fmt: skip
RECOMMENDATION_HEADINGS = [
    "Rekomendasi", "REKOMENDASI:", "III. REKOMENDASI", "Saran", "saran perbaikan",
    "Saran Perbaikan :", "4) Saran", "rekomendasi",
]  # fmt: skip


@pytest.mark.parametrize(
    ("findings", "recommendations"),
    list(zip(FINDINGS_HEADINGS, RECOMMENDATION_HEADINGS * 2, strict=False)),
)
def test_heading_synonyms(findings, recommendations):
    body = f"{findings}\n1. Renstra belum direviu.\n\n{recommendations}\n1. Mereviu Renstra.\n"
    assert _items(body) == ([(None, 1, "Renstra belum direviu.")], [(None, 1, "Mereviu Renstra.")])


@pytest.mark.parametrize("recommendations", RECOMMENDATION_HEADINGS)
def test_every_recommendation_heading(recommendations):
    body = f"Catatan\n1. Renstra belum direviu.\n{recommendations}\n1. Mereviu Renstra.\n"
    assert _items(body)[1] == [(None, 1, "Mereviu Renstra.")]


def test_a_sentence_starting_with_a_heading_word_is_not_a_heading():
    body = """Catatan
1. Renstra belum direviu.
Rekomendasi tahun lalu belum seluruhnya ditindaklanjuti.
Rekomendasi
1. Mereviu Renstra.
"""
    assert _items(body)[0] == [
        (None, 1, "Renstra belum direviu. Rekomendasi tahun lalu belum seluruhnya ditindaklanjuti.")
    ]


def test_the_closing_ends_the_last_item():
    body = """Rekomendasi
1. Mereviu Renstra.
Demikian laporan ini kami sampaikan.
Bandung, 3 Maret 2025
Inspektur,
Dra. Sari Wulandari
"""
    assert _items(body)[1] == [(None, 1, "Mereviu Renstra.")]


def test_demikian_pula_inside_an_item_does_not_end_the_list():
    body = """Rekomendasi
1. Mereviu Renstra.
Demikian pula rencana strategis unit agar diselaraskan.
2. Menyusun rencana aksi.
"""
    assert _items(body)[1] == [
        (None, 1, "Mereviu Renstra. Demikian pula rencana strategis unit agar diselaraskan."),
        (None, 2, "Menyusun rencana aksi."),
    ]
