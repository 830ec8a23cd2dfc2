"""Real-document noise (page headers, footers, page numbers, e-signature notices, bold markers)
is removed, and items broken across lines or pages are rejoined (hyphenation included)."""

from __future__ import annotations

import pytest

from tests.lhe.conftest import TABLE
from tracker.lhe.parser import parse_text
from tracker.lhe.parsing.cleanup import clean
from tracker.lhe.parsing.items import join_lines


def _recommendations(body: str) -> list[str]:
    return [item.text for item in parse_text(TABLE + body).recommendations]


@pytest.mark.parametrize(
    "noise",
    ["Halaman 2 dari 5", "Hal. 2 dari 5", "halaman 2", "Page 2 of 5", "- 2 -", "\u2013 2 \u2013",
     "2", "2/5", "---", "\u2500\u2500\u2500\u2500"],
)  # fmt: skip
def test_page_numbers_and_rules_between_lines_of_an_item(noise):
    body = f"Rekomendasi\n1. Menyusun peta proses\n\n{noise}\n\nbisnis unit kerja.\n"
    assert _recommendations(body) == ["Menyusun peta proses bisnis unit kerja."]


def test_bold_markers_are_dropped():
    assert _recommendations("**Rekomendasi**\n1. **Menyusun** peta proses bisnis.\n") == [
        "Menyusun peta proses bisnis."
    ]


NOTICE = """
Catatan :
- UU ITE No 11 Tahun 2008 Pasal 5 Ayat 1 "Informasi Elektronik dan/atau Dokumen Elektronik
dan/atau hasil cetaknya merupakan alat bukti hukum yang sah."
- Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang
diterbitkan oleh BSrE
Balai
Sertifikasi
Elektronik
"""


def test_the_electronic_signature_notice_with_its_catatan_heading_is_removed():
    body = f"Rekomendasi\n1. Menyusun peta proses\n{NOTICE}\nbisnis unit kerja.\n2. Mereviu SOP.\n"
    parsed = parse_text(TABLE + "Catatan\n1. SOP belum direviu.\n" + body)
    assert [i.text for i in parsed.recommendations] == [
        "Menyusun peta proses bisnis unit kerja.",
        "Mereviu SOP.",
    ]
    assert [i.text for i in parsed.findings] == ["SOP belum direviu."]


def test_notice_split_by_a_page_break():
    text = "Rekomendasi\n1. Menyusun peta proses\nDitandatangani secara elektronik oleh Inspektur\n"
    text += "Balai\nSertifikasi\n\f\nElektronik\nbisnis unit kerja.\n"
    assert _recommendations(text) == ["Menyusun peta proses bisnis unit kerja."]


def test_lines_repeated_several_times_are_page_headers():
    header = "Laporan Evaluasi AKIP Kantor Wilayah Contoh 2024"
    body = f"""Rekomendasi
1. Menyusun peta proses
{header}
bisnis unit kerja.
2. Mereviu standar
{header}
operasional prosedur.
3. Menetapkan
{header}
indikator kinerja individu.
"""
    assert _recommendations(body) == [
        "Menyusun peta proses bisnis unit kerja.",
        "Mereviu standar operasional prosedur.",
        "Menetapkan indikator kinerja individu.",
    ]


def test_lines_at_the_top_of_two_pages_are_page_headers():
    body = (
        "Rekomendasi\n1. Menyusun peta proses\nbisnis unit kerja.\n"
        "\fSalinan Sesuai Aslinya\nInspektorat Contoh\n2. Mereviu standar\noperasional prosedur.\n"
        "\fSalinan Sesuai Aslinya\nInspektorat Contoh\n3. Menetapkan indikator.\n"
    )
    assert _recommendations(body) == [
        "Menyusun peta proses bisnis unit kerja.",
        "Mereviu standar operasional prosedur.",
        "Menetapkan indikator.",
    ]


def test_repeated_headings_and_items_are_not_noise():
    lines = clean("A. Perencanaan Kinerja\n1. Sama.\n" * 4 + "Catatan :\nCatatan :\nCatatan :\n")
    assert [line for line in lines.lines if line].count("A. Perencanaan Kinerja") == 4
    assert [line for line in lines.lines if line].count("1. Sama.") == 4
    assert [line for line in lines.lines if line].count("Catatan :") == 3


def test_light_cleanup_keeps_repeated_title_for_the_header_fields():
    title = "Hasil Evaluasi SAKIP pada Balai Contoh Tahun 2024"
    text = f"{title}\nRekomendasi\n" + "\f".join(
        f"{n}. Saran nomor {n}.\n{title}" for n in (1, 2, 3)
    )
    parsed = parse_text(text)
    assert (parsed.institution, parsed.year) == ("Balai Contoh", 2024)
    assert [i.text for i in parsed.recommendations] == [
        "Saran nomor 1.",
        "Saran nomor 2.",
        "Saran nomor 3.",
    ]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["hasil pengukur-", "an kinerja"], "hasil pengukuran kinerja"),
        (["aplikasi e-", "kinerja"], "aplikasi e-kinerja"),
        (["masing-", "masing jurusan"], "masing-masing jurusan"),
        (["lima tahun berturut-", "turut"], "lima tahun berturut-turut"),
        (["reward dan/", "atau punishment"], "reward dan/atau punishment"),
        (["reward dan/atau", "punishment"], "reward dan/atau punishment"),
        (["rotasi dan promosi/demosi", "pegawai"], "rotasi dan promosi/demosi pegawai"),
        (["periode 2021-", "2026"], "periode 2021-2026"),
        (["  spasi   ganda ", "", "\tdan tab "], "spasi ganda dan tab"),
    ],
)
def test_line_joining(lines, joined):
    assert join_lines(lines) == joined


def test_hyphenated_break_and_real_hyphens_through_the_parser():
    body = (
        "Rekomendasi\n1. Memperbaiki pengukur-\nan kinerja dengan aplikasi e-kinerja, termasuk "
        "reward dan/atau\npunishment serta promosi/demosi, secara berkala masing-\nmasing unit.\n"
    )
    assert _recommendations(body) == [
        "Memperbaiki pengukuran kinerja dengan aplikasi e-kinerja, termasuk reward dan/atau "
        "punishment serta promosi/demosi, secara berkala masing-masing unit."
    ]


def test_soft_hyphen_and_windows_line_ends():
    body = "Rekomendasi\r\n1. Memperbaiki pengukur\u00ad\r\nan kinerja.\r\n"
    assert _recommendations(body) == ["Memperbaiki pengukuran kinerja."]


def test_repeated_wrapped_text_inside_items_is_kept():
    item = (
        "1. Agar dalam evaluasi tahun berikutnya melengkapi\n"
        "Data Dukung Pembahasan Hasil Evaluasi Internal\n"
        "beserta notulen rapatnya.\n"
    )
    body = "Rekomendasi\n" + "".join(f"{letter}. {name}\n{item}" for letter, name in zip(
        "ABCD", ["Perencanaan", "Pengukuran", "Pelaporan", "Evaluasi Internal"], strict=True
    ))  # fmt: skip
    assert (
        _recommendations(body)
        == [
            "Agar dalam evaluasi tahun berikutnya melengkapi Data Dukung Pembahasan Hasil Evaluasi "
            "Internal beserta notulen rapatnya."
        ]
        * 4
    )
