"""The archive notebook runs under plain papermill and under zgw run, on the sample.

Kernel runs: papermill for the organisation (the planted backlog is shown
exactly, the destruction list is written where ``excel_uit`` says, free text is
escaped), papermill for the organisation of a source without document data, and
``zgw run`` of this notebook for one department (the list is published beside
the report).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from zgwlib.archief import figures
from zgwlib.core import nl
from zgwlib.core.terms import SUMMARY_MIME, slug
from zgwlib.data.snapshot import write_snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.publish import notebooks
from zgwlib.publish import runner as run
from notebook_helpers import assert_committed_clean, outputs, published_notebook, run_papermill, shown_table

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "archief.ipynb"
SCRIPT = '<script>alert("archief")</script> dossier'

pytestmark = pytest.mark.slow


def _nl(n: int) -> str:
    """A count as the report writes it, Dutch thousands point (``1.965``), formatted here, not by zgwlib."""
    return f"{int(n):,}".replace(",", ".")


def test_notebook_is_committed_clean_with_its_parameters() -> None:
    assert assert_committed_clean(NOTEBOOK) == {"afdeling": '"organisatie"', "periode": "None", "data": '"voorbeeld"',
                                                "config": "None", "excel_uit": "None", "toon_omschrijving": "False"}
    assert nbformat.read(NOTEBOOK, as_version=4).metadata["zgw"] == {"publish": True, "titel": "Archief"}
    assert "archief" in [nb.name for nb in notebooks.discover(NOTEBOOK.parent)]  # a monthly report


@pytest.fixture(scope="module")
def planted(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample with a script tag in the omschrijving of the first destruction candidate."""
    snap = load_snapshot(small_sample)
    zaken = snap.zaken.copy()
    eerste = figures.vernietigingskandidaten(figures.load(small_sample), "2026-10")["identificatie"].iloc[0]
    zaken.loc[zaken["identificatie"] == eerste, "omschrijving"] = SCRIPT
    return write_snapshot(dict(snap.tables, zaken=zaken), tmp_path_factory.mktemp("archief") / "gemeente", snap.meta)


def test_papermill_organisation_shows_the_planted_backlog(planted: Path, tmp_path: Path) -> None:
    import papermill

    geplant = load_snapshot(planted, []).meta["sample"]["geplant"]["archief_achterstand"]
    excel = tmp_path / "lijst.xlsx"
    out = tmp_path / "archief.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"data": str(planted), "excel_uit": str(excel),
                                                                    "toon_omschrijving": True},
                               kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent))
    nb = nbformat.read(out, as_version=4)
    s = outputs(nb, SUMMARY_MIME)[0]
    totaal = geplant["vernietigen"] + geplant["blijvend_bewaren"]
    assert (s["titel"], s["afdeling"], s["periode"]) == ("Archief", "organisatie", "2026-10")
    assert s["kerncijfers"]["Achterstand"] == nl.getal(totaal)
    assert s["kerncijfers"]["Te vernietigen"] == nl.getal(geplant["vernietigen"])
    assert s["kerncijfers"]["Blijvend bewaren"] == nl.getal(geplant["blijvend_bewaren"])
    rich = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown") + outputs(nb, "stream"))
    assert (f"Op 31 oktober 2026: {nl.getal(totaal)} zaken achterstand, waarvan {nl.getal(geplant['vernietigen'])} "
            f"te vernietigen en {nl.getal(geplant['blijvend_bewaren'])} blijvend te bewaren") in rich
    # The same figures counted again with plain pandas from the snapshot's file, not through zgwlib
    # (docs/metrics.md, Archief): only zaken closed on or before the peildatum count, a zaak closed on it too;
    # in the backlog when the archiefactiedatum is before the peildatum (on it the action is due, not overdue)
    # and not transferred; candidates are nominated vernietigen, not transferred, due by the quarter's end.
    zaken = pd.read_parquet(planted / "zaken.parquet")
    peil, kwartaal = pd.Timestamp("2026-10-31"), pd.Timestamp("2027-01-31")
    dicht = zaken[zaken["einddatum"].notna() & (zaken["einddatum"] <= peil)]
    status, nominatie, actie = dicht["archiefstatus"], dicht["archiefnominatie"], dicht["archiefactiedatum"]
    zonder = int((nominatie.isna() & ~status.isin(["gearchiveerd", "gearchiveerd_procestermijn_onbekend",
                                                    "overgedragen"])).sum())
    achter = nominatie[nominatie.notna() & (actie < peil) & (status != "overgedragen")].value_counts()
    kandidaat = (nominatie == "vernietigen") & (status != "overgedragen") & (actie <= kwartaal)
    assert 0 < zonder < len(dicht) and achter["vernietigen"] > 0 and achter["blijvend_bewaren"] > 0
    [totaalrij] = [r for r in shown_table(nb, "Afdeling", "Zonder archiefnominatie") if r["Afdeling"] == "Totaal"]
    assert (totaalrij["Afgesloten zaken"], totaalrij["Zonder archiefnominatie"]) == (_nl(len(dicht)), _nl(zonder))
    assert (s["kerncijfers"]["Te vernietigen"], s["kerncijfers"]["Blijvend bewaren"]) == (
        _nl(achter["vernietigen"]), _nl(achter["blijvend_bewaren"]))
    assert s["kerncijfers"]["Kandidaten komend kwartaal"] == _nl(kandidaat.sum())
    assert (f"{_nl(kandidaat.sum())} kandidaten, waarvan {_nl((kandidaat & (actie < peil)).sum())} al te laat."
            in rich)
    assert "De archiefstatus van de zaken is gelezen op" in rich and "Wat de gegevens niet laten zien" in rich
    for kop in ("## Archiefstand", "## Achterstand", "## Vernietigingskandidaten", "## Volledige dossiers"):
        assert kop in rich
    assert "<script" not in "\n".join(outputs(nb, "text/html"))
    # The whole list, one row per candidate, with the escaped text as plain text and a column for the approval.
    kandidaten = figures.vernietigingskandidaten(figures.load(planted), "2026-10")
    ws = openpyxl.load_workbook(excel)["Vernietigingslijst"]
    rows = list(ws.values)
    assert rows[0][-1] == "goedgekeurd" and len(rows) - 1 == len(kandidaten)
    described = {r[rows[0].index("identificatie")]: r[rows[0].index("omschrijving")] for r in rows[1:]}
    assert SCRIPT in described.values()
    # Asked for descriptions, still none of a zaak marked vertrouwelijk or higher (the sample has some).
    geheim = dicht[kandidaat & dicht["vertrouwelijkheidaanduiding"].isin(
        ["vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"])]
    assert len(geheim) > 0 and {described[i] for i in geheim["identificatie"]} == {"(vertrouwelijk: niet getoond)"}
    assert not set(geheim["omschrijving"]) & set(described.values())
    assert f"Vernietigingslijst geschreven: {excel.resolve()}" in rich


def test_zgw_run_publishes_the_destruction_list_beside_the_report(small_sample: Path, tmp_path: Path) -> None:
    afdeling = "Beheer Openbare Ruimte"
    result = run.run([NOTEBOOK], afdelingen=[afdeling], data=small_sample, out=tmp_path / "out", workers=1,
                     progress=False)
    assert not result.failed, [(o.rapport, o.error) for o in result.failed]
    folder = tmp_path / "out" / result.periode / slug(afdeling)
    page = (folder / "archief.html").read_text(encoding="utf-8")
    lijst = f"vernietigingslijst-{slug(afdeling)}-{result.periode}.xlsx"
    assert (folder / lijst).is_file() and f"Vernietigingslijst geschreven: {lijst} (naast dit rapport)" in page
    frame = pd.read_excel(folder / lijst)
    assert set(frame["afdeling"]) == {afdeling}
    # Published by default: each zaak by identificatie and zaaktype, no description in any cell.
    zaken = load_snapshot(small_sample).zaken.set_index("identificatie")
    assert len(frame) > 0 and "omschrijving" not in frame.columns
    cells = {str(v) for v in frame.to_numpy().ravel()}
    assert not cells & set(zaken.loc[frame["identificatie"], "omschrijving"])


def test_papermill_organisation_on_a_source_without_documents(sample_without_documents: Path,
                                                              published_sample: Path, tmp_path: Path) -> None:
    # Documents kept in another system: the section about complete dossiers says the figure is unknown instead of a
    # table calling every closed zaak's dossier incomplete (all 5,765 of October 2026 before); every other figure,
    # the index summary included, is that of the same sample with its documents (the suite's full zgw run).
    nb = run_papermill(NOTEBOOK, sample_without_documents, tmp_path / "geen.ipynb", excel_uit=str(tmp_path))
    page = "\n".join(outputs(nb, "text/html"))
    assert ("Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken. Of de dossiers van de "
            "afgesloten zaken volledig zijn, is daarom niet te zien.") in page
    assert "Dossier niet volledig" not in page and "zonder enig document" not in page
    met = published_notebook(published_sample, "archief")
    assert outputs(nb, SUMMARY_MIME) == outputs(met, SUMMARY_MIME)
    for koppen in (("Afdeling", "Zonder archiefnominatie"), ("Afdeling", "Achterstand")):
        assert shown_table(nb, *koppen) == shown_table(met, *koppen)
    assert "Dossier niet volledig" in "\n".join(outputs(met, "text/html"))  # with documents the table is there
