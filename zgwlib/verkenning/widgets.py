"""Dropdowns for exploring without programming: zaaktype, department and period, redrawing the analysis.

Only in an interactive session (JupyterLab, Jupyter Notebook). The notebook's parameters cell stays the source
of truth: the dropdowns start at its values, and a papermill run (or ``zgw run``) shows no widgets at all, so
its output is the same as before. Whether the session is interactive: the notebook's ``interactief``
parameter when it is True or False, else whether a Jupyter server started this kernel (it sets
``JPY_SESSION_NAME`` in the kernel's environment; papermill and nbclient do not).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from zgwlib import style
from zgwlib.core import nl
from zgwlib.core.errors import ZgwError
from zgwlib.core.periods import choose_periode
from zgwlib.maandrapportage.figures import Basis
from zgwlib.maandrapportage.selectie import make_kerncijfers
from zgwlib.verkenning import display as view
from zgwlib.verkenning import process

#: Environment variable a Jupyter server sets for the kernels of its sessions (jupyter_server 2).
SESSION_ENV = "JPY_SESSION_NAME"

#: Dropdown value for "no restriction" (every department, the whole period).
ALLE = ""


def is_interactive(interactief: bool | None = None) -> bool:
    """Whether to show the dropdowns: ``interactief`` when given, else whether a Jupyter server runs this kernel."""
    if interactief is not None:
        return bool(interactief)
    return bool(os.environ.get(SESSION_ENV))


@dataclass(frozen=True)
class Keuze:
    """What the dropdowns say now.

    Attributes
    ----------
    zaaktype : str
        Identificatie of the zaaktype.
    afdeling : str or None
        A department, or None for every department.
    van, tot : str or None
        First and last month of registration (``YYYY-MM``), or None for the start or end of the data.
    """

    zaaktype: str
    afdeling: str | None
    van: str | None
    tot: str | None


def make_periodes(zaken: pd.DataFrame) -> list[tuple[str, tuple[str | None, str | None]]]:
    """Period choices (label, (van, tot)) for the data's months: the whole period, then years and quarters, newest first."""
    maanden = zaken["registratiedatum"].dropna().dt.to_period("M")
    keuzes: list[tuple[str, tuple[str | None, str | None]]] = [("hele periode", (None, None))]
    if maanden.empty:
        return keuzes
    eerste, laatste = maanden.min(), maanden.max()
    for jaar in range(laatste.year, eerste.year - 1, -1):
        keuzes.append((str(jaar), (f"{jaar}-01", f"{jaar}-12")))
    for q in pd.period_range(eerste.asfreq("Q"), laatste.asfreq("Q"), freq="Q")[::-1]:
        begin = q.asfreq("M", how="start")
        keuzes.append((f"{q.year} kwartaal {q.quarter}", (str(begin), str(begin + 2))))
    return keuzes


class Verkenner:
    """The dropdowns and the area they redraw; :attr:`widget` is what the notebook displays.

    Parameters
    ----------
    zaken, zaaktypen : DataFrame
        The snapshot's tables.
    draw : callable
        Called with a :class:`Keuze` whenever a dropdown changes (and by :meth:`redraw`); what it displays lands
        in :attr:`output`. A :class:`~zgwlib.core.errors.ZgwError` (nothing to show) is shown as a message.
    zaaktype, afdeling, van, tot : optional
        Start values: the notebook's parameters.
    """

    def __init__(self, zaken: pd.DataFrame, zaaktypen: pd.DataFrame, draw: Callable[[Keuze], None], *,
                 zaaktype: str | None = None, afdeling: str | None = None, van: str | None = None,
                 tot: str | None = None) -> None:
        self._draw = draw
        aantallen = zaken["zaaktype"].value_counts()
        typen = zaaktypen[zaaktypen["identificatie"].isin(aantallen.index)].copy()
        typen["zaken"] = typen["identificatie"].map(aantallen)
        typen = typen.sort_values(["zaken", "identificatie"], ascending=[False, True])
        # Labels are plain text in a <select>: ipywidgets sets them as text, never as HTML.
        zt_opties = [(f"{r.omschrijving} ({r.identificatie}, {nl.getal(r.zaken)} zaken)", str(r.identificatie))
                     for r in typen.itertuples()]
        start_zt = process.choose_zaaktype(zaaktypen, zaken, zaaktype)["identificatie"] if len(typen) else None
        afd = sorted(zaken["afdeling"].dropna().astype("str").unique(), key=str.lower)
        perioden = make_periodes(zaken)
        start_periode = next((v for _, v in perioden if v == (van, tot)), None)
        if start_periode is None:  # the parameters name a period that is no year or quarter: offer it as it is
            perioden.insert(0, (f"{van or 'begin'} tot en met {tot or 'eind'}", (van, tot)))
            start_periode = (van, tot)
        self.zaaktype = w.Dropdown(options=zt_opties, value=start_zt, description="Zaaktype",
                                   layout=w.Layout(width="60%"))
        self.afdeling = w.Dropdown(options=[("alle afdelingen", ALLE), *[(a, a) for a in afd]],
                                   value=afdeling if afdeling in afd else ALLE, description="Afdeling")
        self.periode = w.Dropdown(options=perioden, value=start_periode, description="Periode")
        self.output = w.Output()
        self.widget = w.VBox([w.HBox([self.zaaktype]), w.HBox([self.afdeling, self.periode]), self.output])
        for dropdown in (self.zaaktype, self.afdeling, self.periode):
            dropdown.observe(lambda _change: self.redraw(), names="value")

    def keuze(self) -> Keuze:
        """The current choice."""
        van, tot = self.periode.value
        return Keuze(self.zaaktype.value, self.afdeling.value or None, van, tot)

    def redraw(self) -> None:
        """Clear the area and draw the analysis for the current choice."""
        with self.output:
            self.output.clear_output(wait=True)
            try:
                self._draw(self.keuze())
            except ZgwError as exc:  # e.g. no zaken of this zaaktype in this department: say so, keep the dropdowns
                display(HTML(style.melding(str(exc))))


def show_analysis(zaken: pd.DataFrame, statussen: pd.DataFrame, zaaktypen: pd.DataFrame, basis: Basis | None,
                  keuze: Keuze) -> process.Procesanalyse:
    """The short analysis the dropdowns redraw: key figures, process chart, waiting times, lead time per month.

    ``basis`` (:func:`zgwlib.maandrapportage.figures.prepare` of the snapshot) gives the key figures of the
    selection (:func:`~zgwlib.maandrapportage.selectie.make_kerncijfers`); None leaves them out.
    """
    sel = process.select(zaken, zaaktypen, keuze.zaaktype, keuze.afdeling, keuze.van, keuze.tot)
    zt = sel.zaaktype
    display(HTML(style.alinea(sel.beschrijving())))
    if basis is not None:
        # Up to the last complete month: a month the data covers only partly would look like a bad month.
        laatste = choose_periode(basis.meta)
        van = keuze.van or str(zaken["registratiedatum"].min().to_period("M"))
        kc = make_kerncijfers(basis, keuze.afdeling, zaaktype=zt["identificatie"], van=van,
                              tot=min(keuze.tot or laatste, laatste))
        display(HTML(style.alinea(style.vet("Kerncijfers: "), kc.attrs["beschrijving"])))
        display(view.nl_tabel(kc[kc["waarde"].notna()][["label", "tekst"]], {"label": "kerncijfer", "tekst": "waarde"}))
    analyse = process.analyse(statussen, sel.zaken)
    fig, ax = plt.subplots(figsize=(max(8, 2.9 * len(analyse.log.statustypen)), 5.5))
    view.draw_processchema(analyse, ax=ax)
    ax.figure.suptitle(f"Procesverloop {zt['omschrijving']}".replace("$", r"\$"), x=0.02, ha="left", fontsize=12)
    _show(fig)
    per_maand = process.doorlooptijd_per_maand(sel.zaken)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    view.draw_doorlooptijd(per_maand, zt, ax=ax)
    ax.set_title(f"Doorlooptijd {zt['omschrijving']}".replace("$", r"\$"), loc="left")
    _show(fig)
    return analyse


def _show(fig: plt.Figure) -> None:
    # Displayed and closed here: a widget callback runs outside a cell, where the inline backend shows nothing
    # by itself, and a figure left open would be shown again under the next cell.
    display(fig)
    plt.close(fig)
