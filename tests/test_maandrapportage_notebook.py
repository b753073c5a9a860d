"""The monthly report notebook runs under plain papermill, under pytest --nbval-lax and under zgw run, on the sample.

Kernel runs: the organisation's report comes from the suite's one full ``zgw run``
(conftest ``published_sample``); papermill for one department (with a script tag
planted in the omschrijving of one of its example zaken),
papermill for a department without zaken (its short report), nbval for the
organisation in a month without zaken, and ``zgw run`` for the organisation with
a parameters file of its own (published page and index with the champion).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from zgwlib.core.settings import load_settings

from zgwlib.maandrapportage import champion
from zgwlib.maandrapportage import figures as metrics
from zgwlib.maandrapportage import milestones
from zgwlib.core import nl
from zgwlib.publish import pages as publish
from zgwlib.publish import runner as run
from zgwlib.publish import notebooks
from zgwlib.maandrapportage import signals
from zgwlib.core.terms import SUMMARY_MIME
from zgwlib.data.sample import SCRIPT_OMSCHRIJVING
from notebook_helpers import assert_committed_clean, outputs, published_notebook, run_nbval, run_papermill

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "maandrapportage.ipynb"
PARAMETERS = {"afdeling": '"organisatie"', "periode": "None", "data": '"voorbeeld"',
              "config": "None", "toon_namen": "False",
              "toon_omschrijving": "False"}
AFDELING = "Werk en Inkomen"
PERIODE = "2026-10"
ESCAPED = "&lt;script&gt;alert(&quot;zgw&quot;)&lt;/script&gt; melding"

pytestmark = pytest.mark.slow



def _rich(nb: nbformat.NotebookNode) -> str:
    return "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown") + outputs(nb, "stream"))



def _signal_counts(html_text: str) -> dict[str, str]:
    """Signal title -> count as shown in the report's signal table."""
    table = next(t for t in html_text.split("<table>") if t.startswith('<thead><tr><th style="text-align:left">Signaal'))
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", table)
    return {title.split(" (waarvan")[0]: count for title, count in rows}


def _names_absent(text: str, basis: metrics.Basis) -> None:
    names = basis.medewerkers["naam"].dropna().astype("str")
    shown = [n for n in names if n in text]
    assert not shown, shown[:5]
    assert "MDW-" not in text  # not even identificaties without toon_namen


@pytest.fixture(scope="module")
def basis(small_sample: Path) -> metrics.Basis:
    return metrics.load(small_sample)


@pytest.fixture(scope="module")
def maand(basis: metrics.Basis) -> metrics.Maand:
    return metrics.maand(basis, None, load_settings(metrics.Instellingen, ROOT / "parameters" / "maandrapportage.yaml"))


def test_notebook_is_committed_clean_with_its_parameters() -> None:
    assert assert_committed_clean(NOTEBOOK) == PARAMETERS
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["zgw"] == {"publish": True, "titel": "Maandrapportage"}
    report = notebooks.read_report_notebook(NOTEBOOK)
    assert report.publish and set(notebooks.REQUIRED_PARAMETERS) <= set(report.parameters)
    assert NOTEBOOK.name in [r.path.name for r in notebooks.discover(ROOT / "notebooks")]
    # No figure is computed in the notebook: no pandas aggregation in its code.
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for computing in (".groupby(", ".mean(", ".median(", ".quantile(", ".sum(", "value_counts("):
        assert computing not in code


def test_organisation_report_of_the_full_run(published_sample: Path, small_sample: Path, basis: metrics.Basis,
                                            maand: metrics.Maand) -> None:
    # The organisation's notebook as the suite's one full zgw run executed it (same data; its config is the
    # shipped parameters file, which the maand fixture reads too).
    nb = published_notebook(published_sample, "maandrapportage")
    summary = outputs(nb, SUMMARY_MIME)
    assert len(summary) == 1
    s = summary[0]
    scores = champion.kampioen_scores(maand.tabel, PERIODE, maand.instellingen)
    winners = champion.kampioen(scores)
    assert winners and (s["titel"], s["afdeling"], s["periode"], s["kampioen"]) == (
        "Maandrapportage", "organisatie", PERIODE, winners)
    kern = metrics.kerncijfers(maand.tabel, "organisatie", PERIODE).set_index("code")["tekst"]
    assert s["kerncijfers"]["Ontvangen"] == kern["ontvangen"]
    assert s["kerncijfers"]["Binnen wettelijke termijn"] == kern["binnen_termijn"]
    # The same figures counted again with plain pandas from the sample's files, not through zgwlib
    # (docs/metrics.md: received = registered in the month; closed = einddatum in it; open at its end =
    # registered on or before its last day and not closed by then).
    zaken = pd.read_parquet(small_sample / "zaken.parquet", columns=["registratiedatum", "einddatum"])
    begin, eind = pd.Timestamp(f"{PERIODE}-01"), pd.Timestamp("2026-11-01")
    reg, afg = zaken["registratiedatum"], zaken["einddatum"]
    ontvangen = int(((reg >= begin) & (reg < eind)).sum())
    afgesloten = int(((afg >= begin) & (afg < eind)).sum())
    open_eind = int(((reg < eind) & (afg.isna() | (afg >= eind))).sum())
    assert 0 < ontvangen and 0 < afgesloten and 0 < open_eind
    assert (s["kerncijfers"]["Ontvangen"], s["kerncijfers"]["Afgesloten"], s["kerncijfers"]["Open eind maand"]) == (
        f"{ontvangen:,}".replace(",", "."), f"{afgesloten:,}".replace(",", "."), f"{open_eind:,}".replace(",", "."))

    rich = _rich(nb)
    assert f"Zaakgericht werken Kampioen van oktober 2026: {winners[0]}." in rich
    for kop in ("## Kerncijfers", "## Trends", "## Per zaaktype", "## Signalen", "## Tips", "## Kampioen van de maand",
                "## Mijlpalen", "## Afdelingen vergeleken"):
        assert kop in rich
    # The signal counts are the signals module's, signal by signal.
    tabel = signals.signalen(maand, "organisatie")
    shown = _signal_counts(rich)
    assert shown == {t: nl.getal(n) for t, n in zip(tabel["titel"], tabel["aantal"])}
    # The top tip is first and bold.
    top = signals.tips(maand, "organisatie", tabel)["tekst"].iloc[0]
    assert f"<ol><li><strong>{html.escape(top)}</strong>" in rich
    # Milestones: nothing new in the last three months, the planted halving and the 250th user earlier.
    assert "Geen nieuwe mijlpaal deze maand en de 2 maanden ervoor." in rich
    for r in milestones.mijlpalen(basis, PERIODE).itertuples():
        assert html.escape(r.tekst) in rich
    assert "is gehalveerd" in rich and "De 250e gebruiker van het zaaksysteem: afdeling" in rich
    _names_absent(rich, basis)
    # Trends, champion bars, department heatmap; each with a Dutch alternative text for the page.
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert [o["metadata"]["image/png"]["alt"] for o in images] == [
        "Trends van de laatste 13 maanden", "Digitaal binnengekomen, de laatste 13 maanden",
        "Kampioensscore per afdeling", "Heatmap: afdelingen tegen de belangrijkste cijfers"]
    # Dienstverlening: the month's digital share as the figures compute it, and the share as a comparison column.
    nu = metrics.eenheid(maand.tabel, "organisatie").set_index("maand").loc[PERIODE]
    assert "## Dienstverlening" in rich
    assert (f"In oktober 2026 kwamen {nl.getal(nu['digitaal'])} van de {nl.getal(nu['kanaal_bekend'])} zaken met een "
            f"bekend kanaal digitaal binnen: {nl.procent(nu['aandeel_digitaal'], 0)}.") in rich
    assert "Digitaal binnengekomen</th>" in rich  # a column of the department comparison

    page = publish.render_report(nb, publish.ReportPage("Maandrapportage", "organisatie", PERIODE,
                                                        {"gemeente": "Gemeente Voorbeeld"}))
    assert "<script" not in page.lower()
    assert 'alt="Trends van de laatste 13 maanden"' in page and winners[0] in page


def test_papermill_department_escapes_free_text(small_sample: Path, basis: metrics.Basis, maand: metrics.Maand,
                                                tmp_path: Path) -> None:
    tabel = signals.signalen(maand, AFDELING)
    voorbeeld = next(v[0] for v, n in zip(tabel["voorbeelden"], tabel["aantal"]) if n and v and
                     str(v[0]).startswith("ZAAK-"))
    data = tmp_path / "sample"
    shutil.copytree(small_sample, data)
    zaken = pd.read_parquet(data / "zaken.parquet")
    zaken.loc[zaken["identificatie"] == voorbeeld, "omschrijving"] = SCRIPT_OMSCHRIJVING
    zaken.loc[zaken["identificatie"] == voorbeeld, "vertrouwelijkheidaanduiding"] = "openbaar"
    # Another example zaak is confidential: its omschrijving never reaches a page, even when asked for.
    geheim = next(v for vs in tabel["voorbeelden"] for v in vs if str(v).startswith("ZAAK-") and v != voorbeeld)
    zaken.loc[zaken["identificatie"] == geheim, ["omschrijving", "vertrouwelijkheidaanduiding"]] = [
        "Geheim adres Dorpsstraat 1", "vertrouwelijk"]
    zaken.to_parquet(data / "zaken.parquet", index=False)

    standaard = _rich(run_papermill(NOTEBOOK, data, tmp_path / "standaard.ipynb", afdeling=AFDELING))
    # By default a published page names an example zaak by identificatie and zaaktype only.
    assert voorbeeld in standaard and "alert(" not in standaard and "Omschrijving" not in standaard
    nb = run_papermill(NOTEBOOK, data, tmp_path / "afd.ipynb", afdeling=AFDELING, toon_omschrijving=True)
    s = outputs(nb, SUMMARY_MIME)[0]
    scores = champion.kampioen_scores(maand.tabel, PERIODE, maand.instellingen)
    eigen = scores[scores["naam"] == AFDELING].iloc[0]
    assert (s["afdeling"], "kampioen" in s) == (AFDELING, False)
    assert s["kerncijfers"]["Kampioenschap"] == f"plaats {eigen['rang']} van {int(scores['rang'].notna().sum())}"
    rich = _rich(nb)
    assert "<script" not in rich
    assert ESCAPED in rich and voorbeeld in rich
    assert "Geheim adres" not in rich and "(vertrouwelijk: niet getoond)" in rich
    assert _signal_counts(rich) == {t: nl.getal(n) for t, n in zip(tabel["titel"], tabel["aantal"])}
    teams = champion.kampioen(champion.kampioen_scores(maand.teams, PERIODE, maand.instellingen, afdeling=AFDELING))
    assert f"Het beste team van de afdeling: {' en '.join(teams)}." in rich
    assert "## Afdelingen vergeleken" not in rich  # the organisation's section only
    _names_absent(rich, basis)
    page = publish.render_report(nb, publish.ReportPage("Maandrapportage", AFDELING, PERIODE, {}))
    # nbconvert writes the quotes back unescaped (harmless in text); the tag stays text.
    assert "<script" not in page.lower() and "&lt;script&gt;alert(" in page


def test_papermill_department_without_zaken_gets_a_short_report(small_sample: Path, basis: metrics.Basis,
                                                                 maand: metrics.Maand, tmp_path: Path) -> None:
    afdeling = "HRM"  # staff only: no zaken in any month
    assert not metrics.heeft_zaken(maand.tabel, afdeling, PERIODE)
    nb = run_papermill(NOTEBOOK, small_sample, tmp_path / "hrm.ipynb", afdeling=afdeling, periode=PERIODE)
    rij = metrics.eenheid(maand.tabel, afdeling).set_index("maand").loc[PERIODE]
    rich = _rich(nb)
    assert ("Afdeling HRM had in oktober 2026 geen zaken: er kwamen geen zaken binnen, er werden er geen afgesloten "
            "en aan het eind van de maand stond er geen open.") in rich
    assert f"De afdeling heeft {nl.getal(rij['medewerkers'])} medewerkers" in rich
    assert "## " not in rich  # no sections at all
    assert not any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert outputs(nb, SUMMARY_MIME)[0]["kerncijfers"] == {"Zaken": "geen in deze maand"}


def test_nbval_lax_organisation_in_a_month_without_zaken(small_sample: Path, tmp_path: Path) -> None:
    run_nbval(NOTEBOOK, {"data": str(small_sample), "periode": "2020-01"}, tmp_path / "maandrapportage_nbval.ipynb")


def test_zgw_run_publishes_it_with_the_champion_on_the_index(small_sample: Path, basis: metrics.Basis,
                                                              maand: metrics.Maand, tmp_path: Path) -> None:
    config = tmp_path / "eigen.yaml"
    config.write_text("mijlpalen_maanden: 24\ntoon_namen: false\n", encoding="utf-8")
    result = run.run([NOTEBOOK], afdelingen=["organisatie"], data=small_sample, out=tmp_path / "out",
                     config=config, workers=1, progress=False)
    assert not result.failed and result.periode == PERIODE
    assert result.notes == [f"month {PERIODE}: the last complete month of the data (complete up to 31 oktober 2026)."]
    page = (tmp_path / "out" / PERIODE / "organisatie" / "maandrapportage.html").read_text(encoding="utf-8")
    winners = champion.kampioen(champion.kampioen_scores(maand.tabel, PERIODE, maand.instellingen))
    assert "<title>Maandrapportage Gemeente Voorbeeld – oktober 2026</title>" in page
    # The file's own threshold reached the notebook: with 24 months every milestone is recent.
    recent = milestones.mijlpalen(basis, PERIODE, instellingen=metrics.Instellingen(mijlpalen_maanden=24))
    assert recent["recent"].all() and "Geen nieuwe mijlpaal" not in page
    assert f"</svg> <strong>{html.escape(recent['tekst'].iloc[-1])}</strong>" in page and 'aria-label="Gevierd"' in page
    index = result.index.read_text(encoding="utf-8")
    assert f"Kampioen van de maand: <strong>{html.escape(', '.join(winners))}</strong>" in index


def test_papermill_on_a_source_without_documents_says_geen_documentgegevens(
    sample_without_documents: Path, tmp_path: Path
) -> None:
    # An organisation that keeps its documents elsewhere: no 0% of zaken with documents, no zaak signalled for it.
    nb = run_papermill(NOTEBOOK, sample_without_documents, tmp_path / "geen.ipynb", periode=PERIODE)
    rich = _rich(nb)
    assert rich.count("Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken.") >= 2
    tegel = rich.split("Afgesloten met documenten</div>")[1].split("</div></div>")[0]
    assert "geen documentgegevens" in tegel and "%" not in tegel and "–" in tegel
    shown = _signal_counts(rich)
    assert "Afgesloten zonder documenten" not in shown and "Documenten buiten een zaak" not in shown
    assert "Zonder behandelaar" in shown and len(shown) == len(signals.SIGNALEN) - 2
    assert "afgesloten zonder documenten" not in rich and "buiten een zaak aangemaakt" not in rich  # no such tips
    assert "telt niet mee: de score is het gemiddelde van de andere twee" in rich
    assert "(zonder documentgegevens niet te bepalen)" in rich
    # The comparison table: "–" in the document columns of every department, never a percentage.
    vergelijking = next(t for t in rich.split("<table>") if "<th>Afgesloten met documenten</th>" in t)
    koppen = re.findall(r"<th[^>]*>([^<]*)</th>", vergelijking)
    for rij in vergelijking.split("<tr")[2:]:
        cel = dict(zip(koppen, re.findall(r"<td[^>]*>([^<]*)</td>", rij), strict=True))
        assert cel["Afgesloten met documenten"] == "–" and cel["Volgens de werkwijze afgesloten"] == "–", cel
    assert outputs(nb, SUMMARY_MIME)[0]["kerncijfers"]["Ontvangen"]
