"""Links in mails: BASE_URL when set, else the request's host, else the development address."""

from __future__ import annotations

from tracker.core.mail import external_url


def test_outside_a_request_without_base_url_uses_the_development_address(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "BASE_URL", "")
    assert external_url("followups.detail", followup_id=7) == "http://127.0.0.1:5000/followups/7"


def test_base_url_wins_even_inside_a_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://tracker.example.ac.id/sakip")
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        link = external_url("followups.detail", followup_id=7)
    assert link == "https://tracker.example.ac.id/sakip/followups/7"


def test_inside_a_request_without_base_url_uses_its_host(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context("/", base_url="https://intra.example.ac.id"):
        assert external_url("followups.detail", followup_id=7) == (
            "https://intra.example.ac.id/followups/7"
        )
