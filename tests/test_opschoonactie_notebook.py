"""The opschoonactie notebook runs under plain papermill and under pytest --nbval-lax, on the sample.

Kernel runs: the organisation's report comes from the suite's one full ``zgw run``
(conftest ``published_sample``: the planted department behind and the
over-reporting one must show up); papermill for the department
behind on a copy of the sample with a script tag planted in its free text (must
be escaped), and nbval for the department without a target (its short text).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from zgwlib.opschoonactie import figures as cleanup
from zgwlib.core.terms import SUMMARY_MIME
from zgwlib.data.sources import load_snapshot
from notebook_helpers import assert_committed_clean, outputs, published_notebook, run_nbval, run_papermill

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "opschoonactie.ipynb"
SCRIPT = '<script>alert("opschoning")</script> archiefkast'

pytestmark = pytest.mark.slow




def test_notebook_is_committed_clean_with_its_parameters() -> None:
    assert assert_committed_clean(NOTEBOOK) == {"afdeling": '"organisatie"', "periode": "None", "data": '"voorbeeld"',
                                                "config": "None"}
    assert nbformat.read(NOTEBOOK, as_version=4).metadata["zgw"] == {"publish": True, "titel": "Opschoonactie"}


@pytest.fixture(scope="module")
def geplant(small_sample: Path) -> dict:
    return load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]


def test_organisation_report_of_the_full_run(small_sample: Path, published_sample: Path, geplant: dict) -> None:
    # The organisation's notebook as the suite's one full zgw run executed it (same data and parameters).
    nb = published_notebook(published_sample, "opschoonactie")
    meta = load_snapshot(small_sample, ["zaken"]).meta
    summary = outputs(nb, SUMMARY_MIME)
    assert len(summary) == 1
    s = summary[0]
    assert (s["titel"], s["afdeling"]) == ("Opschoonactie", "organisatie")
    assert s["periode"] == cleanup.peildatum(None, meta).strftime("%Y-%m")
    assert "Afdelingen klaar" in s["kerncijfers"] and "Strekkende meter opgeruimd" in s["kerncijfers"]
    # Metres cleared, summed again with plain pandas from the sample's file, not through zgwlib
    # (docs/metrics.md: every action but inventarisatie removes paper; dated on or before the peildatum).
    reg = pd.read_parquet(small_sample / "opschoning.parquet")
    peil = pd.Timestamp(s["periode"]).to_period("M").end_time.normalize()
    meters = reg.loc[(reg["actie"] != "inventarisatie") & (reg["eenheid"] == "strekkende_meters")
                     & (reg["datum"] <= peil), "hoeveelheid"].sum()
    assert meters > 0 and s["kerncijfers"]["Strekkende meter opgeruimd"] == f"{round(meters):,}".replace(",", ".")
    # Departments done: metres processed up to the peildatum at least their target's metres (all have metres).
    doelen = pd.read_parquet(small_sample / "opschoning_doelen.parquet")
    assert doelen["strekkende_meters"].notna().all()
    per_afdeling = reg[(reg["actie"] != "inventarisatie") & (reg["eenheid"] == "strekkende_meters")
                       & (reg["datum"] <= peil)].groupby("afdeling")["hoeveelheid"].sum()
    klaar = int((per_afdeling.reindex(doelen["afdeling"]).fillna(0).to_numpy()
                 >= doelen["strekkende_meters"].to_numpy()).sum())
    assert s["kerncijfers"]["Afdelingen klaar"] == f"{klaar} van {len(doelen)}"
    html_out = "\n".join(outputs(nb, "text/html"))
    # Over-reporting is a visible warning, naming the department.
    assert f"Let op: {geplant['opschoning_overmeld']} heeft meer verwerkt dan geïnventariseerd" in html_out
    # The attention table: the department behind is its first row.
    aandacht = next(h for h in outputs(nb, "text/html") if "<th>Waarom</th>" in h)
    first_row = aandacht.split("<tbody>")[1].split("</tr>")[0]
    assert geplant["opschoning_achter"] in first_row and "achter" in first_row
    assert "%" in html_out
    # Stand per afdeling (2 units), burn-up (2 units), documents outside zaken.
    assert len(outputs(nb, "image/png")) == 5


def test_papermill_department_escapes_free_text(small_sample: Path, geplant: dict, tmp_path: Path) -> None:
    data = tmp_path / "sample"
    shutil.copytree(small_sample, data)
    afdeling = geplant["opschoning_achter"]
    reg = pd.read_parquet(data / "opschoning.parquet")
    laatste = reg.index[reg["afdeling"] == afdeling][reg.loc[reg["afdeling"] == afdeling, "datum"].argmax()]
    reg.loc[laatste, "omschrijving"] = SCRIPT
    reg.to_parquet(data / "opschoning.parquet", index=False)

    nb = run_papermill(NOTEBOOK, data, tmp_path / "afd.ipynb", afdeling=afdeling)
    s = outputs(nb, SUMMARY_MIME)[0]
    assert (s["afdeling"], s["kerncijfers"]["Oordeel"]) == (afdeling, "achter")
    markdown = "\n".join(outputs(nb, "text/markdown"))
    rich = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown"))
    assert "<strong>Oordeel: achter.</strong>" in rich and afdeling not in markdown
    assert "<script" not in rich
    assert "&lt;script&gt;alert(&quot;opschoning&quot;)&lt;/script&gt; archiefkast" in rich


def test_nbval_lax_department_without_target(small_sample: Path, tmp_path: Path) -> None:
    snap = load_snapshot(small_sample, ["opschoning", "opschoning_doelen"])
    zonder = sorted(set(snap.opschoning["afdeling"]) - set(snap.opschoning_doelen["afdeling"]))
    assert len(zonder) == 1
    run_nbval(NOTEBOOK, {"data": str(small_sample), "afdeling": zonder[0], "periode": "2026-06"},
              tmp_path / "opschoonactie_nbval.ipynb")


def test_papermill_department_on_a_source_without_documents(
    sample_without_documents: Path, geplant: dict, tmp_path: Path
) -> None:
    # Documents kept in another system: the section about documents says so instead of a chart of 100%
    # closed zaken without documents; the cleanup itself is reported as usual.
    afdeling = geplant["opschoning_achter"]
    nb = run_papermill(NOTEBOOK, sample_without_documents, tmp_path / "geen.ipynb", afdeling=afdeling)
    assert outputs(nb, SUMMARY_MIME)[0]["kerncijfers"]["Oordeel"] == "achter"
    html_out = "\n".join(outputs(nb, "text/html"))
    assert "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken. Of de documenten nu in het zaaksysteem komen, is daarom niet te zien." in html_out
    assert "Afgesloten zaken zonder documenten" not in html_out  # no before/after table of unknowns
    assert len(outputs(nb, "image/png")) == 2  # the burn-up charts (2 units), no documents chart
