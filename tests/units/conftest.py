"""Fixtures for the unit admin pages."""

import pytest

from tests.conftest import login


@pytest.fixture
def admin_client(client, world):
    """A client logged in as `world.admin`."""
    assert login(client, world.admin).status_code == 302
    return client
