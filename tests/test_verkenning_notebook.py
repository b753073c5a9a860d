"""The exploration notebook runs under plain papermill and under pytest --nbval-lax, on the sample.

Two kernel runs in all: papermill on the zaaktype with the planted bottleneck
(outputs checked), and nbval on another choice of parameters (afdeling, period,
names shown) so the other branches run too.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from zgwlib.core import nl
from zgwlib.data.sources import load_snapshot
from zgwlib.maandrapportage.selectie import last_complete_quarter
from notebook_helpers import assert_committed_clean, outputs, run_nbval

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "verkenning.ipynb"
PARAMETERS = ("zaaktype", "afdeling", "periode_van", "periode_tot", "data", "toon_namen", "interactief")

pytestmark = pytest.mark.slow



def test_notebook_is_committed_clean_with_its_parameters() -> None:
    defaults = assert_committed_clean(NOTEBOOK)
    assert tuple(defaults) == PARAMETERS
    assert defaults == {
        "zaaktype": "None", "afdeling": "None", "periode_van": "None", "periode_tot": "None",
        "data": '"voorbeeld"', "toon_namen": "False", "interactief": "None",
    }
    assert nbformat.read(NOTEBOOK, as_version=4).metadata["zgw"] == {"publish": False, "titel": "Verkenning"}


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
    markdown = "\n".join(outputs(nb, "text/markdown"))
    rich = "\n".join(outputs(nb, "text/html"))
    assert f"<strong>Knelpunt: {html.escape(knel['statustype'])}. </strong>Zaken wachten hier het langst" in rich
    assert len(outputs(nb, "image/png")) == 2  # the flow chart and the lead-time chart
    assert "open bezwaarzaken ouder dan 12 weken" in "".join(outputs(nb, "stream"))
    assert "Cijfers per medewerker staan uit" in markdown


def test_papermill_run_lists_the_planted_never_used_document_types(
    executed: tuple[nbformat.NotebookNode, dict]
) -> None:
    nb, meta = executed
    geplant = meta["sample"]["geplant"]
    markdown = "\n".join(outputs(nb, "text/markdown"))
    n = len(geplant["documenttypen_nooit_gebruikt"])
    assert f"**Documenttypen uit de catalogus die nooit zijn gebruikt** (geldig op 31 oktober 2026, " \
           f"hele organisatie): {n}." in markdown
    html_out = "\n".join(outputs(nb, "text/html"))
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
    assert f"{verwacht} open bezwaarzaken ouder dan 12 weken\n" in "".join(outputs(nb, "stream"))


def test_papermill_run_shows_no_dropdowns_and_answers_how_last_quarter_went(
    executed: tuple[nbformat.NotebookNode, dict], small_sample: Path
) -> None:
    nb, meta = executed
    # Under papermill the widgets are not made: no widget output, and only the two charts of the notebook itself.
    assert not outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert len(outputs(nb, "image/png")) == 2
    # The quarter's received zaken, counted here from the table: registered in one of its three months.
    van, tot = last_complete_quarter(meta)
    z = load_snapshot(small_sample, ["zaken"]).zaken
    verwacht = int(z["registratiedatum"].dt.strftime("%Y-%m").between(van, tot).sum())
    assert verwacht > 0
    rich = "\n".join(outputs(nb, "text/html"))
    assert f"<strong>De hele organisatie, {nl.maand(van)} tot en met {nl.maand(tot)}</strong>" in rich
    assert re.search(rf"<td>Ontvangen zaken</td>\s*<td>{re.escape(nl.getal(verwacht))}</td>", rich), rich[-3000:]


def test_papermill_run_escapes_free_text_and_shows_no_names(
    executed: tuple[nbformat.NotebookNode, dict], small_sample: Path
) -> None:
    nb, _ = executed
    shown = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown") + outputs(nb, "text/plain"))
    assert "<script" not in "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown"))
    names = load_snapshot(small_sample, ["medewerkers"]).medewerkers["naam"].dropna()
    assert not [n for n in names if n in shown]


def test_nbval_lax_with_afdeling_period_and_names(small_sample: Path, tmp_path: Path) -> None:
    afdeling = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]["achterblijvende_afdeling"]
    run_nbval(NOTEBOOK, {"data": str(small_sample), "afdeling": afdeling, "periode_van": "2025-06",
                         "periode_tot": "2026-09", "toon_namen": True}, tmp_path / "verkenning_nbval.ipynb")


def test_papermill_on_a_source_without_documents(sample_without_documents: Path, tmp_path: Path) -> None:
    import papermill

    out = tmp_path / "geen.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"data": str(sample_without_documents)},
        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent),
    )
    nb = nbformat.read(out, as_version=4)
    html_out = "\n".join(outputs(nb, "text/html"))
    markdown = "\n".join(outputs(nb, "text/markdown"))
    assert "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken." in html_out
    assert "Welke documenttypen wel, niet of nooit worden gebruikt is daarom niet te zien." in html_out
    # Not "every type of the catalogue was never used", not "0 in gebruik".
    assert "nooit zijn gebruikt**" not in markdown and "**Documenttypen**:" not in markdown
    # Teams and zaaktypen: "–" where the share without documents would be, never 0%.
    for tabel in (t for t in html_out.split("<table") if "gesloten zonder documenten" in t or
                  "zonder documenten</th>" in t):
        koppen = re.findall(r"<th>([^<]*)</th>", tabel.split("</thead>")[0])
        for rij in tabel.split("<tbody>")[1].split("</tr>")[:-1]:
            cellen = dict(zip(koppen[1:], re.findall(r"<td>([^<]*)</td>", rij)))
            waarde = cellen.get("gesloten zonder documenten", cellen.get("zonder documenten"))
            assert waarde == "–", cellen
    assert "Zonder documentgegevens is *zonder documenten* onbekend" in markdown
