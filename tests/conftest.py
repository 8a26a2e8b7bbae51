"""Shared fixtures of the test suite."""

from __future__ import annotations

import os

import pytest

# Kernels started by nbval and CLI subprocesses inherit this: set ordering as in the committed outputs,
# even when pytest is run without the Makefile.
os.environ["PYTHONHASHSEED"] = "0"

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
