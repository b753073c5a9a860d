"""What the monthly report shows: tiles, its tables and charts, in the house style of :mod:`zgwlib.style`.

Every figure shown here is computed in :mod:`zgwlib.maandrapportage.figures`,
:mod:`~zgwlib.maandrapportage.signals`, :mod:`~zgwlib.maandrapportage.champion`
and :mod:`~zgwlib.maandrapportage.milestones`; this module only formats them.
All text from data is escaped (:func:`zgwlib.style.e`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.maandrapportage.figures import DOCUMENTFIGUREN, FIGUREN, VERGELIJKING
from zgwlib.style import (
    BETER, GOUD, HOOFDKLEUR, NEUTRAAL, PALET, SLECHTER, Kolom, alinea, dagen, e, getal, getal_as, icoon, maand_labels,
    procent,
    procent_as, apply_style, tabel_html,
)

_OORDEEL_KLEUR = {"beter": BETER, "slechter": SLECHTER, "gelijk": NEUTRAAL, None: NEUTRAAL}


# --------------------------------------------------------------------------- tiles


def _tegel(label: str, waarde: str, sub: str, vergelijkingen: Sequence[tuple[str, str, str | None]]) -> str:
    # A missing verdict arrives as NaN from a pandas text column: treat it as "no verdict".
    vergelijkingen = [(wat, tekst, o if isinstance(o, str) else None) for wat, tekst, o in vergelijkingen]
    regels = "".join(
        f'<div style="font-size:.78rem;color:{_OORDEEL_KLEUR[o]}">{e(wat)}: {e(tekst)}'
        f'{"" if o in (None, "gelijk") else " (" + e(o) + ")"}</div>'
        for wat, tekst, o in vergelijkingen
    )
    sub_html = f'<div style="font-size:.8rem;color:#4a4a4a">{e(sub)}</div>' if sub else ""
    return (
        '<div style="flex:1 1 12rem;max-width:19rem;border:1px solid #d8dde3;'
        f'border-top:4px solid {HOOFDKLEUR};border-radius:6px;padding:.5rem .75rem;background:#fff">'
        f'<div style="font-size:.85rem;color:#4a4a4a">{e(label)}</div>'
        f'<div style="font-size:1.6rem;font-weight:600;color:{HOOFDKLEUR};line-height:1.3">{e(waarde)}</div>'
        f"{sub_html}{regels}</div>"
    )


def tegels_html(kern: pd.DataFrame, periode: str, extra: Mapping[str, str] | None = None,
                documentgegevens: bool = True) -> str:
    """The kerncijfers as tiles, each with its change against last month and last year.

    Parameters
    ----------
    kern : DataFrame
        :func:`zgwlib.maandrapportage.figures.kerncijfers`.
    periode : str
        The report month (names the months compared with).
    extra : mapping, optional
        A line under the value per code, for example
        ``{"actieve_gebruikers": "van 41 medewerkers (83%)"}``.
    documentgegevens : bool
        False when the snapshot has no document data: the tiles of
        :data:`~zgwlib.maandrapportage.figures.DOCUMENTFIGUREN` (value "–") say "geen documentgegevens".
    """
    p = pd.Period(periode, "M")
    vorige, jaar = nl.maand(p - 1), nl.maand(p - 12)
    tiles = []
    extra = dict(extra or {})
    if not documentgegevens:
        extra.update({code: "geen documentgegevens" for code in DOCUMENTFIGUREN})
    for r in kern.itertuples(index=False):
        comps = [(f"t.o.v. {vorige}", r.tekst_maand, r.oordeel_maand), (f"t.o.v. {jaar}", r.tekst_jaar,
                                                                           r.oordeel_jaar)]
        tiles.append(_tegel(r.label, r.tekst, extra.get(r.code, ""), comps))
    return f'<div style="display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0">{"".join(tiles)}</div>'


# --------------------------------------------------------------------------- tables


def zaaktype_tabel_html(per_zaaktype: pd.DataFrame) -> str:
    """The per-zaaktype table of the report (:func:`zgwlib.maandrapportage.figures.per_zaaktype`)."""
    return tabel_html(per_zaaktype, {
        "omschrijving": ("Zaaktype", None),
        "ontvangen": ("Ontvangen", getal),
        "gesloten": ("Afgesloten", getal),
        "doorlooptijd_mediaan": ("Doorlooptijd mediaan (dagen)", dagen),
        "doorlooptijd_p90": ("Doorlooptijd p90 (dagen)", dagen),
        "binnen_norm": ("Binnen norm", procent),
        "binnen_termijn": ("Binnen wettelijke termijn", procent),
        "open_einde_maand": ("Open eind maand", getal),
        "open_over_termijn": ("Waarvan over termijn", getal),
        "met_documenten": ("Met documenten", procent),
        "achteraf": ("Achteraf geregistreerd", procent),
        "volgens_werkwijze": ("Volgens werkwijze", procent),
    }, links=["omschrijving"])


def signalen_html(signalen: pd.DataFrame) -> str:
    """The signal table (:func:`zgwlib.maandrapportage.signals.signalen`): count, share and examples (identificaties only)."""
    df = signalen.assign(
        _aandeel=[f"{nl.procent(a, 1)} van {nl.getal(n)} {t}" if pd.notna(a) else f"van 0 {t}"
                  for a, n, t in zip(signalen["aandeel"], signalen["noemer"], signalen["noemer_tekst"])],
        _vb=[", ".join(v) if len(v) else "–" for v in signalen["voorbeelden"]],
    )
    titels = []
    for r in df.itertuples(index=False):
        t = r.titel
        if r.code == "medewerkers_niet_actief" and pd.notna(r.nooit_actief):
            t += f" (waarvan nooit actief: {nl.getal(r.nooit_actief)})"
        if isinstance(getattr(r, "label", None), str):
            t += f" – geen signaal: de afdeling {r.label}"
        titels.append(t)
    df["_titel"] = titels
    return tabel_html(df, {"_titel": ("Signaal", None), "aantal": ("Aantal", getal), "_aandeel": ("Aandeel", None),
                           "_vb": ("Voorbeelden", None)}, links=["_titel", "_vb"])


def voorbeelden_html(voorbeelden: pd.DataFrame) -> str:
    """Example zaken; their omschrijving only when it was asked for (untrusted text, escaped like every cell)."""
    kolommen: dict[str, Kolom] = {"identificatie": ("Zaak", None), "signaal": ("Signaal", None),
                                  "zaaktype": ("Zaaktype", None), "omschrijving": ("Omschrijving", None)}
    kolommen = {k: v for k, v in kolommen.items() if k in voorbeelden}
    return tabel_html(voorbeelden, kolommen, links=list(kolommen))


def tips_html(tips: pd.DataFrame, top: int = 3) -> str:
    """The tips: the ``top`` most important as a numbered list in bold, the rest below."""
    if tips.empty:
        return alinea("Geen tips deze maand: geen enkel signaal kwam boven de drempel uit.")
    first = "".join(f"<li><strong>{e(t)}</strong></li>" for t in tips["tekst"].head(top))
    rest = "".join(f"<li>{e(t)}</li>" for t in tips["tekst"].iloc[top:])
    more = f'<p style="margin-bottom:.2rem">Verder:</p><ul>{rest}</ul>' if rest else ""
    return f"<ol>{first}</ol>{more}"


def kampioen_tabel_html(scores: pd.DataFrame, soort: str = "Afdeling") -> str:
    """The champion ranking; the champion highlighted, excluded rows with their reason."""
    df = scores.assign(_rang=[str(int(r)) if pd.notna(r) else "–" for r in scores["rang"]],
                       _score=[nl.getal(s, 1) if pd.notna(s) else "–" for s in scores["score"]])
    return tabel_html(df, {
        "_rang": ("Plaats", None), "naam": (soort, None), "_score": ("Score", None),
        "binnen_termijn": ("Binnen wettelijke termijn", procent),
        "volgens_werkwijze": ("Volgens werkwijze", procent),
        "aandeel_actief": ("Actieve medewerkers", procent),
        "gesloten": ("Afgesloten zaken", getal),
        "uitgesloten": ("Doet niet mee omdat", lambda v: v or "–"),
    }, markeer=list((scores["rang"] == 1).fillna(False)), links=["naam", "uitgesloten"])


def dienstverlening_tabel_html(per_zaaktype: pd.DataFrame) -> str:
    """Per zaaktype the zaken received by channel (:func:`zgwlib.maandrapportage.service.per_zaaktype`)."""
    df = per_zaaktype.assign(
        _grootste=[f"{k} ({nl.procent(a, 0)})" if isinstance(k, str) else "–"
                   for k, a in zip(per_zaaktype["grootste_niet_digitaal"], per_zaaktype["aandeel_grootste"])],
        _onbekend=per_zaaktype["kanaal_onbekend"] + per_zaaktype["zonder_kanaal"],
    )
    return tabel_html(df, {
        "omschrijving": ("Zaaktype", None),
        "ontvangen": ("Ontvangen", getal),
        "digitaal": ("Digitaal", getal),
        "niet_digitaal": ("Niet digitaal", getal),
        "_onbekend": ("Kanaal onbekend", getal),
        "aandeel_digitaal": ("Aandeel digitaal", procent),
        "_grootste": ("Meeste niet-digitaal via", None),
    }, links=["omschrijving", "_grootste"])


def dienstverlening_grafiek(trend: pd.DataFrame, titel: str | None = None) -> Any:
    """The digital share of the received zaken per month (rows of :func:`zgwlib.maandrapportage.figures.eenheid`)."""
    import matplotlib.pyplot as plt

    apply_style()
    x = np.arange(len(trend))
    fig, ax = plt.subplots(figsize=(11, 3.4), layout="constrained")
    ax.plot(x, trend["aandeel_digitaal"].to_numpy(dtype="float64"), marker="o", markersize=3.5, linewidth=2,
            color=PALET[0], label=FIGUREN["aandeel_digitaal"].label)
    procent_as(ax)
    ax.set_xticks(x, maand_labels(trend["maand"]), rotation=45, ha="right")
    ax.legend(loc="best")
    if titel:
        ax.set_title(titel, loc="left")
    return fig


def vergelijking_tabel_html(vergelijking: pd.DataFrame) -> str:
    """The department comparison table (:func:`zgwlib.maandrapportage.figures.vergelijking`)."""
    cols: dict[str, Kolom] = {"afdeling": ("Afdeling", lambda v: "Hele organisatie" if v == "organisatie" else v)}
    for code in VERGELIJKING:
        f = FIGUREN[code]
        cols[code] = (f.label, procent if f.soort == "aandeel" else (dagen if f.soort == "dagen" else getal))
    return tabel_html(vergelijking, cols, markeer=list(vergelijking["afdeling"] == "organisatie"), links=["afdeling"])


# --------------------------------------------------------------------------- charts


def trendgrafieken(trend: pd.DataFrame, titel: str | None = None, documentgegevens: bool = True) -> Any:
    """Four small charts of the last months: volume, on time, lead time, way of working.

    Parameters
    ----------
    trend : DataFrame
        Rows of one department by month (:func:`zgwlib.maandrapportage.figures.eenheid`).
    documentgegevens : bool
        False when the snapshot has no document data: the figures of
        :data:`~zgwlib.maandrapportage.figures.DOCUMENTFIGUREN` are left out (no
        empty lines in the legend) and the panel's title says why.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    apply_style()
    x = np.arange(len(trend))
    labels = maand_labels(trend["maand"])
    fig, axes = plt.subplots(2, 2, figsize=(11, 6.4), sharex=True, layout="constrained")
    panels = (
        ("Zaken per maand", ("ontvangen", "gesloten", "open_einde_maand"), getal_as),
        ("Op tijd afgesloten", ("binnen_norm", "binnen_termijn"), procent_as),
        ("Doorlooptijd afgesloten zaken (dagen)", ("doorlooptijd_mediaan", "doorlooptijd_p90"), getal_as),
        ("Werkwijze", ("aandeel_actief", "met_documenten", "volgens_werkwijze"), procent_as),
    )
    for ax, (name, codes, fmt) in zip(axes.flat, panels):
        if not documentgegevens and set(codes) & set(DOCUMENTFIGUREN):
            codes = tuple(c for c in codes if c not in DOCUMENTFIGUREN)
            name += " (geen documentgegevens)"
        for i, code in enumerate(codes):
            y = trend[code].to_numpy(dtype="float64")
            ax.plot(x, y, marker="o", markersize=3.5, linewidth=2 if i == 0 else 1.6, color=PALET[i],
                    label=FIGUREN[code].label)
        ax.set_title(name, loc="left")
        fmt(ax)
        if fmt is getal_as:
            ax.set_ylim(bottom=0)
        ax.legend(loc="best")
        ax.set_xticks(x, labels, rotation=45, ha="right")
    if titel:
        fig.suptitle(titel, x=0.01, ha="left", fontweight="bold")
    return fig


def heatmap(vergelijking: pd.DataFrame, titel: str | None = None, documentgegevens: bool = True) -> Any:
    """Departments against the main figures: green is better, red is worse (per column, by rank).

    The colour of a cell is its rank within the column, turned so that better is
    greener for every figure (lower lead time is better, higher % on time is
    better). Figures without a direction (volumes) are left out, and so are
    those about documents when the snapshot has no document data
    (``documentgegevens`` False: they would be empty columns); the values are
    printed in each cell.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    apply_style()
    codes = [c for c in VERGELIJKING if FIGUREN[c].richting != 0 and (documentgegevens or c not in DOCUMENTFIGUREN)]
    df = vergelijking.set_index("afdeling")[codes]
    df.index = ["Hele organisatie" if a == "organisatie" else a for a in df.index]
    kleur = pd.DataFrame(index=df.index, columns=codes, dtype="float64")
    for c in codes:
        col = df[c].astype("float64") * FIGUREN[c].richting
        kleur[c] = col.rank(pct=True) if col.notna().sum() > 1 else 0.5
    kleur[df.isna()] = np.nan
    annot = np.array([[FIGUREN[c].tekst(v).replace(" dagen", " d").replace(" dag", " d") for c, v in zip(codes, row)]
                      for row in df.to_numpy(dtype="float64")])
    fig, ax = plt.subplots(figsize=(1.3 * len(codes) + 3.2, 0.42 * len(df) + 1.8), layout="constrained")
    ax.set_facecolor("#eeeeee")
    sns.heatmap(kleur, annot=annot, fmt="", cmap="RdYlGn", vmin=0, vmax=1, cbar=False, linewidths=0.6,
                linecolor="white", ax=ax, annot_kws={"fontsize": 9})
    ax.set_xticks(np.arange(len(codes)) + 0.5, [FIGUREN[c].label for c in codes], rotation=30, ha="right")
    ax.set_ylabel("")
    ax.tick_params(left=False, bottom=False)
    if titel:
        ax.set_title(titel, loc="left")
    return fig


def kampioen_grafiek(scores: pd.DataFrame, titel: str | None = None) -> Any:
    """Horizontal bars of the champion scores; the champion in gold."""
    import matplotlib.pyplot as plt

    apply_style()
    ranked = scores[scores["score"].notna()]
    fig, ax = plt.subplots(figsize=(8, 0.38 * max(len(ranked), 1) + 1.2), layout="constrained")
    kleuren = [GOUD if r == 1 else HOOFDKLEUR for r in ranked["rang"]]
    y = np.arange(len(ranked))
    ax.barh(y, ranked["score"], color=kleuren)
    ax.set_yticks(y, list(ranked["naam"]))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Score (0–100)")
    for yi, s in zip(y, ranked["score"]):
        ax.text(s + 1, yi, nl.getal(s, 1), va="center", fontsize=9)
    ax.grid(axis="y", visible=False)
    if titel:
        ax.set_title(titel, loc="left")
    return fig


# --------------------------------------------------------------------------- monthly report: milestones, figures


def mijlpalen_html(recent: pd.DataFrame, eerder: pd.DataFrame, maanden: int) -> str:
    """The milestones: the recent ones highlighted, the earlier ones muted (:func:`zgwlib.maandrapportage.milestones.overzicht`).

    Parameters
    ----------
    recent, eerder : DataFrame
        With a ``tekst`` column (plain text from the data; escaped here).
    maanden : int
        The recent window in months (:attr:`zgwlib.maandrapportage.figures.Instellingen.mijlpalen_maanden`), for the empty text.
    """
    if recent.empty:
        wanneer = ("deze maand" if maanden <= 1 else "deze maand en de maand ervoor" if maanden == 2
                   else f"deze maand en de {maanden - 1} maanden ervoor")
        top = alinea(f"Geen nieuwe mijlpaal {wanneer}.")
    else:
        items = "".join(f'<li style="margin:.2rem 0">{icoon("feest", "Gevierd")} <strong>{e(t)}</strong></li>'
                        for t in recent["tekst"])
        top = (f'<div style="border-left:5px solid {GOUD};background:#fff8e6;padding:.5rem 1rem;margin:.75rem 0">'
               f'<ul style="list-style:none;padding:0;margin:0">{items}</ul></div>')
    if eerder.empty:
        return top
    rest = "".join(f"<li>{e(t)}</li>" for t in eerder["tekst"])
    return (f'{top}<p style="color:#4a4a4a;font-size:.92rem;margin-bottom:.2rem">Eerder bereikt:</p>'
            f'<ul style="color:#4a4a4a;font-size:.92rem">{rest}</ul>')


