"""Property tests: whatever the text, parse_text returns a ParsedLHE or raises NotAnLHE."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.lhe.document import NotAnLHE, ParsedLHE
from tracker.lhe.parser import parse_text

FRAGMENTS = [
    "Catatan", "Catatan :", "REKOMENDASI", "III. Rekomendasi", "Saran Perbaikan:", "Kelemahan",
    "Hasil Evaluasi", "Catatan 1:", "Rekomendasi 2", "Catatan dan Rekomendasi",
    "A. Perencanaan Kinerja", "B. PENGUKURAN KINERJA (30%)", "Pelaporan", "Evaluasi Internal",
    "Capaian Kinerja", "1.", "2)", "(3)", "a.", "b)", "IV.", "ii.", "\u2022", "-", "*", "\u2013",
    "No\tKomponen\tBobot\tNilai 2023\tNilai 2024", "1\tPerencanaan Kinerja\t30%\t24,10",
    "| 2 | Pengukuran | 30 | 22.5 |", "\u2502 3 \u2502 Pelaporan \u2502 15 \u2502 11,25 \u2502",
    "Nilai Akhir\t100\t78,55", "Predikat\t\tBB", "Predikat A (Memuaskan)", "Jumlah 100 999",
    "Total - -", "Halaman 2 dari 5", "- 3 -", "7", "**", "Balai", "Sertifikasi", "Elektronik",
    "UU ITE No 11 Tahun 2008", "Jakarta, 10 Desember 2024", "Tanggal : 31 Februari 2024",
    "Nomor : 1/2/3", "Tahun 2024", "Inspektorat Jenderal", "Kementerian Contoh",
    "Hasil Evaluasi Akuntabilitas Kinerja", "Politeknik Negeri Contoh", "pengukur-", "an",
    "e-", "kinerja", "dan/", "atau", "meliputi:", "Demikian", "Inspektur,", "\u00ad", "\f",
    "78,55", "100,00", "-12,5", "2023", "99999999999999999999", "(Komponen Pelaporan Kinerja)",
    "Pengukuran Kinerja:", "[Perencanaan]",
]  # fmt: skip
SEPARATORS = st.sampled_from(["\n", "\n\n", " ", "\t", "  ", "\f", "\r\n", " | "])
LHE_ISH = st.lists(
    st.tuples(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), SEPARATORS),
    max_size=60,
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    try:
        parsed = parse_text(text)
    except NotAnLHE:
        return
    assert isinstance(parsed, ParsedLHE)
    assert parsed.components or parsed.recommendations
    for item in [*parsed.findings, *parsed.recommendations]:
        assert item.text and item.text == " ".join(item.text.split())
        assert item.number >= 1
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert ParsedLHE.from_json(parsed.to_json()).to_json() == parsed.to_json()


@SETTINGS
@given(st.text())
def test_any_text_never_crashes(text):
    _check(text)


@SETTINGS
@given(LHE_ISH)
def test_lhe_like_text_never_crashes(text):
    _check(text)
