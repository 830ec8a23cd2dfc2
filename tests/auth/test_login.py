"""Login, logout, throttling, CSRF and deactivated accounts."""

from datetime import timedelta

from tests.conftest import csrf_token, login, post
from tracker.core import clock
from tracker.extensions import db


def test_login_and_logout(client, world):
    response = login(client, world.koordinator)
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].endswith("/dashboard/")
    response = post(client, "/logout", token_from="/evaluations/")
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_login_email_is_case_insensitive(client, world):
    world.pic.email = "Pic@Example.COM"
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"email": "PIC@example.com", "password": "rahasia-uji-123", "csrf_token": token},
    )
    assert response.status_code == 302


def test_wrong_password_is_refused_in_indonesian(client, world):
    response = login(client, world.pic, password="salah")
    assert response.status_code == 401
    assert "Surel atau kata sandi salah" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client, world):
    response = client.post("/login", data={"email": world.pic.email, "password": "rahasia-uji-123"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # still not logged in
    assert client.get("/").headers["Location"].startswith("/login")


def test_session_is_renewed_on_login(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, world.pic)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_throttling_after_repeated_failures(client, world, frozen_clock):
    for _ in range(5):
        assert login(client, world.pic, password="salah").status_code == 401
    # The right password no longer helps while throttled.
    response = login(client, world.pic)
    assert response.status_code == 429
    assert "Terlalu banyak" in response.get_data(as_text=True)
    # After the window has passed, login works again.
    frozen_clock(clock.now_utc() + timedelta(minutes=16))
    assert login(client, world.pic).status_code == 302


def test_throttling_holds_across_clients(app, world, frozen_clock):
    """Attempts live in the database, so another worker (another client) sees them."""
    first, second = app.test_client(), app.test_client()
    for _ in range(5):
        login(first, world.pic, password="salah")
    assert login(second, world.pic).status_code == 429


def test_deactivated_user_is_logged_out(client, world):
    login(client, world.pic)
    assert client.get("/followups/mine").status_code == 200
    world.pic.active = False
    world.pic.session_version += 1
    db.session.commit()
    assert client.get("/followups/mine").status_code == 302


def test_deactivated_user_cannot_log_in(client, world):
    world.pic.active = False
    db.session.commit()
    assert login(client, world.pic).status_code == 401


def test_session_cookie_flags(client, world):
    response = login(client, world.pic)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_is_refused(client, world):
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/",
        data={"email": world.pic.email, "password": "rahasia-uji-123", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_home_sends_each_role_to_its_starting_page(client, world):
    for user, page in [
        (world.koordinator, "/dashboard/"),
        (world.pimpinan, "/dashboard/"),
        (world.admin, "/evaluations/"),
        (world.pic, "/dashboard/saya"),
    ]:
        login(client, user)
        assert client.get("/").headers["Location"].endswith(page), user.email
        post(
            client,
            "/logout",
            token_from="/evaluations/" if user != world.pic else "/followups/mine",
        )
