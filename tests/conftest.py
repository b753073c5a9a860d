"""Shared fixtures: a small sample municipality built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Jupyter warns about its path migration on every start; the test suite treats warnings as errors.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the built-in sample ('voorbeeld') of this test session out of the user's cache."""
    os.environ["ZGW_CACHE_DIR"] = str(tmp_path_factory.mktemp("zgw-cache"))


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small but complete sample snapshot (6,000 zaken over 24 months, default seed).

    Read-only: tests that change data copy it first.
    """
    from zgwlib.data.sample import build_sample

    return build_sample(tmp_path_factory.mktemp("sample") / "voorbeeld", zaken=6000)
