"""``zgw run --frequentie week``: the weekly cadence end to end on the small sample, and its rules without kernels.

One kit folder holds the real termijnbewaking notebook (weekly) and a monthly test report. The weekly run must
publish only the weekly report into ``outputs/<YYYY-Www>/``; the default (monthly) run beside it only the monthly
one; the site index then lists the week next to the month.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zgwlib.core import periods, terms
from zgwlib.core.errors import UsageError
from zgwlib.data.snapshot import read_meta
from zgwlib.data.sources import afdelingen
from zgwlib.publish import runner as run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "notebooks"
MARKER = "zgw-geheim-marker-4711"
ZGW = [sys.executable, "-c", "import sys; from zgwlib.cli import main; sys.exit(main())"]

pytestmark = pytest.mark.slow


def zgw(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZGW_CLIENT_SECRET": MARKER, "JUPYTER_PLATFORM_DIRS": "1"}
    return subprocess.run(ZGW + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _kit(root: Path) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "parameters").mkdir()
    shutil.copy(ROOT / "notebooks" / "termijnbewaking.ipynb", root / "notebooks" / "termijnbewaking.ipynb")
    shutil.copy(ROOT / "parameters" / "termijnbewaking.yaml", root / "parameters" / "termijnbewaking.yaml")
    shutil.copy(FIXTURES / "rapport_ok.ipynb", root / "notebooks" / "rapport.ipynb")
    return root


@pytest.fixture(scope="module")
def site(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = _kit(tmp_path_factory.mktemp("kit"))
    dept = afdelingen(small_sample)[0]
    common = ["--data", str(small_sample), "--workers", "2", "--afdeling", dept, "organisatie"]
    weekly = zgw(["run", "--frequentie", "week", *common], root)
    monthly = zgw(["run", *common], root)
    meta = read_meta(small_sample)
    return {"root": root, "out": root / "outputs", "dept": dept, "weekly": weekly, "monthly": monthly,
            "week": periods.last_complete_week(meta["periode_tot"]),
            "month": periods.last_complete_month(meta["periode_tot"])}


def test_a_weekly_run_publishes_the_weekly_report_per_department_in_the_week_folder(site: dict) -> None:
    assert site["weekly"].returncode == 0, site["weekly"].stderr
    week, out = site["week"], site["out"]
    assert week == "2026-W43"  # the sample ends on Saturday 31 October: week 44 is not complete
    for s in (terms.slug(site["dept"]), "organisatie"):
        for ext in (".html", ".ipynb", ".json"):
            assert (out / week / s / f"termijnbewaking{ext}").is_file()
        assert not (out / week / s / "rapport.html").exists()  # the monthly report is not part of a weekly run
    entry = json.loads((out / week / "organisatie" / "termijnbewaking.json").read_text(encoding="utf-8"))
    assert entry["periode"] == week and entry["status"] == "ok"
    assert entry["paginatitel"] == "Termijnbewaking Gemeente Voorbeeld – week 43 van 2026"
    assert set(entry["samenvatting"]["kerncijfers"]) >= {"Over de termijn", "Binnen 14 dagen", "Opgeschort"}
    page = (out / week / "organisatie" / "termijnbewaking.html").read_text(encoding="utf-8")
    assert "Peildatum 25 oktober 2026" in page and "<script" not in page and MARKER not in page
    assert "Rapportages week 43 van 2026" in page and "Alle rapporten van deze week" in page
    index = (out / week / "index.html").read_text(encoding="utf-8")
    assert "Rapportages week 43 van 2026" in index and "19 t/m 25 oktober 2026" in index
    assert "Over de termijn" in index and "Kampioen" not in index


def test_the_default_run_is_monthly_and_leaves_the_weekly_report_out(site: dict) -> None:
    assert site["monthly"].returncode == 0, site["monthly"].stderr
    month, out = site["month"], site["out"]
    assert (out / month / "organisatie" / "rapport.html").is_file()
    assert not list((out / month).rglob("termijnbewaking*"))
    assert "termijnbewaking" not in site["monthly"].stdout


def test_the_site_index_lists_the_weeks_next_to_the_months(site: dict) -> None:
    index = (site["out"] / "index.html").read_text(encoding="utf-8")
    assert "Kies een week of een maand." in index
    assert index.index("<h2>Weken</h2>") < index.index("<h2>Maanden</h2>")
    assert f'href="{site["week"]}/index.html"' in index and f'href="{site["month"]}/index.html"' in index
    assert "week 43 van 2026 (19 t/m 25 oktober 2026)" in index and "oktober 2026" in index


def test_the_cadence_chooses_the_notebooks_and_the_period_without_running_a_kernel(small_sample: Path,
                                                                                   tmp_path: Path) -> None:
    root = _kit(tmp_path / "kit")
    nbs = root / "notebooks"
    weekly = run.plan(notebook_dir=nbs, data=small_sample, out=tmp_path / "o", frequentie="week")
    assert [nb.name for nb in weekly.reports] == ["termijnbewaking"] and weekly.context.periode == "2026-W43"
    monthly = run.plan(notebook_dir=nbs, data=small_sample, out=tmp_path / "o")
    assert [nb.name for nb in monthly.reports] == ["rapport"] and monthly.context.periode == "2026-10"
    named = run.plan([nbs / "termijnbewaking.ipynb"], data=small_sample, out=tmp_path / "o", periode="2026-W40")
    assert named.context.periode == "2026-W40"  # a named weekly notebook makes a weekly run
    with pytest.raises(UsageError, match="expected an ISO week"):
        run.plan(notebook_dir=nbs, data=small_sample, out=tmp_path / "o", frequentie="week", periode="2026-10")
    with pytest.raises(UsageError, match="expected a month"):
        run.plan(notebook_dir=nbs, data=small_sample, out=tmp_path / "o", periode="2026-W43")
    with pytest.raises(UsageError, match="run them separately"):
        run.plan([nbs / "termijnbewaking.ipynb", nbs / "rapport.ipynb"], data=small_sample, out=tmp_path / "o")
    with pytest.raises(UsageError, match="published per week, not per maand"):
        run.plan([nbs / "termijnbewaking.ipynb"], data=small_sample, out=tmp_path / "o", frequentie="maand")
    (nbs / "rapport.ipynb").unlink()
    with pytest.raises(UsageError, match="no notebook in .* is published per maand"):
        run.plan(notebook_dir=nbs, data=small_sample, out=tmp_path / "o")
