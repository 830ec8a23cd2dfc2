"""Carrying open recommendations of the previous LHE into a new one: the service and the page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tests.conftest import csrf_token, login, post
from tests.evaluations.conftest import as_text
from tracker.core.audit import AuditEntry
from tracker.evaluations import items
from tracker.evaluations.carryover import (
    CarryOverError,
    carry_over,
    open_recommendations,
    previous_evaluation,
)
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.evaluations.repeats import flag_repeats
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus

TEXTS = [
    "Menetapkan target kinerja yang menantang.",
    "Membuat kebijakan reward dan punishment berdasarkan hasil pengukuran kinerja.",
    "Menyampaikan laporan kinerja tepat waktu.",
]


@pytest.fixture
def years(world):
    """Politeknik Contoh 2023 (three recommendations: the 1st under Perencanaan, in progress;
    the 2nd under Pengukuran, accepted; the 3rd under Pelaporan, not started), and 2024 with
    one recommendation under Perencanaan."""
    previous = factories.make_evaluation(
        [world.unit_a], [world.pic], n_recommendations=3, year=2023
    )
    for recommendation, text, component, status in zip(
        previous.recommendations,
        TEXTS,
        previous.components[:3],
        (FollowUpStatus.PROSES, FollowUpStatus.SESUAI, FollowUpStatus.BELUM),
        strict=True,
    ):
        recommendation.text = text
        recommendation.component = component
        recommendation.number = 1
        recommendation.followup.status = status
    previous.recommendations[0].followup.action_plan = "Reviu target bersama jurusan."
    previous.recommendations[0].followup.progress = 40
    target = factories.make_evaluation(
        [world.unit_b], n_recommendations=1, year=2024, followup_deadline=date(2026, 4, 30)
    )
    db.session.commit()
    return previous, target


def audit_actions(object_type: str, object_id: int) -> list[tuple[str, dict]]:
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    return [(e.action, e.summary) for e in entries]


def count_recommendations(evaluation: Evaluation) -> int:
    return db.session.scalar(
        select(func.count(Recommendation.id)).where(Recommendation.evaluation_id == evaluation.id)
    )


def messages(error: CarryOverError) -> list[str]:
    return [as_text(m) for m in error.messages]


# --- the service ------------------------------------------------------------------------------


def test_previous_evaluation_is_the_latest_earlier_year_of_the_institution(years):
    previous, target = years
    factories.make_evaluation(year=2021, n_recommendations=0, institution="POLITEKNIK  contoh")
    factories.make_evaluation(year=2023, n_recommendations=0, institution="Politeknik Lain")
    factories.make_evaluation(year=2025, n_recommendations=0)
    assert previous_evaluation(target) == previous
    assert previous_evaluation(previous).year == 2021
    assert [r.text for r in open_recommendations(previous)] == [TEXTS[0], TEXTS[2]]


def test_carry_over_copies_text_component_units_and_pics(years, world):
    previous, target = years
    first, _closed, third = previous.recommendations
    created = carry_over(previous, target, [first.id, third.id], world.koordinator)
    db.session.commit()
    db.session.expire_all()
    assert [r.carried_from_id for r in created] == [first.id, third.id]
    copy, other = created
    assert (copy.text, copy.component.name, copy.number) == (TEXTS[0], "Perencanaan Kinerja", 2)
    assert (other.text, other.component.name, other.number) == (TEXTS[2], "Pelaporan Kinerja", 1)
    assert copy.component.evaluation_id == target.id
    assert copy.carried_from.evaluation == previous
    assert first.carried_to == [copy] and third.carried_to == [other]
    for recommendation in created:
        followup = recommendation.followup
        assert followup.status == FollowUpStatus.BELUM
        assert followup.due_date == date(2026, 4, 30)
        assert [u.code for u in followup.units] == ["UNIT-A"]
        assert followup.pics == [world.pic]
        assert (followup.action_plan, followup.progress) == ("", 0)
    # The origin keeps its follow-up and work, and records where it went.
    origin = first.followup
    assert (origin.status, origin.progress) == (FollowUpStatus.PROSES, 40)
    assert audit_actions("followups", origin.id)[-1] == (
        "carried_over",
        {"to_year": 2024, "to_evaluation_id": target.id, "to_followup_id": copy.followup.id},
    )
    assert audit_actions("followups", copy.followup.id) == [
        ("create", {"due_date": "2026-04-30"}),
        (
            "carried_in",
            {
                "from_year": 2023,
                "from_evaluation_id": previous.id,
                "from_followup_id": origin.id,
                "units": ["UNIT-A"],
                "pics": [world.pic.name],
            },
        ),
    ]
    assert audit_actions("recommendations", copy.id)[0][0] == "create"
    assert copy.repeat_of_id is None  # carried, not a new repeat


def test_components_of_a_five_component_lhe_match_by_name_then_order(world):
    previous = factories.make_evaluation(n_recommendations=3, year=2021)
    for component, (name, order) in zip(
        previous.components,
        [("Perencanaan Kinerja", 1), ("Pengukuran Kinerja", 2), ("Evaluasi Internal", 4)],
        strict=False,
    ):
        component.name, component.order = name, order
    capaian = ComponentScore(order=5, name="Capaian Kinerja", weight=Decimal(20))
    previous.components.append(capaian)
    db.session.flush()
    for recommendation, component in zip(
        previous.recommendations,
        [previous.components[1], previous.components[2], capaian],
        strict=True,
    ):
        recommendation.component = component
    target = factories.make_evaluation(n_recommendations=0, year=2022)
    ids = [r.id for r in previous.recommendations]
    created = carry_over(previous, target, ids, world.koordinator)
    assert [r.component.name if r.component else None for r in created] == [
        "Pengukuran Kinerja",
        "Evaluasi Akuntabilitas Kinerja Internal",
        None,
    ]
    assert [r.number for r in created] == [1, 1, 1]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("closed", "Rekomendasi Pengukuran Kinerja 1 sudah selesai (Sesuai)"),
        ("twice", "Rekomendasi Perencanaan Kinerja 1 sudah dibawa ke evaluasi ini."),
        ("institution", "Evaluasi tujuan milik instansi lain."),
        ("earlier", "tahun yang lebih baru dari 2023"),
        ("same_year", "tahun yang lebih baru dari 2023"),
        ("nothing", "Pilih minimal satu rekomendasi."),
        ("foreign", "bukan dari evaluasi sebelumnya"),
    ],
)
def test_refusals_change_nothing(years, world, change, expected):
    previous, target = years
    first, closed, _third = previous.recommendations
    ids = [first.id]
    if change == "closed":
        ids.append(closed.id)
    elif change == "twice":
        carry_over(previous, target, [first.id], world.koordinator)
    elif change == "institution":
        target.institution = "Politeknik Lain"
    elif change == "earlier":
        target.year = 2022
    elif change == "same_year":
        target.year = 2023
    elif change == "nothing":
        ids = []
    elif change == "foreign":
        ids.append(target.recommendations[0].id)
    before = count_recommendations(target)
    with pytest.raises(CarryOverError) as refused:
        carry_over(previous, target, ids, world.koordinator)
    assert any(expected in message for message in messages(refused.value))
    assert count_recommendations(target) == before


def test_the_database_refuses_the_same_origin_twice_in_one_evaluation(years, world):
    previous, target = years
    origin = previous.recommendations[0]
    carry_over(previous, target, [origin.id], world.koordinator)
    db.session.commit()
    twin = Recommendation(evaluation=target, number=9, text="x", carried_from=origin)
    twin.followup = FollowUp()
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_deleting_the_origin_keeps_the_copy(years, world):
    previous, target = years
    created = carry_over(previous, target, [previous.recommendations[2].id], world.koordinator)
    db.session.commit()
    copy_id = created[0].id
    items.delete_recommendation(world.koordinator, previous.recommendations[2])
    db.session.commit()
    db.session.expire_all()
    copy = db.session.get(Recommendation, copy_id)
    assert (copy.text, copy.carried_from_id) == (TEXTS[2], None)


# --- the page ---------------------------------------------------------------------------------


def url(target: Evaluation) -> str:
    return f"/evaluations/{target.id}/carry-over"


def checkboxes(html: str) -> dict[str, str]:
    """{value: 'checked' / 'disabled' / ''} of the recommendation checkboxes."""
    found = {}
    for tag in re.findall(r'<input[^>]*name="recommendations"[^>]*>', html):
        value = re.search(r'value="(\d+)"', tag).group(1)
        state = "disabled" if "disabled" in tag else "checked" if "checked" in tag else ""
        found[value] = state
    return found


def test_page_lists_open_recommendations_checked(client, years, world):
    previous, target = years
    first, _closed, third = previous.recommendations
    login(client, world.koordinator)
    response = client.get(url(target))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert checkboxes(html) == {str(first.id): "checked", str(third.id): "checked"}
    assert TEXTS[0] in html and TEXTS[1] not in html
    assert "30 April 2026" in html


def test_post_carries_over_and_marks_them_done(client, years, world):
    previous, target = years
    first, _closed, third = previous.recommendations
    login(client, world.koordinator)
    response = post(client, url(target), {"recommendations": [third.id]}, token_from=url(target))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evaluations/{target.id}")
    db.session.expire_all()
    copy = db.session.scalars(
        select(Recommendation).where(Recommendation.carried_from_id == third.id)
    ).one()
    assert copy.evaluation_id == target.id
    html = client.get(url(target)).get_data(as_text=True)
    assert checkboxes(html) == {str(first.id): "checked", str(third.id): "disabled"}
    assert "Sudah dibawa" in html


def test_post_refused_shows_why(client, years, world):
    previous, target = years
    closed = previous.recommendations[1]
    login(client, world.koordinator)
    response = post(client, url(target), {"recommendations": [closed.id]}, token_from=url(target))
    assert response.status_code == 400
    assert "sudah selesai (Sesuai)" in response.get_data(as_text=True)
    assert count_recommendations(target) == 1


def test_post_without_csrf_token_is_refused(client, years, world):
    previous, target = years
    login(client, world.koordinator)
    csrf_token(client, url(target))
    response = client.post(url(target), data={"recommendations": [previous.recommendations[0].id]})
    assert response.status_code == 400
    assert count_recommendations(target) == 1


def test_no_previous_year(client, world):
    target = factories.make_evaluation(n_recommendations=0, year=2024)
    login(client, world.koordinator)
    html = client.get(url(target)).get_data(as_text=True)
    assert "Belum ada evaluasi tahun sebelumnya" in html
    assert "Bawa ke evaluasi ini" not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("koordinator", 200), ("pimpinan", 403), ("pic", 403), ("other_pic", 404)],
)
def test_who_may_carry_over(client, world, role, status):
    previous = factories.make_evaluation([world.unit_a], n_recommendations=1, year=2023)
    target = factories.make_evaluation([world.unit_a], n_recommendations=1, year=2024)
    login(client, world.by_role(role))
    assert client.get(url(target)).status_code == status
    if status != 200:
        token = csrf_token(client, "/evaluations/")
        data = {"recommendations": [previous.recommendations[0].id], "csrf_token": token}
        assert client.post(url(target), data=data).status_code == status
        assert count_recommendations(target) == 1


def test_both_follow_up_pages_link_across_the_years_and_name_the_move(client, years, world):
    previous, target = years
    origin = previous.recommendations[0]
    (copy,) = carry_over(previous, target, [origin.id], world.koordinator)
    db.session.commit()
    old_id, new_id = origin.followup.id, copy.followup.id
    login(client, world.koordinator)

    new_page = client.get(f"/followups/{new_id}").get_data(as_text=True)
    assert "Dibawa dari evaluasi 2023" in new_page
    assert f'href="/followups/{old_id}">lihat tindak lanjut lama</a>' in new_page
    assert "Dibawa dari evaluasi sebelumnya" in new_page  # its history

    old_page = client.get(f"/followups/{old_id}").get_data(as_text=True)
    assert "Dibawa ke evaluasi 2024" in old_page
    assert f'href="/followups/{new_id}">lihat tindak lanjutnya</a>' in old_page
    assert "Dibawa ke evaluasi tahun berikutnya" in old_page
    assert "to_followup_id" not in old_page  # internal ids stay out of the history


def test_a_repeated_recommendation_is_badged_on_the_evaluation_page(client, years, world):
    previous, target = years
    repeated = target.recommendations[0]
    repeated.text = "Agar menetapkan target kinerja yang lebih menantang."
    flag_repeats(target)
    db.session.commit()
    assert repeated.repeat_of_id == previous.recommendations[0].id
    login(client, world.koordinator)

    page = client.get(f"/evaluations/{target.id}").get_data(as_text=True)
    assert "Berulang · 2023" in page
    assert "dengan rekomendasi tahun 2023" in page
