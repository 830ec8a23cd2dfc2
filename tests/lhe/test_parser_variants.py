"""Variant LHEs written for these tests (tests/lhe/samples) parse exactly as expected.

- lhe-dinas-kominfo-2023: letterhead evaluator, "Nomor", abbreviated month ("12 Feb 2024"),
  pipe table with decimal commas, "II. HASIL EVALUASI" intro, "III. CATATAN HASIL EVALUASI" /
  "IV. REKOMENDASI", items grouped per component, page headers/footers and BSrE notices
  (one-line and split "Badan Siber / dan Sandi / Negara"), an item broken across a page,
  a hyphenated line break.
- lhe-universitas-2020-lima-komponen: the old five-component scheme, box-drawing table with the
  weight in the name, labelled header fields, numeric date, predikat only in a sentence,
  lower-case "kelemahan" / "saran perbaikan", one numbered list for the whole report with
  items naming their component, bullets as sub-points, "- 2 -" and lone page numbers.
- lhe-politeknik-2024-dua-tahun: two-year table (tabs), year above the institution, form-feed
  pages with a header on only two of them, catatan per component and all recommendations at
  the end, a) b) sub-points on their own lines and inline, a predikat that disagrees with the
  total (kept, with a warning).
- lhe-fakultas-2024-berpasangan: internal (SPI) evaluation, labelled "Unit Kerja" / "Tahun
  Evaluasi" / "Tanggal", aligned-space table, "Catatan dan Rekomendasi" with "Catatan 1 /
  Rekomendasi 1" blocks under numbered component headings, bullets under an empty
  "Rekomendasi 1:".
"""

from __future__ import annotations

import pytest

from tests.lhe.conftest import SAMPLES, expected
from tracker.lhe.parser import parse_text

VARIANTS = sorted(SAMPLES.glob("*.txt"))


def _parse(name: str):
    return parse_text((SAMPLES / name).read_text(encoding="utf-8"))


def test_there_are_four_variants():
    assert [p.stem for p in VARIANTS] == [
        "lhe-dinas-kominfo-2023",
        "lhe-fakultas-2024-berpasangan",
        "lhe-politeknik-2024-dua-tahun",
        "lhe-universitas-2020-lima-komponen",
    ]


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: p.stem)
def test_variant_parses_to_its_expected_json(path):
    assert parse_text(path.read_text(encoding="utf-8")).to_json() == expected(path)


def test_header_fields_from_letterhead_and_title_block():
    parsed = _parse("lhe-dinas-kominfo-2023.txt")
    assert parsed.institution == "DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN SUKAMAJU"
    assert parsed.year == 2023
    assert parsed.evaluator == "INSPEKTORAT DAERAH KABUPATEN SUKAMAJU"
    assert parsed.number == "700/145/ITDA/2024"
    assert parsed.report_date.isoformat() == "2024-02-12"


def test_labelled_header_fields_and_numeric_date():
    parsed = _parse("lhe-universitas-2020-lima-komponen.txt")
    assert parsed.institution == "Universitas Negeri Tanjung Harapan"
    assert parsed.evaluator == "Inspektorat Jenderal Kementerian Pendidikan dan Kebudayaan"
    assert parsed.number == "LHE-0312/IJ/PW.02/2021"
    assert parsed.report_date.isoformat() == "2021-03-15"


def test_page_noise_and_page_break_inside_an_item():
    parsed = _parse("lhe-dinas-kominfo-2023.txt")
    texts = [i.text for i in [*parsed.findings, *parsed.recommendations]]
    assert not any(
        ("Halaman" in t or "LHE AKIP" in t or "BSrE" in t or "Negara" in t) for t in texts
    )
    assert parsed.recommendations[3].text == (
        "Menetapkan kebijakan pemberian reward dan/atau punishment berdasarkan hasil pengukuran "
        "kinerja, antara lain dalam bentuk promosi/demosi."
    )
    assert parsed.findings[3].text.startswith("Hasil pengukuran kinerja belum dijadikan")


def test_two_year_table_takes_the_evaluated_year_and_keeps_a_disagreeing_predikat():
    parsed = _parse("lhe-politeknik-2024-dua-tahun.txt")
    assert [str(c.score) for c in parsed.components] == ["24.60", "23.85", "12.75", "20.00"]
    assert str(parsed.total_score) == "81.20"
    assert parsed.predikat == "BB"  # as printed, although 81.20 means A
    assert parsed.warnings == ["Predikat BB tidak sesuai dengan nilai total 81.2 (seharusnya A)."]


def test_five_component_scheme_with_weights_in_the_names():
    parsed = _parse("lhe-universitas-2020-lima-komponen.txt")
    assert [(c.name, int(c.weight)) for c in parsed.components] == [
        ("Perencanaan Kinerja", 30),
        ("Pengukuran Kinerja", 25),
        ("Pelaporan Kinerja", 15),
        ("Evaluasi Akuntabilitas Kinerja Internal", 10),
        ("Capaian Kinerja", 20),
    ]
    assert (str(parsed.total_score), parsed.predikat) == ("68.05", "B")


def test_paired_blocks_keep_their_component():
    parsed = _parse("lhe-fakultas-2024-berpasangan.txt")
    assert [(i.component, i.number) for i in parsed.recommendations[:4]] == [
        ("Perencanaan Kinerja", 1),
        ("Perencanaan Kinerja", 2),
        ("Pengukuran Kinerja", 1),
        ("Pengukuran Kinerja", 2),
    ]
    assert parsed.findings[2].text == (
        "Capaian indikator kinerja belum divalidasi oleh pimpinan fakultas sebelum dilaporkan "
        "ke universitas."
    )
