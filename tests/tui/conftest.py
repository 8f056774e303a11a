"""Fixtures for the app tests."""

from __future__ import annotations

import pytest
from app_helpers import Rig, rig, shipped


@pytest.fixture
def run21() -> Rig:
    """The 21 x 400m session, opening on Ready."""
    return rig(shipped("21x400m"))
