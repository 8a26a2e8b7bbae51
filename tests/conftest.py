"""Shared fixtures of the test suite."""

from __future__ import annotations

import pytest

from zhnews import reading
from zhnews.paths import ROOT, SEED


@pytest.fixture(scope="session")
def seed():
    """The article of this package, parsed once per test session."""
    return reading.load(SEED)


@pytest.fixture(scope="session")
def root():
    """The project root."""
    return ROOT
