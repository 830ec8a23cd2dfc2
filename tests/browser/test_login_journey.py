"""Journey: sign in, find the evaluation in the list, open it, read its scores and advice."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import sign_in
from tracker.extensions import db

pytestmark = pytest.mark.browser


def test_koordinator_signs_in_and_opens_an_evaluation(app_ctx, world, live_server, page, tmp_path):
    factories.make_evaluation(
        owner_units=[world.unit_a], pics=[world.pic], institution="Politeknik Negeri Uji Coba"
    )
    email = world.koordinator.email
    db.session.close()  # hold no connection or lock while the server works

    sign_in(page, live_server, email)

    page.get_by_role("link", name="Politeknik Negeri Uji Coba").first.click()
    page.wait_for_url(f"{live_server}/evaluations/*")
    scores = page.locator("table", has_text="Perencanaan Kinerja").first
    scores.wait_for()
    text = scores.inner_text()
    assert "Pelaporan Kinerja" in text
    assert "12,75" in text  # a component score, with a decimal comma
    assert "78,55" in text  # the total
    assert page.get_by_text("Rekomendasi nomor 1.").first.is_visible()

    screenshot = tmp_path / "evaluation.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0
    assert page.console_errors == []
