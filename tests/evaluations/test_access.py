"""Who reaches which evaluation page: one table per role (403 for a role, 404 outside reach)."""

import pytest

from tests import factories
from tests.conftest import login, post
from tracker.evaluations import items
from tracker.extensions import db


def change_urls(evaluation) -> list[tuple[str, str]]:
    """Every page that changes something in `evaluation`, with its method."""
    base = f"/evaluations/{evaluation.id}"
    finding = evaluation.findings[0].id
    recommendation = evaluation.recommendations[0].id
    return [
        ("GET", f"{base}/edit"),
        ("POST", f"{base}/edit"),
        ("GET", f"{base}/components"),
        ("POST", f"{base}/components"),
        ("GET", f"{base}/findings/new"),
        ("POST", f"{base}/findings/new"),
        ("GET", f"{base}/findings/{finding}/edit"),
        ("POST", f"{base}/findings/{finding}/edit"),
        ("POST", f"{base}/findings/{finding}/delete"),
        ("GET", f"{base}/recommendations/new"),
        ("POST", f"{base}/recommendations/new"),
        ("GET", f"{base}/recommendations/{recommendation}/edit"),
        ("POST", f"{base}/recommendations/{recommendation}/edit"),
        ("POST", f"{base}/recommendations/{recommendation}/delete"),
        ("POST", f"{base}/archive"),
        ("POST", f"{base}/unarchive"),
        ("POST", f"{base}/delete"),
    ]


def request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return post(client, url, {}, token_from="/evaluations/")


def test_anonymous_is_sent_to_login(client, world, evaluation_a):
    urls = [("GET", "/evaluations/"), ("GET", f"/evaluations/{evaluation_a.id}")]
    urls += [("GET", "/evaluations/new")] + change_urls(evaluation_a)
    for method, url in urls:
        if method == "GET":
            response = client.get(url)
        else:
            response = post(client, url, {}, token_from="/login")
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), url


def test_pimpinan_reads_but_changes_nothing(client, world, evaluation_a):
    login(client, world.pimpinan)
    assert client.get("/evaluations/").status_code == 200
    html = client.get(f"/evaluations/{evaluation_a.id}").get_data(as_text=True)
    assert "Rekomendasi nomor 1." in html
    assert "/edit" not in html
    assert "Tetapkan PIC" not in html
    for method, url in [("GET", "/evaluations/new"), ("POST", "/evaluations/new")] + change_urls(
        evaluation_a
    ):
        assert request(client, method, url).status_code == 403, (method, url)
    db.session.expire_all()
    assert evaluation_a.archived_at is None
    assert len(evaluation_a.recommendations) == 2


@pytest.mark.parametrize("role", ["pic", "other_pic"])
def test_pic_may_not_create(client, world, role):
    login(client, world.by_role(role))
    assert client.get("/evaluations/new").status_code == 403


def test_pic_of_another_unit_gets_404_everywhere(client, world, evaluation_a):
    login(client, world.other_pic)
    assert "Politeknik Contoh" not in client.get("/evaluations/").get_data(as_text=True)
    assert client.get(f"/evaluations/{evaluation_a.id}").status_code == 404
    for method, url in change_urls(evaluation_a):
        assert request(client, method, url).status_code == 404, (method, url)


def test_pic_of_the_unit_reads_and_gets_403_on_changes(client, world, evaluation_a):
    login(client, world.pic)
    assert "Politeknik Contoh" in client.get("/evaluations/").get_data(as_text=True)
    assert client.get(f"/evaluations/{evaluation_a.id}").status_code == 200
    for method, url in change_urls(evaluation_a):
        assert request(client, method, url).status_code == 403, (method, url)


def test_pic_sees_only_their_recommendations(client, world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=2)
    theirs = items.add_recommendation(world.koordinator, evaluation, "Khusus unit B.")
    theirs.followup.units = [world.unit_b]
    named = items.add_recommendation(world.koordinator, evaluation, "PIC A ditunjuk langsung.")
    named.followup.units = [world.unit_b]
    named.followup.pics = [world.pic]
    db.session.commit()
    login(client, world.pic)
    html = client.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Rekomendasi nomor 1." in html
    assert "Rekomendasi nomor 2." in html
    assert "PIC A ditunjuk langsung." in html
    assert "Khusus unit B." not in html
    assert "0 dari 3 selesai" in client.get("/evaluations/").get_data(as_text=True)
    login_b = client.application.test_client()
    login(login_b, world.other_pic)
    html_b = login_b.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Khusus unit B." in html_b
    assert "Rekomendasi nomor 1." not in html_b


def test_foreign_child_ids_are_404(manager, world, evaluation_a):
    other = factories.make_evaluation([world.unit_a])
    finding, recommendation = other.findings[0].id, other.recommendations[0].id
    base = f"/evaluations/{evaluation_a.id}"
    for method, url in [
        ("GET", f"{base}/findings/{finding}/edit"),
        ("POST", f"{base}/findings/{finding}/edit"),
        ("POST", f"{base}/findings/{finding}/delete"),
        ("GET", f"{base}/recommendations/{recommendation}/edit"),
        ("POST", f"{base}/recommendations/{recommendation}/edit"),
        ("POST", f"{base}/recommendations/{recommendation}/delete"),
        ("GET", f"{base}/findings/999999/edit"),
        ("GET", "/evaluations/999999"),
    ]:
        assert request(manager, method, url).status_code == 404, (method, url)
    db.session.expire_all()
    assert len(other.findings) == 1
    assert len(other.recommendations) == 2


def test_foreign_component_and_finding_in_a_form_are_404(manager, world, evaluation_a):
    other = factories.make_evaluation([world.unit_a])
    base = f"/evaluations/{evaluation_a.id}"
    response = post(
        manager,
        f"{base}/recommendations/new",
        {"component": other.components[0].id, "text": "x"},
        token_from="/evaluations/",
    )
    assert response.status_code == 404
    response = post(
        manager,
        f"{base}/recommendations/new",
        {"component": 0, "text": "x", "findings": [other.findings[0].id]},
        token_from="/evaluations/",
    )
    assert response.status_code == 404
    row = {
        "rows-0-component_id": other.components[0].id,
        "rows-0-name": "Dicuri",
        "rows-0-weight": "30",
    }
    response = post(manager, f"{base}/components", row, token_from="/evaluations/")
    assert response.status_code == 404
    db.session.expire_all()
    assert other.components[0].name == "Perencanaan Kinerja"
    assert len(evaluation_a.recommendations) == 2
