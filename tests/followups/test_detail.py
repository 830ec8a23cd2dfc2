"""The read page of one follow-up: scoping, content and history."""

from datetime import UTC, datetime

import pytest

from tests import factories
from tests.conftest import login
from tracker.core.audit import record
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus


@pytest.fixture
def followup(evaluation):
    return evaluation.recommendations[0].followup


def test_pic_of_another_unit_gets_404(client, world, followup):
    own = factories.make_evaluation([world.unit_b], [world.other_pic]).recommendations[0].followup
    login(client, world.other_pic)
    assert client.get(f"/followups/{own.id}").status_code == 200
    assert client.get(f"/followups/{followup.id}").status_code == 404
    assert client.get("/followups/999999").status_code == 404


@pytest.mark.parametrize("role", ["pimpinan", "koordinator", "admin", "pic"])
def test_visible_to_readers_and_own_pic(client, world, followup, role):
    login(client, world.by_role(role))
    assert client.get(f"/followups/{followup.id}").status_code == 200


def test_shows_the_whole_followup(client, world, followup, frozen_clock):
    followup.action_plan = "Menyusun ulang IKU."
    followup.realisation = "IKU telah direviu."
    followup.progress = 40
    followup.status = FollowUpStatus.PROSES
    followup.recommendation.findings = list(followup.recommendation.evaluation.findings)
    db.session.commit()
    login(client, world.pimpinan)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    for text in (
        "Politeknik Contoh (2024)",
        "Perencanaan Kinerja",
        "Rekomendasi nomor 1.",
        "Target kinerja belum menantang.",
        "UNIT-A — Bagian Perencanaan",
        world.pic.name,
        "30 April 2025",
        "terlambat 33 hari",
        "Dalam Proses",
        "Menyusun ulang IKU.",
        "IKU telah direviu.",
        "40%",
        "1 September 2025",  # next evaluation
    ):
        assert text in html, text
    # Pimpinan reads but does not assign.
    assert "Ubah penugasan" not in html


def test_assign_links_only_for_managers(client, world, followup):
    login(client, world.koordinator)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert f'href="/followups/{followup.id}/assign"' in html
    assert f'href="/followups/evaluation/{followup.recommendation.evaluation_id}/assign"' in html


def test_pic_sees_no_assign_link(client, world, followup):
    login(client, world.pic)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "Ubah penugasan" not in html
    assert "Penugasan sekaligus" not in html


def test_history_newest_first_with_user_and_time(client, world, followup, frozen_clock):
    frozen_clock(datetime(2025, 6, 2, 3, 0, tzinfo=UTC))
    record(world.koordinator, followup, "assign", due_date=["2025-04-30", "2025-05-31"])
    db.session.flush()
    frozen_clock(datetime(2025, 6, 3, 3, 0, tzinfo=UTC))
    record(world.admin, followup, "assign", units=[["UNIT-A"], ["UNIT-A", "UNIT-B"]])
    other = followup.recommendation.evaluation.recommendations[1].followup
    record(world.admin, other, "assign", units=[[], ["UNIT-X"]])
    db.session.commit()
    login(client, world.pic)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    newest = html.index("UNIT-A, UNIT-B")
    oldest = html.index("30 April 2025 → 31 Mei 2025")
    assert newest < oldest
    assert "3 Juni 2025 10:00" in html and "2 Juni 2025 10:00" in html  # Jakarta time
    assert world.admin.name in html and world.koordinator.name in html
    assert "UNIT-X" not in html  # another follow-up's history


def test_anonymous_is_sent_to_login(client, followup):
    response = client.get(f"/followups/{followup.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
