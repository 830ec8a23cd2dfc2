"""Fixtures for the follow-up pages: a logged-in client per role and an evaluation to work on."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from werkzeug.routing import Rule

from tests import factories
from tests.conftest import login


@pytest.fixture(scope="session", autouse=True)
def _evaluations_index(app):
    """Our pages link to `evaluations.index`; stand in for it only while it does not exist."""
    if "evaluations.index" not in app.view_functions:
        app.url_map.add(Rule("/evaluations/", endpoint="evaluations.index", methods=["GET"]))
        app.view_functions["evaluations.index"] = lambda: render_template_string(
            '{% extends "base.html" %}'
        )


@pytest.fixture
def evaluation(world):
    """Three recommendations owned by UNIT-A with `world.pic` as PIC, due 30 April 2025."""
    return factories.make_evaluation(
        [world.unit_a], [world.pic], n_recommendations=3, next_evaluation_date=date(2025, 9, 1)
    )


@pytest.fixture
def as_user(client, world):
    """Log the client in as the user with the given role name; returns the client."""

    def sign_in(role: str):
        response = login(client, world.by_role(role))
        assert response.status_code == 302
        return client

    return sign_in


@pytest.fixture
def request_ctx(app, app_ctx):
    """A request context over the test's app context: messages are translated in one."""
    with app.test_request_context():
        yield
