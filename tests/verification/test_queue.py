"""The koordinator's verification queue: what waits for a decision, longest-waiting first."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests import factories
from tests.conftest import login
from tracker.evidence.services import add_link
from tracker.extensions import db
from tracker.verification import services


def _submitted(followup, pic, text: str) -> None:
    followup.realisation = text
    add_link(
        followup,
        pic,
        url="https://drive.example.com/bukti",
        title="Bukti",
        document_date=date(2025, 5, 1),
    )
    services.submit(followup, pic, followup.version)


def test_queue_lists_waiting_submissions_oldest_first(client, world, frozen_clock):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=3)
    first, second, untouched = (r.followup for r in evaluation.recommendations)
    frozen_clock(datetime(2025, 6, 3, 1, 0, tzinfo=UTC))
    _submitted(second, world.pic, "Dikirim lebih dulu.")
    frozen_clock(datetime(2025, 6, 4, 1, 0, tzinfo=UTC))
    _submitted(first, world.pic, "Dikirim belakangan.")
    db.session.commit()

    login(client, world.koordinator)
    html = client.get("/followups/verification").get_data(as_text=True)

    assert html.index("Rekomendasi 2") < html.index("Rekomendasi 1")
    assert "Rekomendasi 3" not in html
    assert "Antrean verifikasi" in html


def test_queue_is_for_the_koordinator_only(app, world):
    for user in (world.pic, world.pimpinan, world.admin):
        client = app.test_client()
        login(client, user)
        assert client.get("/followups/verification").status_code == 403


def test_empty_queue_says_so(client, world):
    login(client, world.koordinator)
    html = client.get("/followups/verification").get_data(as_text=True)
    assert "Tidak ada pengajuan yang menunggu verifikasi." in html
