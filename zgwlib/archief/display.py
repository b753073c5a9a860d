"""What the archive report shows: its tables and the backlog chart, in the house style of :mod:`zgwlib.style`.

Every figure is computed in :mod:`zgwlib.archief.figures`; this module only
formats it. All text from data is escaped (:func:`zgwlib.style.e`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.archief.figures import NOMINATIES, STAND_LABELS, STANDEN
from zgwlib.core import nl
from zgwlib.core.errors import UsageError
from zgwlib.core.files import standaard_uitvoermap, write_workbook
from zgwlib.core.terms import slug
from zgwlib.style import PALET, apply_style, getal, getal_as, maand_labels, procent, tabel_html

_NOMINATIE_LABELS = {"vernietigen": "Vernietigen", "blijvend_bewaren": "Blijvend bewaren"}


def _naam(v: Any) -> str:
    return "Totaal" if v == "totaal" else str(v)


def standen_html(tabel: pd.DataFrame, per: str = "afdeling") -> str:
    """Closed zaken per archive state (:func:`zgwlib.archief.figures.per_stand`); the total row highlighted."""
    kolommen: dict[str, Any] = ({"omschrijving": ("Zaaktype", None)} if per == "zaaktype"
                                else {"afdeling": ("Afdeling", _naam)})
    for s in STANDEN:
        kolommen[s] = (STAND_LABELS[s], getal)
    kolommen["gesloten"] = ("Afgesloten zaken", getal)
    sleutel = "zaaktype" if per == "zaaktype" else "afdeling"
    return tabel_html(tabel, kolommen, markeer=list(tabel[sleutel] == "totaal"), links=[list(kolommen)[0]])


def achterstand_html(tabel: pd.DataFrame, per: str = "afdeling") -> str:
    """The backlog per department or zaaktype (:func:`zgwlib.archief.figures.achterstand`)."""
    kolommen: dict[str, Any] = ({"omschrijving": ("Zaaktype", None)} if per == "zaaktype"
                                else {"afdeling": ("Afdeling", _naam)})
    for n in NOMINATIES:
        kolommen[n] = (_NOMINATIE_LABELS[n], getal)
    kolommen["totaal"] = ("Achterstand", getal)
    sleutel = "zaaktype" if per == "zaaktype" else "afdeling"
    return tabel_html(tabel, kolommen, markeer=list(tabel[sleutel] == "totaal"), links=[list(kolommen)[0]])


def volledigheid_html(tabel: pd.DataFrame) -> str:
    """Incomplete dossiers per zaaktype (:func:`zgwlib.archief.figures.volledigheid`)."""
    return tabel_html(tabel, {
        "omschrijving": ("Zaaktype", None),
        "gesloten": ("Afgesloten zaken", getal),
        "onvolledig": ("Dossier niet volledig", getal),
        "aandeel_onvolledig": ("Aandeel", procent),
        "ontbreekt": ("Ontbreekt (aantal zaken)", lambda v: v or "–"),
    }, links=["omschrijving", "ontbreekt"])


def kandidaten_html(kandidaten: pd.DataFrame, top: int = 20) -> str:
    """The first ``top`` destruction candidates (the Excel appendix has them all)."""
    df = kandidaten.head(top).assign(
        _datum=[nl.datum(d) for d in kandidaten["archiefactiedatum"].head(top)],
        _verlopen=["ja" if v else "nee" for v in kandidaten["verlopen"].head(top)],
    )
    return tabel_html(df, {
        "identificatie": ("Zaak", None), "zaaktype_omschrijving": ("Zaaktype", None), "afdeling": ("Afdeling", None),
        "_datum": ("Archiefactiedatum", None), "_verlopen": ("Al verlopen", None),
        "archiefstatus": ("Archiefstatus", None),
    }, links=["identificatie", "zaaktype_omschrijving", "afdeling"])


def draw_achterstand(per_maand: pd.DataFrame, titel: str | None = None) -> Any:
    """Stacked bars of the backlog at each month end (:func:`zgwlib.archief.figures.achterstand_per_maand`)."""
    import matplotlib.pyplot as plt

    apply_style()
    x = np.arange(len(per_maand))
    fig, ax = plt.subplots(figsize=(11, 3.6), layout="constrained")
    onder = np.zeros(len(per_maand))
    for i, n in enumerate(NOMINATIES):
        y = per_maand[n].to_numpy(dtype="float64")
        ax.bar(x, y, bottom=onder, color=PALET[i], label=_NOMINATIE_LABELS[n])
        onder += y
    getal_as(ax)
    ax.set_ylim(bottom=0)
    ax.set_xticks(x, maand_labels(per_maand["maand"]), rotation=45, ha="right")
    ax.legend(loc="upper left")
    if titel:
        ax.set_title(titel, loc="left")
    return fig


def export_kandidaten(kandidaten: pd.DataFrame, afdeling: str, periode: str,
                      pad: str | os.PathLike[str] | None = None) -> Path:
    """The destruction candidates as an Excel sheet for the approval procedure (a published appendix).

    Writes the columns ``kandidaten`` has: an ``omschrijving`` column only when
    :func:`~zgwlib.archief.figures.vernietigingskandidaten` was asked for it (``toon_omschrijving``).

    Parameters
    ----------
    pad : path, optional
        A ``.xlsx`` file or a folder; default ``vernietigingslijst-<afdeling>-<periode>.xlsx`` in
        :func:`zgwlib.core.files.standaard_uitvoermap` (under ``zgw run``: beside the report).
    """
    naam = f"vernietigingslijst-{slug(afdeling)}-{periode}.xlsx"
    if pad in (None, ""):
        target = standaard_uitvoermap() / naam
    elif Path(pad).is_dir() or not Path(pad).suffix:
        target = Path(pad) / naam
    else:
        target = Path(pad)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"excel_uit = {str(target)!r}: the file name must end in .xlsx (or name a folder).")
    target.parent.mkdir(parents=True, exist_ok=True)
    blad = kandidaten.rename(columns={"zaaktype_omschrijving": "zaaktype omschrijving", "verlopen": "al verlopen"})
    blad["al verlopen"] = ["ja" if v else "nee" for v in blad["al verlopen"]]
    blad["goedgekeurd"] = ""  # for the approval procedure
    return write_workbook({"Vernietigingslijst": blad}, target)
