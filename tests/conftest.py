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


@pytest.fixture(scope="session")
def sample_without_documents(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample from a source without document data: documenten emptied, meta.json flagged.

    An organisation that keeps its documents in another system (``"documenten_bron": "geen"``).
    Read-only, like ``small_sample``.
    """
    import json
    import shutil

    from zgwlib.data import contract

    out = Path(shutil.copytree(small_sample, tmp_path_factory.mktemp("zonder-documenten") / "snapshot"))
    contract.DOCUMENTEN.empty().to_parquet(out / "documenten.parquet", index=False)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta["documenten_bron"] = "geen"
    meta["aantallen"]["documenten"] = 0
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return out
