"""``zgw demo`` on any laptop: the pip route in a fresh venv without make, and names a Windows share accepts.

The fresh venv gets the kit only as ``pip install --no-deps`` of the wheel built from this checkout. Its
dependencies (pandas, Jupyter, ...) come from the project's own environment through a ``.pth`` file, because
downloading them again would take minutes and needs the internet; ``--system-site-packages`` cannot do this,
as it points at the base Python, not at the project's venv. What pip would put in the venv's ``share/jupyter``
(nbconvert's templates) is linked in through ``JUPYTER_PATH``, without the project's kernel spec, so the
kernels are the fresh venv's Python with the installed kit. The run starts in an empty folder, so the report
notebooks must come from the installed wheel, not from this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from windows_names import windows_problem, windows_problems
from zgwlib.core.errors import UsageError
from zgwlib.core.terms import folder_names
from zgwlib.publish.notebooks import find_notebook_dir

ROOT = Path(__file__).resolve().parent.parent


def test_the_windows_name_check_refuses_what_a_windows_share_refuses() -> None:
    for bad in ("con", "CON.html", "lpt1", "aux.txt", "a<b", "a:b", 'a"b', "a|b", "a?b", "a*b", "a\\b", "rapport.",
                "rapport ", "x" * 256, ""):
        assert windows_problem(bad), bad
    for good in ("maandrapportage.html", "beheer-openbare-ruimte", "2026-W48", "zgw-run.log", "console", "con-1a2b"):
        assert windows_problem(good) is None, good


def test_every_department_name_gets_a_folder_a_windows_share_accepts() -> None:
    hostile = ["CON", "Lpt1", "nul.", "Ruimte. ", 'A<b>:"c"/d\\e|f?g*', "..", " ", "Financiën", "x" * 300,
               "Werk & Inkomen", "aux.afdeling"]
    folders = folder_names(hostile)
    assert len(set(folders.values())) == len(hostile)
    assert not [f for f in folders.values() if windows_problem(f)], folders


def test_the_notebooks_in_the_kit_folder_come_first(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "eigen.ipynb").write_text("{}", encoding="utf-8")
    assert find_notebook_dir(cwd=tmp_path) == tmp_path / "notebooks"
    elsewhere = tmp_path / "leeg"
    elsewhere.mkdir()
    assert (find_notebook_dir(cwd=elsewhere) / "maandrapportage.ipynb").is_file()  # the installed kit's or checkout's
    with pytest.raises(UsageError, match="no folder with report notebooks"):
        find_notebook_dir(elsewhere)


@pytest.mark.slow
def test_pip_install_then_zgw_demo_publishes_from_a_fresh_venv_without_make(tmp_path: Path) -> None:
    wheels = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    built = subprocess.run(pip + ["wheel", "--no-deps", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run(pip + ["--python", str(python), "install", "--no-deps", str(next(wheels.glob("*.whl")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zgw-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    zgw = venv / ("Scripts/zgw.exe" if os.name == "nt" else "bin/zgw")
    jupyter = tmp_path / "jupyter"
    jupyter.mkdir()
    (jupyter / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert", target_is_directory=True)
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", PYTHONPATH="", JUPYTER_PATH=str(jupyter))
    demo = subprocess.run([str(zgw), "demo", "--out", "uit", "--zaken", "3000", "--afdeling", "organisatie",
                           "--workers", "2"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = elsewhere / "uit"
    assert f"from {site / 'zgwlib' / 'notebooks'}" in demo.stdout  # the wheel's notebooks, not the checkout's
    assert (out / "voorbeeld" / "meta.json").is_file() and "Sample validated" in demo.stdout
    assert f"Index: {Path('uit') / 'index.html'}" in demo.stdout
    month = next(p for p in out.iterdir() if p.name[:4].isdigit() and "-W" not in p.name)
    week = next(p for p in out.iterdir() if "-W" in p.name)
    assert {p.name for p in (month / "organisatie").glob("*.html")} >= {
        "maandrapportage.html", "opschoonactie.html", "archief.html", "borging.html"}
    assert (week / "organisatie" / "termijnbewaking.html").is_file()
    assert not list(out.rglob("*.mislukt.*"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert month.name in index or "2026" in index
    # Every folder and file the runner wrote can be copied to a Windows file share.
    assert not windows_problems(out), windows_problems(out)
