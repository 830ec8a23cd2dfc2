"""Fixtures of the verification tests: one follow-up of UNIT-A with `world.pic` as its PIC."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def followup(app_ctx, world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    return evaluation.recommendations[0].followup
