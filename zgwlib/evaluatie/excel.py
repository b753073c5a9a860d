"""The Excel appendix of the evaluation (VNG tip 10): the key tables in one file for the board.

One sheet per part, numbers kept as numbers (shares formatted as percentages),
text from the data written as text (never as a formula), and the file written
atomically. By default it goes to the project's ``outputs/`` folder, never
among the notebooks.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.errors import UsageError
from zgwlib.evaluatie.analysis import Evaluatie
from zgwlib.evaluatie.findings import bevindingen
from zgwlib.core.files import atomic_file
from zgwlib.core.terms import BIJLAGEN_ENV
from zgwlib.core.terms import slug
from zgwlib.style import GEEN_DOCUMENTGEGEVENS

_BLADNAAM_MAX = 31


def standaard_uitvoermap(werkmap: str | os.PathLike[str] | None = None) -> Path:
    """The folder a notebook's files go to by default: the project's ``outputs`` folder.

    Under ``zgw run`` it is the folder the runner names in ``ZGW_BIJLAGEN_MAP``,
    so the file is published beside the report. Otherwise: a kernel runs in its
    notebook's folder (JupyterLab, ``pytest --nbval``), and files written there
    would end up among the notebooks. So from a folder in or below
    ``notebooks/`` it is the ``outputs`` folder beside that ``notebooks/``; from
    anywhere else ``outputs`` in that folder (the project root when papermill
    runs from there).

    Parameters
    ----------
    werkmap : path, optional
        The folder to start from (default the current working directory).
    """
    if werkmap is None and os.environ.get(BIJLAGEN_ENV):  # under zgw run: beside the published report
        return Path(os.environ[BIJLAGEN_ENV])
    start = Path(werkmap if werkmap is not None else Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if folder.name == "notebooks":
            return folder.parent / "outputs"
    return start / "outputs"


def plek(pad: str | os.PathLike[str]) -> str:
    """Where a written file is, in Dutch for the report: under ``zgw run`` its name beside the report
    (the runner's temporary folder means nothing to a reader), otherwise its full path."""
    pad = Path(pad)
    bijlagen = os.environ.get(BIJLAGEN_ENV)
    if bijlagen and pad.parent.resolve() == Path(bijlagen).resolve():
        return f"{pad.name} (naast dit rapport)"
    return str(pad.resolve())


def standaard_excelpad(ev: Evaluatie, map_: str | os.PathLike[str] | None = None) -> Path:
    """``evaluatie-<afdeling>-<evaluatiedatum>.xlsx`` in ``map_`` (default :func:`standaard_uitvoermap`)."""
    naam = f"evaluatie-{slug(ev.afdeling)}-{ev.perioden.evaluatiedatum.date().isoformat()}.xlsx"
    return Path(map_ if map_ not in (None, "") else standaard_uitvoermap()) / naam


def excel_tabellen(ev: Evaluatie) -> dict[str, pd.DataFrame]:
    """The key tables of the evaluation as the board's appendix, sheet name to frame (numbers stay numbers)."""
    p, inst = ev.perioden, ev.instellingen
    toelichting = pd.DataFrame({"onderdeel": [
        "gemeente", "voor", "invoeringsdatum", "evaluatiedatum", "vergelijking vóór", "vergelijking na",
        "betrouwbaarheid", "minimaal aantal zaken per periode", "drempel adoptie", "definities",
    ], "waarde": [
        ev.gemeente, ev.wie, nl.datum(p.invoeringsdatum), nl.datum(p.evaluatiedatum), p.tekst("voor"),
        p.tekst("na"), nl.procent(inst.betrouwbaarheid, 0), nl.getal(inst.min_zaken),
        f"{nl.procent(inst.adoptie_drempel, 0)} van het normale aantal zaken per maand",
        "docs/metrics.md, sectie Evaluatie",
    ]})
    if not ev.documentgegevens:  # the sheets leave the document signals out: say why
        toelichting.loc[len(toelichting)] = ["documentgegevens", GEEN_DOCUMENTGEGEVENS]
    ad = ev.adoptie
    adoptie_ = ad.per_afdeling.rename(columns={
        "normaal_per_maand": "zaken per maand (nu)", "voor_per_maand": "zaken per maand vóór de invoering",
        "t_o_v_voor": "aandeel t.o.v. vóór", "achteraf": "aandeel achteraf geregistreerd",
        "actieve_gebruikers": "actieve gebruikers",
        "aandeel_actief": "aandeel actief", "zaaktypen_live": "zaaktypen live", "zaaktypen_totaal": "zaaktypen",
        "geadopteerd_sinds": "geadopteerd sinds", "maanden_na_invoering": "maanden na invoering"})
    per_maand = ad.per_maand[ad.per_maand["na_invoering"]].drop(columns="na_invoering").rename(columns={
        "normaal_per_maand": "normaal per maand", "aandeel_werk": "aandeel werk als zaak",
        "actieve_gebruikers": "actieve gebruikers", "aandeel_actief": "aandeel actief",
        "zaaktypen_live": "zaaktypen live", "achteraf": "aandeel achteraf geregistreerd"})
    vn = ev.voor_na
    voor_na = vn[vn["getest"]].drop(columns=["getest", "reden"]) if len(vn) else vn
    te_weinig = vn.loc[~vn["getest"], ["zaaktype", "omschrijving", "afdeling", "n_voor", "n_na", "reden"]] \
        if len(vn) else vn
    signalen_ = ev.signalen.drop(columns=["noemer_tekst"])
    enq = ev.enquete
    bev = [(kop, z) for kop, zinnen in bevindingen(ev, als_html=False).items() for z in (zinnen or ["(geen)"])]
    out = {
        "Toelichting": toelichting,
        "Adoptie": adoptie_,
        "Adoptie per maand": per_maand,
        "Voor en na": voor_na,
        "Te weinig zaken": te_weinig,
        "Signalen": signalen_,
        "Enquête verschuiving": enq.verschuiving,
        "Enquête verdeling": enq.verdeling,
        "Bevindingen (concept)": pd.DataFrame(bev, columns=["onderwerp", "bevinding"]),
    }
    r = ev.opschoning
    if r is not None and r.heeft_gegevens:
        out["Opschoonactie"] = r.prognose if r.is_organisatie else r.prognose[r.prognose["afdeling"] == ev.afdeling]
    return out


def _celwaarde(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    return v


def export_excel(ev: Evaluatie, pad: str | os.PathLike[str] | None = None) -> Path:
    """Write :func:`excel_tabellen` to one ``.xlsx`` file, atomically (a failed write keeps the old file).

    Text from the data is written as text, never as a formula.

    Parameters
    ----------
    pad : path, optional
        Target file (``.xlsx``), or a folder to write :func:`standaard_excelpad`'s
        file name in (an existing folder, or a path without a suffix, so one
        ``excel_uit`` folder serves every department of a ``zgw run``); default
        :func:`standaard_excelpad` in :func:`standaard_uitvoermap`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if pad in (None, ""):
        target = standaard_excelpad(ev)
    elif Path(pad).is_dir() or not Path(pad).suffix:
        target = standaard_excelpad(ev, pad)
    else:
        target = Path(pad)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"excel_uit = {str(target)!r}: the file name must end in .xlsx (or name a folder).")
    target.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for naam, frame in excel_tabellen(ev).items():
        ws = wb.create_sheet(naam[:_BLADNAAM_MAX])
        ws.append([str(c) for c in frame.columns])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_celwaarde(v) for v in row])
        for col in ws.iter_cols(min_row=2):
            for c in col:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text such as "=SUM(...)" from the data stays text
                elif isinstance(c.value, float):
                    kop = str(ws.cell(1, c.column).value)
                    c.number_format = "0.0%" if ("aandeel" in kop or kop.startswith(("termijn", "verandering",
                                                                                       "eens", "score_"))) \
                        else "0.0"
        for i, kolom in enumerate(frame.columns, start=1):
            breed = max([len(str(kolom))] + [len(str(v)) for v in frame[kolom].head(200)])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(10, breed + 2), 60)
        ws.freeze_panes = "A2"
    with atomic_file(target) as tmp:
        wb.save(tmp)
    return target
