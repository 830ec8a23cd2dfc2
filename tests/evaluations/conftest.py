"""Fixtures for the evaluation tests; stand-in routes for pages other packages may not have yet."""

from __future__ import annotations

import pytest
from flask import current_app
from werkzeug.routing import Rule

from tests import factories
from tests.conftest import login

# Endpoints the evaluation pages link to. Stand-ins are added ONLY when the real ones are missing.
LINKED_ENDPOINTS = {
    "followups.detail": "/_stub/followups/<int:followup_id>",
    "followups.assign": "/_stub/followups/<int:followup_id>/assign",
    "followups.bulk_assign": "/_stub/followups/evaluation/<int:evaluation_id>/assign",
    "followups.mine": "/_stub/followups/mine",
    "units.index": "/_stub/units/",
    "users.index": "/_stub/users/",
}


def _stub(**_kwargs):
    return "stub"


@pytest.fixture(scope="session", autouse=True)
def linked_endpoints(app):
    """Register a stand-in for each linked endpoint that does not exist (yet)."""
    for endpoint, rule in LINKED_ENDPOINTS.items():
        if endpoint not in app.view_functions:
            # Straight onto the URL map: add_url_rule() is refused once a request was served.
            app.url_map.add(Rule(rule, endpoint=endpoint, methods=["GET"]))
            app.view_functions[endpoint] = _stub


@pytest.fixture
def manager(client, world):
    """The client, logged in as the koordinator."""
    login(client, world.koordinator)
    return client


@pytest.fixture
def evaluation_a(world):
    """An evaluation whose follow-ups all belong to UNIT-A."""
    return factories.make_evaluation(owner_units=[world.unit_a])


def as_text(message) -> str:
    """A (lazy) translated message as text; translating needs a request (the locale selector)."""
    with current_app.test_request_context():
        return str(message)
