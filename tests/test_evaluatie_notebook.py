"""The evaluation notebook runs under plain papermill, under pytest --nbval-lax and under zgw run, on the sample.

Kernel runs: papermill for the organisation (outputs checked: the summary, the
lagging department, the charts, the Excel appendix where ``excel_uit`` says);
nbval for a department without zaken and with too few survey respondents (the
empty and privacy branches), run from a ``notebooks/`` folder: the Excel file
lands in ``outputs/`` beside it by default, never among the notebooks; and
``zgw run`` of an adapted copy named with ``--peildatum`` for one department,
with the evaluator's texts file beside the copy.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import openpyxl
import pytest

from zgwlib.publish import runner as run
from zgwlib.publish import notebooks
from zgwlib.core.terms import SUMMARY_MIME, slug
from zgwlib.data.sources import load_snapshot
from notebook_helpers import assert_committed_clean, outputs, run_nbval

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

    assert f"Excel-bijlage geschreven: {excel.resolve()}" in "".join(outputs(nb, "stream"))
    wb = openpyxl.load_workbook(excel)
    assert {"Toelichting", "Adoptie", "Voor en na", "Te weinig zaken", "Signalen", "Enquête verschuiving",
            "Opschoonactie", "Bevindingen (concept)"} <= set(wb.sheetnames)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == []  # only where excel_uit said


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
