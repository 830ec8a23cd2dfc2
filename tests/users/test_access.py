"""Only admins reach the unit and user admin pages: others 403, anonymous to /login."""

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login
from tracker.core.audit import AuditEntry
from tracker.extensions import db

GET_URLS = [
    "/admin/units/",
    "/admin/units/new",
    "/admin/units/{unit}/edit",
    "/admin/users/",
    "/admin/users/new",
    "/admin/users/{user}/edit",
]
POST_URLS = [
    "/admin/units/new",
    "/admin/units/{unit}/edit",
    "/admin/units/{unit}/deactivate",
    "/admin/units/{unit}/activate",
    "/admin/users/new",
    "/admin/users/{user}/edit",
    "/admin/users/{user}/deactivate",
    "/admin/users/{user}/activate",
]


def _fill(url: str, world) -> str:
    return url.format(unit=world.unit_a.id, user=world.other_pic.id)


@pytest.mark.parametrize("role", ["koordinator", "pimpinan", "pic"])
def test_other_roles_get_403_everywhere(client, world, role):
    login(client, world.by_role(role))
    for url in GET_URLS:
        assert client.get(_fill(url, world)).status_code == 403, url
    token = csrf_token(client, "/admin/users/")  # the 403 page still holds the logout form
    for url in POST_URLS:
        response = client.post(_fill(url, world), data={"csrf_token": token, "code": "X"})
        assert response.status_code == 403, url
    db.session.rollback()  # a new transaction: MariaDB (REPEATABLE READ) keeps old snapshots
    assert world.other_pic.active and world.unit_a.active
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_anonymous_is_sent_to_login(client, world):
    for url in GET_URLS:
        response = client.get(_fill(url, world))
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    token = csrf_token(client, "/login")
    for url in POST_URLS:
        response = client.post(_fill(url, world), data={"csrf_token": token})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_admin_reaches_every_page(client, world):
    login(client, world.admin)
    for url in GET_URLS:
        assert client.get(_fill(url, world)).status_code == 200, url
