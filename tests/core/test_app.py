"""The app factory and configuration."""

import pytest

from config import Config, ProductionConfig
from tracker import create_app


def test_factory_uses_testing_config(app):
    assert app.testing
    assert app.config["TRACKER_TIMEZONE"] == "Asia/Jakarta"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_factory_accepts_overrides():
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert application.config["TESTING"] is True
    assert application.config["BABEL_DEFAULT_LOCALE"] == "id"


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", Config.SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_real_secret(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    assert create_app(ProductionConfig).config["SESSION_COOKIE_SECURE"] is True


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_bootstrap_is_served_locally(client):
    html = client.get("/login").get_data(as_text=True)
    assert "cdn" not in html.lower()
    assert "/bootstrap/static/css/bootstrap.min.css" in html
    with client.get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200
