"""Names from the data are data: never markup on a page, always a safe folder, and the month is never guessed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.core.errors import UsageError
from zgwlib.core.terms import MAX_FOLDER, folder_names, slug
from zgwlib.publish.runner import _choose_periode
from windows_names import windows_problems

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "[Klik hier](https://example.org/x) **vet** <b>b</b>"


@pytest.mark.parametrize(("name", "expected"), [
    ("Beheer Openbare Ruimte", "beheer-openbare-ruimte"),
    ("Financiën", "financien"),
    ("Vergunningverlening, Toezicht & Handhaving", "vergunningverlening-toezicht-handhaving"),
])
def test_a_plain_department_name_becomes_a_readable_folder(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_folder_names_are_safe_on_every_system() -> None:
    long = "Afdeling " + "heel lang " * 20
    for name in (long, "CON", "lpt1", "...", "..", "/", "€€€", HOSTILE):
        folder = slug(name)
        assert len(folder) <= MAX_FOLDER and folder.strip("-.") == folder and set(folder) <= set(
            "abcdefghijklmnopqrstuvwxyz0123456789-"), folder
        assert folder.split("-")[0] not in {"con", "lpt1"} or len(folder) > 4
    assert slug("CON").startswith("con-") and slug("...") != slug("..")
    assert slug(long) != slug(long + "x") and slug(long) == slug(long)  # cut names stay apart, and stable


def test_departments_whose_folders_would_collide_each_get_their_own() -> None:
    folders = folder_names(["HRM", "hrm", "Financiën", "Financien", "Ruimte"])
    assert len(set(folders.values())) == 5
    assert folders["Ruimte"] == "ruimte" and folders["HRM"].startswith("hrm-")


def test_the_month_is_the_last_complete_one_and_the_run_says_why() -> None:
    assert _choose_periode(None, "2026-10-31")[0] == "2026-10"
    periode, why = _choose_periode(None, "2026-11-15")
    assert periode == "2026-10" and "last complete month" in why and "15 november 2026" in why
    assert "partial" in _choose_periode("2026-11", "2026-11-15")[1]


def test_no_report_is_made_for_a_month_after_the_data() -> None:
    with pytest.raises(UsageError, match="complete up to 31 oktober 2026"):
        _choose_periode("2026-12", "2026-10-31")
    with pytest.raises(UsageError, match="has no periode_tot"):
        _choose_periode(None, None)


@pytest.mark.slow
def test_a_department_named_like_markup_is_shown_as_text_on_every_page(small_sample: Path, tmp_path: Path) -> None:
    data = tmp_path / "gemeente"
    shutil.copytree(small_sample, data)
    for table in ("zaken", "medewerkers", "opschoning", "opschoning_doelen"):
        frame = pd.read_parquet(data / f"{table}.parquet")
        frame["afdeling"] = frame["afdeling"].replace("Financiën", HOSTILE)
        frame.to_parquet(data / f"{table}.parquet", index=False)
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    done = subprocess.run(
        [sys.executable, "-m", "zgwlib.cli", "run", "notebooks/opschoonactie.ipynb", "notebooks/maandrapportage.ipynb",
         "--data", str(data), "--out", str(tmp_path / "uit"), "--afdeling", HOSTILE, "--workers", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "note: month 2026-10: the last complete month of the data" in done.stderr
    pages = list((tmp_path / "uit").rglob("*.html"))
    assert len(pages) == 4  # two reports, the month's index and the site's index
    # A name with / : * < > and brackets still gives folders and files a Windows file share accepts.
    assert not windows_problems(tmp_path / "uit"), windows_problems(tmp_path / "uit")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert 'href="https://example.org' not in text and "<strong>vet</strong>" not in text and "<b>b</b>" not in text
    report = next(p for p in pages if p.name == "opschoonactie.html").read_text(encoding="utf-8")
    assert "[Klik hier](https://example.org/x) **vet** &lt;b&gt;b&lt;/b&gt;" in report


def test_a_weekly_run_chooses_and_refuses_weeks_as_a_monthly_run_does_months() -> None:
    # Data up to Sunday 25 October 2026 covers week 43; up to Wednesday 28 October still only week 43.
    assert _choose_periode(None, "2026-10-25", "week") == (
        "2026-W43", "week 2026-W43: the last complete week of the data (complete up to 25 oktober 2026).")
    assert _choose_periode(None, "2026-10-28", "week")[0] == "2026-W43"
    assert "the week is partial" in _choose_periode("2026-W44", "2026-10-28", "week")[1]
    with pytest.raises(UsageError, match="nothing about that week; the last complete week is 2026-W43"):
        _choose_periode("2026-W45", "2026-10-28", "week")
