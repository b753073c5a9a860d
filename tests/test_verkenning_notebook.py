"""The exploration notebook runs under plain papermill and under pytest --nbval-lax, on the sample.

Two kernel runs in all: papermill on the zaaktype with the planted bottleneck
(outputs checked), and nbval on another choice of parameters (afdeling, period,
names shown) so the other branches run too.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from zgwlib.snapshot import load_snapshot

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "verkenning.ipynb"
PARAMETERS = ("zaaktype", "afdeling", "periode_van", "periode_tot", "data", "toon_namen")

pytestmark = pytest.mark.slow


def _outputs(nb: nbformat.NotebookNode, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if mime == "stream" and out.get("output_type") == "stream":
                found.append(out["text"])
            elif mime in out.get("data", {}):
                found.append(out["data"][mime])
    return found


def test_notebook_is_committed_clean_with_its_parameters() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["zgw"] == {"publish": False, "titel": "Verkenning"}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    import papermill

    found = papermill.inspect_notebook(str(NOTEBOOK))
    assert tuple(found) == PARAMETERS
    assert {k: v["default"] for k, v in found.items()} == {
        "zaaktype": "None", "afdeling": "None", "periode_van": "None", "periode_tot": "None",
        "data": '"voorbeeld"', "toon_namen": "False",
    }
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.fixture(scope="module")
def executed(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, dict]:
    import papermill

    meta = load_snapshot(small_sample, ["zaaktypen"]).meta
    knel = meta["sample"]["geplant"]["knelpunt_status"]
    out = tmp_path_factory.mktemp("verkenning") / "verkenning.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"data": str(small_sample), "zaaktype": knel["zaaktype"]},
        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent),
    )
    return nbformat.read(out, as_version=4), meta


def test_papermill_run_names_the_planted_bottleneck(executed: tuple[nbformat.NotebookNode, dict]) -> None:
    nb, meta = executed
    knel = meta["sample"]["geplant"]["knelpunt_status"]
    markdown = "\n".join(_outputs(nb, "text/markdown"))
    assert f"**Knelpunt: {html.escape(knel['statustype'])}.**" in markdown
    assert len(_outputs(nb, "image/png")) == 2  # the flow chart and the lead-time chart
    assert "open bezwaarzaken ouder dan 12 weken" in "".join(_outputs(nb, "stream"))
    assert "Cijfers per medewerker staan uit" in markdown


def test_papermill_run_lists_the_planted_never_used_document_types(
    executed: tuple[nbformat.NotebookNode, dict]
) -> None:
    nb, meta = executed
    geplant = meta["sample"]["geplant"]
    markdown = "\n".join(_outputs(nb, "text/markdown"))
    n = len(geplant["documenttypen_nooit_gebruikt"])
    assert f"**Documenttypen uit de catalogus die nooit zijn gebruikt** (geldig op 31 oktober 2026, " \
           f"hele organisatie): {n}." in markdown
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert all(f"<td>{t}</td>" in html_out for t in geplant["documenttypen_nooit_gebruikt"])
    assert geplant["documenttype_beeindigd"] not in html_out and "geen catalogus" not in markdown


def test_papermill_run_answers_the_own_question_example(
    executed: tuple[nbformat.NotebookNode, dict], small_sample: Path
) -> None:
    # Issue 8's example, counted here from the tables: open zaken of a bezwaar zaaktype started more than
    # 12 weeks before the data's last day.
    nb, meta = executed
    snap = load_snapshot(small_sample, ["zaken", "zaaktypen"])
    peil = pd.Timestamp(meta["periode_tot"][:10])
    bezwaar = set(snap.zaaktypen.loc[snap.zaaktypen["omschrijving"].str.lower().str.contains("bezwaar"),
                                     "identificatie"])
    z = snap.zaken
    verwacht = int((z["zaaktype"].isin(bezwaar) & z["einddatum"].isna()
                    & (z["startdatum"] < peil - pd.Timedelta(days=84))).sum())
    assert verwacht > 0  # the sample has such zaken, so the example shows something
    assert f"{verwacht} open bezwaarzaken ouder dan 12 weken\n" in "".join(_outputs(nb, "stream"))


def test_papermill_run_escapes_free_text_and_shows_no_names(
    executed: tuple[nbformat.NotebookNode, dict], small_sample: Path
) -> None:
    nb, _ = executed
    shown = "\n".join(_outputs(nb, "text/html") + _outputs(nb, "text/markdown") + _outputs(nb, "text/plain"))
    assert "<script" not in "\n".join(_outputs(nb, "text/html") + _outputs(nb, "text/markdown"))
    names = load_snapshot(small_sample, ["medewerkers"]).medewerkers["naam"].dropna()
    assert not [n for n in names if n in shown]


def test_nbval_lax_with_afdeling_period_and_names(small_sample: Path, tmp_path: Path) -> None:
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    afdeling = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]["achterblijvende_afdeling"]
    nb = parameterize_notebook(
        load_notebook_node(str(NOTEBOOK)),
        {"data": str(small_sample), "afdeling": afdeling, "periode_van": "2025-06", "periode_tot": "2026-09",
         "toon_namen": True},
    )
    target = tmp_path / "verkenning_nbval.ipynb"
    nbformat.write(nb, target)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the project's settings
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider", str(target)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout and "failed" not in result.stdout, json.dumps(result.stdout[-500:])
