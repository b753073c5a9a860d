"""The Excel appendix of the evaluation (VNG tip 10): the key tables in one file for the board.

One sheet per part, numbers kept as numbers (shares formatted as percentages),
text from the data written as text (never as a formula), and the file written
atomically. By default it goes to the project's ``outputs/`` folder, never
among the notebooks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from zgwlib.core import nl
from zgwlib.core.errors import UsageError
from zgwlib.evaluatie.analysis import Evaluatie
from zgwlib.evaluatie.findings import bevindingen
from zgwlib.core.files import standaard_uitvoermap, write_workbook
from zgwlib.core.terms import slug
from zgwlib.style import GEEN_DOCUMENTGEGEVENS, NIET_BUITEN_ZAAK, make_visibility_note


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
    zichtbaarheid = make_visibility_note(ev.meta, NIET_BUITEN_ZAAK)
    if zichtbaarheid:  # zaken the application could not see are in no sheet either: say how many
        toelichting.loc[len(toelichting)] = ["niet zichtbaar", zichtbaarheid]
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
    if pad in (None, ""):
        target = standaard_excelpad(ev)
    elif Path(pad).is_dir() or not Path(pad).suffix:
        target = standaard_excelpad(ev, pad)
    else:
        target = Path(pad)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"excel_uit = {str(target)!r}: the file name must end in .xlsx (or name a folder).")
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(excel_tabellen(ev), target, procent=lambda kop: "aandeel" in kop or kop.startswith(
        ("termijn", "verandering", "eens", "score_")))
