"""Shared fixtures: a small sample municipality built once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from golden_pages import AFDELINGEN

# Jupyter warns about its path migration on every start; the test suite treats warnings as errors.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the built-in sample ('voorbeeld') of this test session out of the user's cache."""
    os.environ["ZGW_CACHE_DIR"] = str(tmp_path_factory.mktemp("zgw-cache"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the built sample ``slow`` (the marker's meaning), so ``-m "not slow"`` leaves
    only the hand-computed unit tests: the quick loop of a developer and the runner of ``make mutants``."""
    builds = {"small_sample", "sample_without_documents", "published_sample", "sample_12k"}
    for item in items:
        if builds & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """``build(folder)`` once per test run, also when pytest-xdist runs the suite in several worker processes.

    Without xdist this is ``build`` in a fresh temporary folder. Under xdist the workers share the parent of their
    temporary folders: the first to create ``<name>.lock`` there builds, writes ``<name>.done`` when its result is
    complete, and every other worker waits for that file and uses the same (read-only) result; a failed build
    leaves ``<name>.failed`` so the others fail at once instead of waiting. Saves a second sample and a second
    full ``zgw run`` per ``make test``.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return build(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent
    done, failed, folder = root / f"{name}.done", root / f"{name}.failed", root / name
    try:
        os.close(os.open(root / f"{name}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        deadline = time.monotonic() + 900
        while not done.exists():
            if failed.exists():
                pytest.fail(f"building {name} failed in another worker: {failed.read_text(encoding='utf-8')}")
            if time.monotonic() > deadline:
                pytest.fail(f"another worker did not finish building {name} within 15 minutes")
            time.sleep(0.1)
        return Path(done.read_text(encoding="utf-8"))
    try:
        folder.mkdir()
        result = build(folder)
    except BaseException as exc:
        failed.write_text(f"{type(exc).__name__}: {exc}"[:3000], encoding="utf-8")
        raise
    done.write_text(str(result), encoding="utf-8")
    return result


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small but complete sample snapshot (6,000 zaken over 24 months, default seed).

    Read-only: tests that change data copy it first.
    """
    from zgwlib.data.sample import build_sample

    return build_once(tmp_path_factory, "sample", lambda folder: build_sample(folder / "voorbeeld", zaken=6000))


@pytest.fixture(scope="session")
def sample_without_documents(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample from a source without document data: documenten emptied, meta.json flagged.

    An organisation that keeps its documents in another system (``"documenten_bron": "geen"``).
    Read-only, like ``small_sample``.
    """
    import json
    import shutil

    from zgwlib.data import contract

    def build(folder: Path) -> Path:
        out = Path(shutil.copytree(small_sample, folder / "snapshot"))
        contract.DOCUMENTEN.empty().to_parquet(out / "documenten.parquet", index=False)
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
        meta["documenten_bron"] = "geen"
        meta["aantallen"]["documenten"] = 0
        (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        return out

    return build_once(tmp_path_factory, "zonder-documenten", build)


@pytest.fixture(scope="session")
def published_sample(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one full end-to-end ``zgw run`` of the suite: the real command line, every publishable notebook, for
    the organisation and two departments of the small sample; its ``outputs`` folder.

    The golden pages are compared with it, and the notebook tests read the organisation's executed notebooks
    (``<month>/organisatie/<report>.ipynb``) from it instead of running the same notebook with the same
    parameters again: every kernel costs seconds. Read-only.
    """
    root = Path(__file__).resolve().parent.parent

    def build(folder: Path) -> Path:
        out = folder / "outputs"
        env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
        args = ["run", "--data", str(small_sample), "--out", str(out), "--workers", "2",
                "--afdeling", *AFDELINGEN]
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from zgwlib.cli import main; sys.exit(main())", *args],
            cwd=root, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return out

    return build_once(tmp_path_factory, "golden", build)
