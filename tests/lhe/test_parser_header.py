"""Header fields: institution, year, evaluator, number and report date (Indonesian dates)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.lhe.parser import parse_text
from tracker.lhe.parsing.dates import parse_date

BODY = "\nPerencanaan Kinerja\t30\t24,10\n\nRekomendasi\n1. Mereviu Renstra.\n"


def _parse(header: str, closing: str = ""):
    return parse_text(header + BODY + closing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Desember 2024", date(2024, 12, 10)),
        ("1 Januari 2025", date(2025, 1, 1)),
        ("28 Februari 2023", date(2023, 2, 28)),
        ("5 Pebruari 2021", date(2021, 2, 5)),
        ("31 Maret 2022", date(2022, 3, 31)),
        ("7 Mei 2024", date(2024, 5, 7)),
        ("17 Agustus 2024", date(2024, 8, 17)),
        ("3 Agu 2023", date(2023, 8, 3)),
        ("3 Agt. 2023", date(2023, 8, 3)),
        ("9 Okt 2024", date(2024, 10, 9)),
        ("30 Nopember 2020", date(2020, 11, 30)),
        ("12 Des 2024", date(2024, 12, 12)),
        ("12 DESEMBER 2024", date(2024, 12, 12)),
        ("10/12/2024", date(2024, 12, 10)),
        ("10-12-2024", date(2024, 12, 10)),
        ("10.12.2024", date(2024, 12, 10)),
        ("2024-12-10", date(2024, 12, 10)),
        ("31 Februari 2024", None),
        ("13/13/2024", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected
    parsed = _parse("Badan Contoh\nTahun 2024\n", f"\nJakarta, {text}\nInspektur,\n")
    assert parsed.report_date == expected


def test_labelled_date_wins_over_the_place_and_date():
    parsed = _parse("Tanggal : 2 Januari 2025\n", "\nJakarta, 3 Januari 2025\n")
    assert parsed.report_date == date(2025, 1, 2)


def test_a_date_inside_an_item_is_not_the_report_date():
    parsed = parse_text(BODY + "2. Menyusun laporan sebelum 31 Maret 2025.\n")
    assert parsed.report_date is None
    assert "Tanggal laporan tidak ditemukan." in parsed.warnings


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Nomor : LHE-12/IJ.4/PW.02/2025", "LHE-12/IJ.4/PW.02/2025"),
        ("Nomor\t: 700/145/ITDA/2024", "700/145/ITDA/2024"),
        ("No. : 05/SPI/2024", "05/SPI/2024"),
        ("Nomor Laporan: 33/LHE/2024 tanggal 5 Mei 2024", "33/LHE/2024"),
        ("Nomor : -", None),
    ],
)
def test_report_number(line, number):
    assert _parse(line + "\n").number == number


@pytest.mark.parametrize(
    ("header", "evaluator"),
    [
        ("INSPEKTORAT JENDERAL\nKEMENTERIAN AGAMA\n", "INSPEKTORAT JENDERAL KEMENTERIAN AGAMA"),
        ("Kementerian Keuangan\nInspektorat Jenderal\n",
         "Inspektorat Jenderal Kementerian Keuangan"),
        ("Inspektorat Daerah Provinsi Contoh\n", "Inspektorat Daerah Provinsi Contoh"),
        ("Evaluator : Tim Evaluator Kementerian PANRB\n", "Tim Evaluator Kementerian PANRB"),
        ("Satuan Pengawasan Internal\nPoliteknik Negeri Contoh\n",
         "Satuan Pengawasan Internal Politeknik Negeri Contoh"),
        ("Politeknik Negeri Contoh\n", None),
    ],
)  # fmt: skip
def test_evaluator(header, evaluator):
    assert _parse(header).evaluator == evaluator


@pytest.mark.parametrize(
    ("header", "institution", "year"),
    [
        ("Hasil Evaluasi Akuntabilitas Kinerja\nPoliteknik Negeri Contoh\nTahun 2024\n",
         "Politeknik Negeri Contoh", 2024),
        ("LAPORAN HASIL EVALUASI SAKIP\nTAHUN 2023\nDINAS KESEHATAN KOTA CONTOH\n",
         "DINAS KESEHATAN KOTA CONTOH", 2023),
        ("Laporan Hasil Evaluasi AKIP pada Badan Pusat Contoh Tahun 2022\n",
         "Badan Pusat Contoh", 2022),
        ("Hasil Evaluasi Akuntabilitas Kinerja Instansi Pemerintah (SAKIP)\n"
         "di Lingkungan Sekretariat Daerah Kabupaten Contoh\nTahun Anggaran 2021\n",
         "Sekretariat Daerah Kabupaten Contoh", 2021),
        ("Nama Instansi : Universitas Contoh\nTahun Evaluasi : 2024\n", "Universitas Contoh", 2024),
        ("Satker: Kantor Pelayanan Contoh\nPeriode: 2023\n", "Kantor Pelayanan Contoh", 2023),
        ("Universitas Negeri Contoh\nEvaluasi tahun 2020\n", "Universitas Negeri Contoh", 2020),
    ],
)  # fmt: skip
def test_institution_and_year(header, institution, year):
    parsed = _parse(header)
    assert (parsed.institution, parsed.year) == (institution, year)


def test_missing_header_fields_are_warned_about():
    parsed = parse_text(BODY)
    assert (parsed.institution, parsed.year, parsed.evaluator, parsed.number) == (None,) * 4
    assert parsed.warnings[:3] == [
        "Nama instansi tidak ditemukan.",
        "Tahun yang dievaluasi tidak ditemukan.",
        "Tanggal laporan tidak ditemukan.",
    ]
