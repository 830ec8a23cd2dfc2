"""The score table: separators, decimal commas, two-year columns, total and predikat rows,
component name spellings and the two component schemes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.lhe.parser import parse_text

TITLE = "Hasil Evaluasi Akuntabilitas Kinerja\nBadan Contoh\nTahun 2024\nTanggal: 2 Mei 2025\n\n"
RECOMMENDATIONS = "\nCatatan\n1. Renstra belum direviu.\nRekomendasi\n1. Mereviu Renstra.\n"
FOUR = [
    ("Perencanaan Kinerja", Decimal(30), Decimal("24.1")),
    ("Pengukuran Kinerja", Decimal(30), Decimal("22.5")),
    ("Pelaporan Kinerja", Decimal(15), Decimal("11.25")),
    ("Evaluasi Akuntabilitas Kinerja Internal", Decimal(25), Decimal("19.8")),
]


def _scores(table: str, title: str = TITLE):
    parsed = parse_text(title + table + RECOMMENDATIONS)
    components = [(c.name, c.weight, c.score) for c in parsed.components]
    return components, parsed.total_score, parsed.predikat, parsed.warnings


LAYOUTS = {
    "tabs": """No\tKomponen\tBobot\tNilai
1\tPerencanaan Kinerja\t30%\t24,10
2\tPengukuran Kinerja\t30%\t22,50
3\tPelaporan Kinerja\t15%\t11,25
4\tEvaluasi Akuntabilitas Kinerja Internal\t25%\t19,80
\tNilai Akhir\t100%\t77,65
\tPredikat\t\tBB
""",
    "pipes": """| No | Komponen | Bobot | Nilai |
|---|---|---|---|
| 1 | Perencanaan Kinerja | 30 | 24.10 |
| 2 | Pengukuran Kinerja | 30 | 22.50 |
| 3 | Pelaporan Kinerja | 15 | 11.25 |
| 4 | Evaluasi Akuntabilitas Kinerja Internal | 25 | 19.80 |
| | Total | 100 | 77.65 |
| | Predikat | | BB |
""",
    "box": "\n".join(
        [
            "\u250f\u2501\u2501\u2533\u2501\u2501\u2501\u2533\u2501\u2501\u2533\u2501\u2501\u2513",
            "\u2503 No \u2503 Komponen \u2503 Bobot \u2503 Nilai \u2503",
            "\u2523\u2501\u2501\u254b\u2501\u2501\u2501\u254b\u2501\u2501\u254b\u2501\u2501\u252b",
            "\u2503 1 \u2503 Perencanaan Kinerja \u2503 30 % \u2503 24,10 \u2503",
            "\u2502 2 \u2502 Pengukuran Kinerja \u2502 30 % \u2502 22,50 \u2502",
            "\u2502 3 \u2502 Pelaporan Kinerja \u2502 15 % \u2502 11,25 \u2502",
            "\u2502 4 \u2502 Evaluasi Akuntabilitas Kinerja Internal "
            "\u2502 25 % \u2502 19,80 \u2502",
            "\u251c\u2500\u2500\u253c\u2500\u2500\u2500\u253c\u2500\u2500\u253c\u2500\u2500\u2524",
            "\u2502   \u2502 Jumlah \u2502 100 % \u2502 77,65 \u2502",
            "\u2502   \u2502 Predikat \u2502 \u2502 BB (Sangat Baik) \u2502",
            "\u2514\u2500\u2500\u2534\u2500\u2500\u2500\u2534\u2500\u2500\u2534\u2500\u2500\u2518",
        ]
    ),
    "aligned spaces": """No   Komponen                                   Bobot    Nilai
1    Perencanaan Kinerja                        30       24,10
2    Pengukuran Kinerja                         30       22,50
3    Pelaporan Kinerja                          15       11,25
4    Evaluasi Akuntabilitas Kinerja Internal    25       19,80
     Nilai Akhir                                100      77,65
     Predikat                                            BB
""",
    "single spaces": """No Komponen Bobot Nilai
1 Perencanaan Kinerja 30 24,10
2 Pengukuran Kinerja 30 22,50
3 Pelaporan Kinerja 15 11,25
4 Evaluasi Akuntabilitas Kinerja Internal 25 19,80
Nilai Akhir 100 77,65 BB
""",
    "weight in the name": """Komponen | Nilai
Perencanaan Kinerja (30%) | 24,10
Pengukuran Kinerja (30%) | 22,50
Pelaporan Kinerja (15%) | 11,25
Evaluasi Akuntabilitas Kinerja Internal (Bobot 25%) | 19,80
Nilai Akhir / Predikat | 77,65 | BB
""",
}


@pytest.mark.parametrize("layout", LAYOUTS, ids=list(LAYOUTS))
def test_table_layouts(layout):
    components, total, predikat, warnings = _scores(LAYOUTS[layout])
    assert components == FOUR
    assert (total, predikat) == (Decimal("77.65"), "BB")
    assert warnings == []


def test_two_year_columns_take_the_evaluated_year():
    table = """No | Komponen | Bobot | Nilai 2023 | Nilai 2024
1 | Perencanaan Kinerja | 30 | 21,00 | 24,10
2 | Pengukuran Kinerja | 30 | 20,00 | 22,50
3 | Pelaporan Kinerja | 15 | 10,00 | 11,25
4 | Evaluasi Akuntabilitas Kinerja Internal | 25 | 18,00 | 19,80
  | Nilai Akhir | 100 | 69,00 | 77,65
  | Predikat | | B | BB
"""
    assert _scores(table)[:3] == (FOUR, Decimal("77.65"), "BB")
    older = _scores(table, TITLE.replace("2024", "2023"))
    assert [c[2] for c in older[0]] == [Decimal(21), Decimal(20), Decimal(10), Decimal(18)]
    assert older[1:3] == (Decimal(69), "B")


def test_two_year_columns_under_one_nilai_heading():
    table = """No\tKomponen\tBobot\tNilai\t
\t\t\t2023\t2024
1\tPerencanaan\t30\t21,00\t24,10
2\tPengukuran\t30\t20,00\t22,50
3\tPelaporan\t15\t10,00\t11,25
4\tEvaluasi Internal\t25\t-\t19,80
\tTotal\t100\t-\t77,65
\tPredikat\t\t-\tBB
"""
    assert _scores(table)[:3] == (FOUR, Decimal("77.65"), "BB")


def test_several_score_columns_without_years_warn():
    table = """Komponen\tBobot\tNilai Awal\tNilai Akhir
Perencanaan Kinerja\t30\t20\t24,10
Nilai Akhir\t\t\t24,10
"""
    components, total, _predikat, warnings = _scores(table)
    assert components == [("Perencanaan Kinerja", Decimal(30), Decimal("24.1"))]
    assert total == Decimal("24.1")
    assert (
        "Tabel nilai memuat beberapa kolom nilai tanpa kolom tahun evaluasi; "
        "dipakai kolom nilai terakhir."
    ) in warnings


def test_predikat_from_a_sentence_and_from_its_label():
    table = """Perencanaan Kinerja\t30\t24,10
Pengukuran Kinerja\t30\t22,50
Pelaporan Kinerja\t15\t11,25
Evaluasi Akuntabilitas Kinerja Internal\t25\t19,80

Badan Contoh memperoleh nilai akhir 77,65 dengan predikat "BB" (Sangat Baik).
"""
    assert _scores(table)[:3] == (FOUR, Decimal("77.65"), "BB")
    labelled = LAYOUTS["tabs"].replace("\tPredikat\t\tBB", "\tPredikat\t\tSangat Baik")
    assert _scores(labelled)[2] == "BB"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Perencanaan", "Perencanaan Kinerja"),
        ("PERENCANAAN KINERJA", "Perencanaan Kinerja"),
        ("Perencanaan Kinerja (20%)", "Perencanaan Kinerja"),
        ("Komponen Pengukuran", "Pengukuran Kinerja"),
        ("pelaporan kinerja", "Pelaporan Kinerja"),
        ("Evaluasi Internal", "Evaluasi Akuntabilitas Kinerja Internal"),
        ("Evaluasi AKIP Internal", "Evaluasi Akuntabilitas Kinerja Internal"),
        ("EVALUASI AKUNTABILITAS KINERJA INTERNAL", "Evaluasi Akuntabilitas Kinerja Internal"),
        ("Capaian Kinerja", "Capaian Kinerja"),
        ("Pencapaian Kinerja", "Capaian Kinerja"),
        ("Pencapaian Sasaran/Kinerja Organisasi", "Capaian Kinerja"),
    ],
)
def test_component_names_are_normalised(spelling, canonical):
    components = _scores(f"1\t{spelling}\t20\t15,50\n")[0]
    assert components == [(canonical, Decimal(20), Decimal("15.5"))]


def test_old_five_component_scheme():
    table = """No\tKomponen\tBobot\tNilai
1\tPerencanaan Kinerja\t30\t22,00
2\tPengukuran Kinerja\t25\t16,25
3\tPelaporan Kinerja\t15\t10,50
4\tEvaluasi Internal\t10\t6,00
5\tPencapaian Kinerja\t20\t12,00
\tNilai Akhir\t100\t66,75
\tPredikat\t\tB
"""
    components, total, predikat, warnings = _scores(table)
    assert [(c[0], int(c[1])) for c in components] == [
        ("Perencanaan Kinerja", 30),
        ("Pengukuran Kinerja", 25),
        ("Pelaporan Kinerja", 15),
        ("Evaluasi Akuntabilitas Kinerja Internal", 10),
        ("Capaian Kinerja", 20),
    ]
    assert (total, predikat, warnings) == (Decimal("66.75"), "B", [])


def test_inconsistent_table_is_kept_and_warned_about():
    table = LAYOUTS["tabs"].replace("24,10", "34,10").replace("\tBB", "\tA")
    components, total, predikat, warnings = _scores(table)
    assert components[0][2] == Decimal("34.1")
    assert (total, predikat) == (Decimal("77.65"), "A")
    assert warnings == [
        "Predikat A tidak sesuai dengan nilai total 77.65 (seharusnya BB).",
        "Jumlah nilai komponen (87.65) tidak sama dengan nilai total (77.65).",
        "Nilai komponen Perencanaan Kinerja (34.1) melebihi bobotnya (30).",
    ]


def test_item_lines_mentioning_a_component_and_a_number_are_not_table_rows():
    table = LAYOUTS["tabs"] + "\nCatatan\n1. Perencanaan Kinerja 2023 belum direviu.\n"
    components = _scores(table)[0]
    assert components == FOUR
