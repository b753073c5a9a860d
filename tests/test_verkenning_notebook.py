"""The exploration notebook runs under plain papermill and under pytest --nbval-lax, on the sample.

Two kernel runs in all: papermill on the zaaktype with the planted bottleneck
(outputs checked; its counts, lead times and bottleneck against a plain pandas
recount of the sample's files), and nbval on another choice of parameters (afdeling, period,
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
from notebook_helpers import assert_committed_clean, dutch_number, outputs, run_nbval, shown_table

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
    # Closed: einddatum in one of its months; open at its end: registered on or before its last day and not
    # closed by then (docs/metrics.md, the monthly report's definitions over a span of months).
    eind = pd.Period(tot, freq="M").end_time.normalize()
    afgesloten = int(z["einddatum"].dt.strftime("%Y-%m").between(van, tot).sum())
    open_eind = int(((z["registratiedatum"] <= eind) & (z["einddatum"].isna() | (z["einddatum"] > eind))).sum())
    kwartaal = {r["label"]: r["tekst"] for r in shown_table(nb, "label", "tekst")}
    assert afgesloten > 0 and open_eind > 0
    assert (kwartaal["Afgesloten zaken"], kwartaal["Open aan het eind van de periode"]) == (
        nl.getal(afgesloten), nl.getal(open_eind))


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


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def test_papermill_run_shows_the_zaaktypes_counts_lead_times_and_bottleneck_as_recounted(
    executed: tuple[nbformat.NotebookNode, dict], small_sample: Path
) -> None:
    # The figures of the selected zaaktype counted again with plain pandas from the sample's files, not through
    # zgwlib (docs/metrics.md, Verkenning): no afdeling and no period chosen, so every zaak of the zaaktype.
    nb, meta = executed
    knel = meta["sample"]["geplant"]["knelpunt_status"]
    zaken = pd.read_parquet(small_sample / "zaken.parquet")
    gekozen = zaken[zaken["zaaktype"] == knel["zaaktype"]]
    assert len(gekozen) > 100
    rich = "\n".join(outputs(nb, "text/html"))
    assert f"{nl.getal(len(gekozen))} zaken van zaaktype " in rich

    # Lead time per month of registration: zaken, closed, open; the median of einddatum - startdatum in days of
    # the closed ones; binnen wettelijke termijn among closed zaken with an uiterlijke_einddatum_afdoening.
    gekozen = gekozen.assign(maand=gekozen["registratiedatum"].dt.to_period("M"),
                             dagen=(gekozen["einddatum"] - gekozen["startdatum"]).dt.days)
    rijen = shown_table(nb, "maand van registratie", "mediane doorlooptijd")
    assert [r["maand van registratie"] for r in rijen] == [
        f"{MAANDEN[p.month - 1]} {p.year}" for p in sorted(gekozen["maand"].unique())]
    for rij, (_, z) in zip(rijen, sorted(gekozen.groupby("maand"), key=lambda g: g[0]), strict=True):
        dicht = z[z["einddatum"].notna()]
        assert [dutch_number(rij[k]) for k in ("zaken", "afgesloten", "open")] == [
            len(z), len(dicht), len(z) - len(dicht)], rij
        if len(dicht):
            # Shown in whole days: a median of n + ½ may be rounded either way.
            assert abs(dutch_number(rij["mediane doorlooptijd"]) - dicht["dagen"].median()) <= 0.5, rij
            met = dicht[dicht["uiterlijke_einddatum_afdoening"].notna()]
            op_tijd = 100 * (met["einddatum"] <= met["uiterlijke_einddatum_afdoening"]).mean()
            assert abs(dutch_number(rij["binnen wettelijke termijn"]) - op_tijd) <= 0.05, rij
        else:
            assert rij["mediane doorlooptijd"] == "–", rij

    # The bottleneck's median wachttijd: per zaak its statuses ordered by time, then volgnummer; the time from
    # getting the status to getting the next one, in days. Open zaken whose latest status it is are "nu".
    statussen = pd.read_parquet(small_sample / "statussen.parquet")
    log = statussen[statussen["zaak"].isin(gekozen["identificatie"])].sort_values(
        ["zaak", "datum_status_gezet", "volgnummer"])
    volgende = log.groupby("zaak")["datum_status_gezet"].shift(-1)
    wacht = ((volgende - log["datum_status_gezet"]).dt.total_seconds() / 86400)[log["statustype"] ==
                                                                                knel["statustype"]].dropna()
    laatste = log.groupby("zaak").tail(1)
    nu = laatste["zaak"][laatste["statustype"] == knel["statustype"]].isin(
        gekozen.loc[gekozen["einddatum"].isna(), "identificatie"]).sum()
    zin = next(h for h in outputs(nb, "text/html") if "Knelpunt: " in h)
    mediaan = re.search(r"mediaan ([\d.,]+) dagen", zin).group(1)
    assert abs(dutch_number(mediaan) - wacht.median()) <= 0.05, (zin, wacht.median())
    assert nu > 0 and f"Op dit moment staan er {nl.getal(nu)} open zaken in deze status." in zin
