"""Zaken and documents the zaaksysteem did not show (issue 13, problem 1): every report says how many.

An application with limited zaaktypen or a maximum vertrouwelijkheidaanduiding
(docs/open-zaak.md) gets fewer zaken; ``zgw fetch`` records in ``meta.json``
how many documents belong to zaken it may not see, and how many zaken those are
(``"niet_zichtbaar": {"zaken": N, "documenten": M}``). Those zaken and documents
are in no figure of any report, not even as documents outside a zaak, so every
report built on the snapshot says so (:func:`zgwlib.style.make_visibility_note`).
The notebooks run on the small sample with a hand-made ``niet_zichtbaar`` in its
meta (the numbers of the trial against a real Open Zaak: 14 documents of 9 zaken,
tests/test_fetch_replay.py); without it they show no such note (the golden pages).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from zgwlib import style
from notebook_helpers import outputs, run_papermill

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

_NIET_MOGEN = (" die de koppeling met het zaaksysteem niet mag zien (door hun zaaktype of vertrouwelijkheid). Die "
               "zaken en documenten tellen niet mee in dit rapport.")
#: The note of the trial's numbers, as every report shows it.
NOTE = "Let op: 14 documenten horen bij 9 zaken" + _NIET_MOGEN
#: What the reports that count documents outside a zaak add to it.
NIET_BUITEN = " Ze tellen ook niet als documenten buiten een zaak."


def test_the_visibility_note_counts_hidden_documents_and_zaken_in_dutch_or_is_absent() -> None:
    note = style.make_visibility_note
    # Nothing hidden, or not looked up (not a zgw fetch, or fetched without --documenten-url): no note.
    assert note({}) is None and note(None) is None and note({"niet_zichtbaar": None}) is None
    assert note({"niet_zichtbaar": {"zaken": 0, "documenten": 0}}) is None
    assert note({"niet_zichtbaar": {"zaken": 0, "documenten": 0}}, "Dus niets.") is None
    assert note({"niet_zichtbaar": {"zaken": 1, "documenten": 1}}) == "Let op: 1 document hoort bij 1 zaak" + _NIET_MOGEN
    assert note({"niet_zichtbaar": {"zaken": 1, "documenten": 2}}) == (
        "Let op: 2 documenten horen bij 1 zaak" + _NIET_MOGEN)
    assert note({"niet_zichtbaar": {"zaken": 2, "documenten": 1234}}) == (
        "Let op: 1.234 documenten horen bij 2 zaken" + _NIET_MOGEN)
    # A report adds what it means for its own figures after the sentence.
    assert note({"niet_zichtbaar": {"zaken": 9, "documenten": 14}}, NIET_BUITEN.strip()) == NOTE + NIET_BUITEN


@pytest.fixture(scope="module")
def sample_with_hidden_zaken(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample as fetched by an application that could not see 9 zaken with 14 documents."""
    out = Path(shutil.copytree(small_sample, tmp_path_factory.mktemp("verborgen") / "snapshot"))
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta["niet_zichtbaar"] = {"zaken": 9, "documenten": 14}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


#: Every report notebook.
REPORTS = ("maandrapportage", "opschoonactie", "evaluatie", "verkenning", "termijnbewaking", "archief", "borging")
#: What a report's note adds: the cleanup report and the evaluation count documents outside
#: a zaak, which the hidden zaken's documents are not.
AANVULLING = {"opschoonactie": NIET_BUITEN, "evaluatie": NIET_BUITEN}


def test_every_report_notebook_is_checked_below() -> None:
    # A new report notebook must say it too: add it to the parametrisation of the test below.
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(REPORTS)


@pytest.mark.slow
@pytest.mark.parametrize("report", REPORTS)
def test_every_report_says_how_many_zaken_and_documents_the_application_could_not_see(
        report: str, sample_with_hidden_zaken: Path, tmp_path: Path) -> None:
    parameters = {"excel_uit": str(tmp_path)} if report in ("evaluatie", "archief") else {}
    nb = run_papermill(NOTEBOOKS / f"{report}.ipynb", sample_with_hidden_zaken, tmp_path / f"{report}.ipynb",
                       **parameters)
    page = "\n".join(outputs(nb, "text/html"))
    # Once, with what it means for this report's figures (or nothing: the end of the note's box follows).
    assert page.count(NOTE) == 1, report
    assert page.count(NOTE + AANVULLING.get(report, "</div>")) == 1, report
    if report == "evaluatie":  # and in the board's Excel appendix, whose sheets count the same zaken
        [bijlage] = tmp_path.glob("evaluatie-*.xlsx")
        toelichting = dict(openpyxl.load_workbook(bijlage)["Toelichting"].iter_rows(min_row=2, values_only=True))
        assert toelichting["niet zichtbaar"] == NOTE + NIET_BUITEN
