"""Journey, on the demo data: a PIC writes the realisation, uploads evidence and submits; the
koordinator returns it with a note; the PIC corrects and resubmits; the koordinator accepts."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in
from tracker.demo import data
from tracker.extensions import db

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _password(credentials, email: str) -> str:
    return next(c.password for c in credentials if c.email == email)


def test_pic_submits_koordinator_returns_then_accepts(app_ctx, live_server, browser, tmp_path):
    credentials = data.load()
    db.session.commit()
    db.session.close()  # hold no connection or lock while the server works
    pic_email = f"pic.perencanaan@{data.EMAIL_DOMAIN}"
    koordinator_email = f"koordinator@{data.EMAIL_DOMAIN}"
    first_file = tmp_path / "Matriks keselarasan IKU – revisi ñ.pdf"
    first_file.write_bytes(PDF)
    second_file = tmp_path / "Notulen rapat pimpinan.pdf"
    second_file.write_bytes(PDF + b"% notulen\n")

    pic = browser.new_context(locale="id-ID").new_page()
    koordinator = browser.new_context(locale="id-ID").new_page()
    for page in (pic, koordinator):
        page.set_default_timeout(10_000)

    # The PIC finds the follow-up on their desk, writes the realisation, uploads, submits.
    sign_in(pic, live_server, pic_email, _password(credentials, pic_email))
    pic.goto(f"{live_server}/followups/mine")
    pic.get_by_role("link", name="Rekomendasi 1", exact=True).click()
    pic.wait_for_url(re.compile(r".*/followups/\d+$"))
    followup_url = pic.url
    pic.get_by_label("Uraian tindak lanjut (realisasi)").fill("Matriks keselarasan IKU disusun.")
    pic.get_by_role("button", name="Simpan", exact=True).click()
    pic.get_by_text("Pelaksanaan tersimpan.").wait_for()
    pic.locator("#upload-file").set_input_files(str(first_file))
    pic.get_by_label("Tanggal dokumen").first.fill("2026-11-20")
    pic.get_by_role("button", name="Unggah", exact=True).click()
    pic.get_by_text("Matriks keselarasan IKU – revisi ñ.pdf").first.wait_for()
    pic.get_by_role("button", name="Kirim untuk verifikasi").click()
    pic.get_by_text("Terkirim untuk verifikasi").wait_for()
    assert pic.locator("h1 .badge").inner_text() == "Menunggu Verifikasi"

    # The koordinator sees exactly what was submitted and returns it with a note.
    sign_in(koordinator, live_server, koordinator_email, _password(credentials, koordinator_email))
    koordinator.goto(followup_url)
    submitted = koordinator.locator("#verifikasi")
    assert "Matriks keselarasan IKU disusun." in submitted.inner_text()
    assert submitted.get_by_role("link", name=re.compile("Matriks keselarasan IKU")).count() == 1
    koordinator.get_by_label("Catatan: apa yang perlu diperbaiki").fill(
        "Lampirkan notulen rapat pimpinan."
    )
    koordinator.get_by_role("button", name="Kembalikan (belum sesuai)").click()
    koordinator.get_by_text("Dikembalikan kepada PIC").wait_for()

    # The PIC reads the note, corrects, adds the minutes and submits again.
    pic.goto(followup_url)
    assert pic.get_by_text("Lampirkan notulen rapat pimpinan.").first.is_visible()
    assert pic.locator("h1 .badge").inner_text() == "Belum Sesuai"
    pic.get_by_label("Uraian tindak lanjut (realisasi)").fill(
        "Matriks keselarasan IKU disusun dan dibahas dalam rapat pimpinan."
    )
    pic.get_by_role("button", name="Simpan", exact=True).click()
    pic.get_by_text("Pelaksanaan tersimpan.").wait_for()
    pic.locator("#upload-file").set_input_files(str(second_file))
    pic.get_by_role("button", name="Unggah", exact=True).click()
    pic.get_by_text("Notulen rapat pimpinan.pdf").first.wait_for()
    pic.get_by_role("button", name="Kirim untuk verifikasi").click()
    pic.get_by_text("Terkirim untuk verifikasi").wait_for()

    # The koordinator ticks the checklist and accepts.
    koordinator.goto(followup_url)
    assert "dibahas dalam rapat pimpinan" in koordinator.locator("#verifikasi").inner_text()
    for label in ("Cukup", "Kompeten", "Relevan"):
        koordinator.get_by_label(label, exact=True).check()
    koordinator.get_by_role("button", name="Terima (sesuai)").click()
    koordinator.get_by_text("Tindak lanjut diterima (sesuai).").wait_for()
    assert koordinator.locator("h1 .badge").inner_text() == "Sesuai"

    # The PIC sees it closed; the evidence can no longer be removed.
    pic.goto(followup_url)
    assert pic.locator("h1 .badge").inner_text() == "Sesuai"
    assert pic.locator("#data-dukung").get_by_role("button", name="Hapus").count() == 0
    history = pic.locator("#riwayat").inner_text()
    for step in ("Dikirim untuk verifikasi", "Dikembalikan (belum sesuai)", "Diterima (sesuai)"):
        assert step in history
