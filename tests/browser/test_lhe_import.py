"""Journey: the koordinator uploads an LHE, corrects a recommendation in the preview, saves it,
and finds the evaluation with its ten recommendations and the corrected text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tracker.extensions import db

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared/samples/lhe-polman-babel-2024.txt"
CORRECTED = (
    "Capaian kinerja tahun sebelumnya agar dijadikan bahan pertimbangan untuk menentukan "
    "target kinerja tahun selanjutnya (diperbaiki koordinator)."
)


def test_koordinator_imports_an_lhe(app_ctx, world, live_server, page):
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing (../shared is not there)")
    email = world.koordinator.email
    db.session.close()  # hold no connection or lock while the server works

    sign_in(page, live_server, email)

    page.get_by_role("link", name="Impor LHE").click()
    page.wait_for_url(f"{live_server}/lhe/import")
    page.get_by_label("Berkas LHE").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Unggah dan baca").click()
    page.wait_for_url(re.compile(r".*/lhe/import/\d+$"))

    assert page.get_by_label("Instansi").input_value() == (
        "Politeknik Manufaktur Negeri Bangka Belitung"
    )
    assert page.get_by_label("Tahun yang dievaluasi").input_value() == "2024"
    first = page.locator('textarea[name="recommendations-0-text"]')
    assert first.input_value().startswith("Capaian kinerja tahun sebelumnya")
    assert page.locator('textarea[name^="recommendations-"][name$="-text"]').count() >= 10
    first.fill(CORRECTED)
    page.get_by_role("button", name="Simpan sebagai evaluasi").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"))

    assert page.get_by_text("Evaluasi tersimpan dari LHE").is_visible()
    assert page.get_by_text(CORRECTED).is_visible()
    assert page.get_by_role("link", name="Tindak lanjut", exact=True).count() == 10
    assert page.get_by_role("link", name="lhe-polman-babel-2024.txt").is_visible()
    assert page.console_errors == []
