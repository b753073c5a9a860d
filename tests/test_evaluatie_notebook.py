"""The evaluation notebook runs under plain papermill, under pytest --nbval-lax and under zgw run, on the sample.

Kernel runs: papermill for the organisation (outputs checked: the summary, the
lagging department, the charts, the Excel appendix where ``excel_uit`` says, and
the before/after table, normal volume and active users against a plain pandas
recount);
nbval for a department without zaken and with too few survey respondents (the
empty and privacy branches), run from a ``notebooks/`` folder: the Excel file
lands in ``outputs/`` beside it by default, never among the notebooks; and
``zgw run`` of an adapted copy named with ``--peildatum`` for one department,
with the evaluator's texts file beside the copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from zgwlib.publish import runner as run
from zgwlib.publish import notebooks
from zgwlib.core.terms import SUMMARY_MIME, slug
from zgwlib.data.sources import load_snapshot
from notebook_helpers import assert_committed_clean, dutch_number, outputs, run_nbval, shown_table

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "evaluatie.ipynb"
PARAMETERS = {
    "invoeringsdatum": "None", "evaluatiedatum": "None", "afdeling": '"organisatie"', "data": '"voorbeeld"',
    "vergelijkingsperiode_maanden": "4", "excel_uit": "None", "config": "None", "periode": "None",
    "peildatum": "None", "teksten": "None",
}

pytestmark = pytest.mark.slow



def test_notebook_is_committed_clean_with_its_parameters() -> None:
    assert assert_committed_clean(NOTEBOOK) == PARAMETERS
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["zgw"] == {"publish": True, "op_verzoek": True, "titel": "Evaluatie"}
    # The runner accepts it when named (afdeling, periode and data), but the monthly run never finds it.
    report = notebooks.read_report_notebook(NOTEBOOK)
    assert report.publish and report.op_verzoek and set(notebooks.REQUIRED_PARAMETERS) <= set(report.parameters)
    assert "evaluatie" not in [r.name for r in notebooks.discover(NOTEBOOK.parent)]
    # The sections evaluators write come from the texts file: no placeholder is typed into the notebook.
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for kop in ("## 1. Doelen en aanpak", "## 7. Bevindingen en aanbevelingen"):
        assert kop in markdown
    assert "Vul hier in" not in "\n".join(c.source for c in nb.cells)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for keys in ('("doelen", "planning", "aanpak")', '("conclusies", "aanbevelingen", "vervolg")'):
        assert f"evaluator.onderdelen_html(eigen_teksten, {keys})" in code


def test_papermill_organisation(small_sample: Path, tmp_path: Path) -> None:
    import papermill

    geplant = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]
    excel = tmp_path / "bijlage" / "evaluatie.xlsx"
    out = tmp_path / "evaluatie.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"data": str(small_sample), "excel_uit": str(excel)},
        kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    summary = outputs(nb, SUMMARY_MIME)
    assert len(summary) == 1
    s = summary[0]
    assert (s["titel"], s["afdeling"], s["periode"]) == ("Evaluatie", "organisatie", "2025-10")
    assert s["kerncijfers"]["Afdelingen die achterblijven"] == "1"
    assert s["kerncijfers"]["Zaaktypen sneller"].split(" van ")[0] != "0"

    markdown = "\n".join(outputs(nb, "text/markdown"))
    rich = "\n".join(outputs(nb, "text/html"))
    assert "evaluatie op 1 november 2025" in rich
    assert f"<strong>{geplant['achterblijvende_afdeling']}</strong> blijft achter" in rich
    # Text from the data never goes through Markdown: what is left there is the kit's own text.
    assert geplant["achterblijvende_afdeling"] not in markdown
    assert geplant["achterblijvende_afdeling"] in rich and "blijft achter" in rich
    assert "Overige afdelingen" in rich  # the survey's small departments, merged
    assert "<script" not in rich + markdown
    # Adoption heatmap and users, lead time and on-time dot charts, signals, survey.
    assert len(outputs(nb, "image/png")) == 6
    _assert_recounted(nb, s, small_sample)

    assert f"Excel-bijlage geschreven: {excel.resolve()}" in "".join(outputs(nb, "stream"))
    wb = openpyxl.load_workbook(excel)
    assert {"Toelichting", "Adoptie", "Voor en na", "Te weinig zaken", "Signalen", "Enquête verschuiving",
            "Opschoonactie", "Bevindingen (concept)"} <= set(wb.sheetnames)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == []  # only where excel_uit said


def _assert_recounted(nb: nbformat.NotebookNode, s: dict, data: Path) -> None:
    """The organisation's before/after table, normal volume and active users, counted again with plain pandas
    from the snapshot's files, not through zgwlib (docs/metrics.md, Evaluatie).

    Go-live 1 March 2025 (meta.json), evaluation 8 months later on 1 November 2025, so the peildatum is
    31 October 2025; vóór = the 4 months before go-live, 1 November 2024 to 28 February 2025; na = the 4 months
    up to the peildatum, 1 July to 31 October 2025. The data begins on 1 November 2024 (aanloop 0), so a period's
    closed zaken are those with einddatum in it that also started in it. Binnen termijn leaves zaken without
    uiterlijke_einddatum_afdoening out. A zaaktype is tested with at least 15 closed zaken in both periods.
    """
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    assert (meta["invoeringsdatum"], meta["periode_van"]) == ("2025-03-01", "2024-11-01")
    zaken = pd.read_parquet(data / "zaken.parquet")
    namen = pd.read_parquet(data / "zaaktypen.parquet").set_index("identificatie")["omschrijving"]

    def gesloten(van: str, tot: str) -> pd.DataFrame:
        begin, eind = pd.Timestamp(van), pd.Timestamp(tot)
        return zaken[(zaken["einddatum"] >= begin) & (zaken["einddatum"] <= eind) & (zaken["startdatum"] >= begin)]

    perioden = {"voor": gesloten("2024-11-01", "2025-02-28"), "na": gesloten("2025-07-01", "2025-10-31")}
    aantallen = pd.DataFrame({k: z["zaaktype"].value_counts() for k, z in perioden.items()}).fillna(0)
    getoetst = aantallen[(aantallen["voor"] >= 15) & (aantallen["na"] >= 15)]
    rijen = shown_table(nb, "Zaaktype", "Afgesloten zaken vóór → na")
    assert sorted(r["Zaaktype"] for r in rijen) == sorted(namen[getoetst.index])
    assert s["kerncijfers"]["Zaaktypen sneller"].endswith(f" van {len(getoetst)}")
    for rij in rijen:
        zaaktype = namen.index[namen == rij["Zaaktype"]][0]
        shown_n, shown_med = rij["Afgesloten zaken vóór → na"].split(" → "), rij["Doorlooptijd mediaan (dagen)"]
        shown_ter = rij["Binnen wettelijke termijn"].split(" (")[0].split(" → ")
        for i, z in enumerate(perioden.values()):
            z = z[z["zaaktype"] == zaaktype]
            mediaan = (z["einddatum"] - z["startdatum"]).dt.days.median()
            met = z[z["uiterlijke_einddatum_afdoening"].notna()]
            op_tijd = 100 * (met["einddatum"] <= met["uiterlijke_einddatum_afdoening"]).mean()
            assert dutch_number(shown_n[i]) == len(z), rij
            assert dutch_number(shown_med.split(" → ")[i]) == mediaan, rij  # whole days or a half: shown exactly
            assert abs(dutch_number(shown_ter[i]) - op_tijd) <= 0.5, rij  # whole percentages

    # Zaken per maand (nu): the median of the zaken registered in each of the last 3 complete months up to the
    # peildatum (August to October 2025, all after go-live), per afdeling and for the whole organisation.
    maanden = pd.period_range("2025-08", "2025-10", freq="M")
    per_maand = (zaken.assign(m=zaken["registratiedatum"].dt.to_period("M")).groupby(["afdeling", "m"]).size()
                 .unstack(fill_value=0).reindex(columns=maanden, fill_value=0))
    verwacht = per_maand.median(axis=1).to_dict() | {"Hele organisatie": per_maand.sum().median()}
    adoptie = {r["Afdeling"]: r["Zaken per maand (nu)"] for r in shown_table(nb, "Afdeling", "Zaken per maand (nu)")}
    assert verwacht["Hele organisatie"] > 0
    assert {a: dutch_number(adoptie[a]) for a in verwacht} == verwacht
    assert all(dutch_number(n) == 0 for a, n in adoptie.items() if a not in verwacht)  # staff only, no zaken

    # Actieve gebruikers in the last complete month, October 2025: staff (medewerkers table) who set a status
    # in it or were behandelaar of a zaak registered or closed in it.
    statussen = pd.read_parquet(data / "statussen.parquet")
    medewerkers = pd.read_parquet(data / "medewerkers.parquet")
    begin, eind = pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-01")
    gezet = statussen.loc[(statussen["datum_status_gezet"] >= begin) & (statussen["datum_status_gezet"] < eind),
                          "gezet_door"]
    reg, afg = zaken["registratiedatum"], zaken["einddatum"]
    behandeld = zaken.loc[((reg >= begin) & (reg < eind)) | ((afg >= begin) & (afg < eind)), "behandelaar"]
    actief = set(medewerkers["identificatie"]) & (set(gezet.dropna()) | set(behandeld.dropna()))
    assert 0 < len(actief) < len(medewerkers)
    assert s["kerncijfers"]["Actieve gebruikers"] == f"{len(actief)} van {len(medewerkers)}"


def test_nbval_lax_department_without_zaken(small_sample: Path, tmp_path: Path) -> None:
    # The project's layout: nbval starts the kernel in the notebook's folder, as JupyterLab and zgw run do.
    target = tmp_path / "notebooks" / "evaluatie_nbval.ipynb"
    run_nbval(NOTEBOOK, {"data": str(small_sample), "afdeling": "HRM"}, target, cwd=tmp_path)
    # Without excel_uit the appendix goes to outputs/ beside notebooks/, named after department and date;
    # nothing is written among the notebooks.
    wb = openpyxl.load_workbook(tmp_path / "outputs" / "evaluatie-hrm-2025-11-01.xlsx")
    assert "Adoptie" in wb.sheetnames
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_zgw_run_publishes_an_adapted_copy_once_under_its_day_with_its_texts(
        small_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An adapted copy (docs/evaluatie.md) keeps the mark "op_verzoek": it is published only when named, under
    # its own name and the day given; the evaluator's texts come from the file beside it, per department; under
    # zgw run the Excel appendix is published beside the report.
    afdeling = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]["opschoning_achter"]
    kit = tmp_path / "notebooks"
    kit.mkdir()
    copy = kit / "evaluatie-raad.ipynb"
    copy.write_bytes(NOTEBOOK.read_bytes())
    (kit / "evaluatie-raad.teksten.yaml").write_text(
        f"alle:\n  aanpak: Gesprekken met <b>alle</b> teamleiders.\n{afdeling}:\n  conclusies: De afdeling loopt "
        "achter met de opschoning.\nFinanciën:\n  conclusies: Niet voor deze afdeling.\n", encoding="utf-8")
    voor = sorted(p.name for p in NOTEBOOK.parent.iterdir())
    monkeypatch.chdir(tmp_path)  # a relative --out, as make demo gives it, while the kernel runs in notebooks/
    assert [r.name for r in notebooks.discover(kit)] == []  # never in the monthly run
    result = run.run([copy], peildatum="2025-11-01", afdelingen=[afdeling], data=small_sample,
                     out=Path("out"), workers=1, progress=False)
    assert not result.failed, [(o.rapport, o.afdeling, o.error) for o in result.failed]
    assert [(o.rapport, o.afdeling) for o in result.outcomes] == [("evaluatie-raad", afdeling)]
    folder = tmp_path / "out" / "2025-11-01" / slug(afdeling)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2025-11-01", "index.html"]
    evaluatie = (folder / "evaluatie-raad.html").read_text(encoding="utf-8")
    assert "Vergeleken worden" in evaluatie and "evaluatie op 1 november 2025" in evaluatie
    assert "Gesprekken met &lt;b&gt;alle&lt;/b&gt; teamleiders." in evaluatie
    assert "De afdeling loopt achter met de opschoning." in evaluatie and "Niet voor deze afdeling" not in evaluatie
    assert evaluatie.count("Dit onderdeel is niet ingevuld.") == 4  # doelen, planning, aanbevelingen, vervolg
    assert "Vul hier in" not in evaluatie
    bijlage = f"evaluatie-{slug(afdeling)}-2025-11-01.xlsx"
    assert (folder / bijlage).is_file()
    assert f"Excel-bijlage geschreven: {bijlage} (naast dit rapport)" in evaluatie
    assert ".tmp-" not in evaluatie  # the runner's temporary folder is not shown to readers
    assert not list((tmp_path / "out").glob("*.xlsx")) and not list((tmp_path / "out" / "2025-11-01").glob(".tmp-*"))
    assert sorted(p.name for p in NOTEBOOK.parent.iterdir()) == voor  # nothing written among the notebooks
    assert not (NOTEBOOK.parent / "out").exists()


def test_papermill_organisation_on_a_source_without_documents(sample_without_documents: Path,
                                                              tmp_path: Path) -> None:
    import papermill

    excel = tmp_path / "evaluatie.xlsx"
    out = tmp_path / "geen.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters={"data": str(sample_without_documents), "excel_uit": str(excel)},
        kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    rich = "\n".join(outputs(nb, "text/html"))
    assert "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken. De signalen over documenten" in rich
    # The signal table: no row about documents (unknown), the other signals as usual.
    signalen = next(t for t in rich.split("<table>") if "Achteraf geregistreerd" in t and "% van de" in t)
    assert "zonder documenten" not in signalen and "buiten een zaak" not in signalen
    assert outputs(nb, SUMMARY_MIME)[0]["kerncijfers"]["Afdelingen die achterblijven"] == "1"
    wb = openpyxl.load_workbook(excel)
    rows = [tuple(c.value for c in r) for r in wb["Signalen"].iter_rows()]
    assert rows and not any("documenten" in str(r[1]) for r in rows[1:])
    toelichting = dict(tuple(c.value for c in r) for r in wb["Toelichting"].iter_rows(min_row=2))
    assert toelichting["documentgegevens"] == "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken."
