"""An installed kit (``pip install .``, not editable) runs a report from any folder: package data and defaults ship.

The wheel is built from this checkout and installed without dependencies into a
folder of its own that comes first on ``PYTHONPATH``, so the run below imports
the installed ``zgwlib`` (templates, CSS, settings defaults), not this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding zgwlib as ``pip install`` of the built wheel puts it."""
    base = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    build = subprocess.run(pip + ["wheel", "--no-deps", "-w", str(base / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next((base / "dist").glob("zgwlib-*.whl"))
    target = base / "site"
    done = subprocess.run(pip + ["install", "--no-deps", "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def test_the_wheel_holds_every_subpackage_and_the_templates(installed: Path) -> None:
    package = installed / "zgwlib"
    for part in ("core/settings.py", "data/zgw/api.py", "maandrapportage/figures.py", "publish/runner.py",
                 "publish/templates/zgw.css", "publish/templates/report.html.j2", "publish/templates/page.html.j2"):
        assert (package / part).is_file(), f"{part} is not in the wheel"


def test_an_installed_kit_runs_a_report_notebook_from_another_folder(installed: Path, small_sample: Path,
                                                                    tmp_path: Path) -> None:
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    shutil.copy(ROOT / "notebooks" / "opschoonactie.ipynb", elsewhere / "opschoonactie.ipynb")
    env = dict(os.environ, PYTHONPATH=str(installed), JUPYTER_PLATFORM_DIRS="1")
    which = subprocess.run([sys.executable, "-c", "import zgwlib; print(zgwlib.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=120)
    assert which.stdout.startswith(str(installed)), which.stdout + which.stderr
    run = subprocess.run(
        [sys.executable, "-m", "zgwlib.cli", "run", "opschoonactie.ipynb", "--data", str(small_sample),
         "--afdeling", "organisatie", "--out", "uit", "--workers", "1"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    page = next((elsewhere / "uit").glob("*/organisatie/opschoonactie.html")).read_text(encoding="utf-8")
    assert "Opschoonactie" in page and "zgw-kop" in page and "<script" not in page
    assert (elsewhere / "uit" / "index.html").is_file()
