"""Fixtures of the evidence tests: a fresh upload folder and a follow-up to upload to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> Path:
    """An empty upload folder of this test's own (the app's one is shared by every test)."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


@pytest.fixture
def followup(world):
    """The first follow-up of an evaluation owned by UNIT-A, `world.pic` its PIC."""
    evaluation = factories.make_evaluation([world.unit_a], [world.pic])
    return evaluation.recommendations[0].followup
