"""Journey, on the demo data: the koordinator lands on the dashboard, goes to the follow-up
list, filters it by unit and search text, and downloads the matrix of exactly those rows."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from tests.browser.conftest import sign_in
from tracker.demo import data
from tracker.extensions import db

pytestmark = pytest.mark.browser


def test_koordinator_filters_the_list_and_downloads_the_xlsx(
    app_ctx, live_server, browser, tmp_path
):
    credentials = data.load()
    db.session.commit()
    db.session.close()  # hold no connection or lock while the server works
    email = f"koordinator@{data.EMAIL_DOMAIN}"
    password = next(c.password for c in credentials if c.email == email)
    page = browser.new_context(locale="id-ID", accept_downloads=True).new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, live_server, email, password)
    assert urlsplit(page.url).path == "/dashboard/"
    page.get_by_role("heading", name=re.compile("Dasbor pemantauan")).wait_for()
    page.get_by_text("Progres keseluruhan").wait_for()
    assert page.locator("svg[role=img]").count() >= 1  # the charts are drawn on the server

    # From the dashboard to the list of the evaluation, then filter it.
    page.get_by_role("link", name="Pemantauan", exact=True).click()
    page.wait_for_url(re.compile(r".*/monitoring/"))
    page.get_by_label("Evaluasi").select_option(
        label="Politeknik Negeri Contoh (2025) · PW.03.01/0417/IJ/2026"
    )
    page.get_by_label("Unit").select_option(label="PERENCANAAN — Bagian Perencanaan")
    page.get_by_label("Cari dalam teks rekomendasi").fill("kinerja")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url(re.compile(r".*[?&]unit=\d+.*"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["kinerja"] and "evaluation" in query  # shareable: all in the URL

    rows = page.locator("table tbody tr")
    shown = sorted(
        int(re.search(r"Rekomendasi (\d+)", text).group(1)) for text in rows.all_inner_texts()
    )
    assert shown, "the filter should leave some follow-ups"
    total = page.get_by_role("status").inner_text()
    assert total.startswith(f"{len(shown)} tindak lanjut")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = openpyxl.load_workbook(path).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Politeknik Negeri Contoh"] in cells
    numbered = [row for row in cells if row and isinstance(row[0], int)]
    assert [row[0] for row in numbered] == list(range(1, len(shown) + 1))  # the list's rows
    for row in numbered:
        text = " ".join(str(c) for c in row)
        assert "Bagian Perencanaan" in text and "kinerja" in text.lower()
    assert errors == []
