"""Charts and tables of the opschoonactie notebook (VNG tip 5), from the figures of :mod:`zgwlib.opschoonactie.figures`.

Charts return their matplotlib axes in the house style (:mod:`zgwlib.style`).
Tables are HTML made by :func:`zgwlib.style.tabel_html`, which escapes every
cell, so free text such as omschrijving and locatie is shown as text, never as
markup. Amounts are formatted per row: metres get one decimal, dossiers none.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib import style
from zgwlib.opschoonactie.figures import ACHTER, ACTIE_LABEL, EENHEDEN, EENHEID_KORT, EENHEID_LABEL, METERS, VERWERKT, hoeveel

# --------------------------------------------------------------------------- charts

def _kleuren() -> dict[str, str]:
    """One colour per action (the house palette), and for what is left and what is over-reported."""
    return {
        "gedigitaliseerd": style.PALET[0],
        "vernietigd": style.PALET[1],
        "overgebracht": style.PALET[2],
        "gearchiveerd": style.PALET[3],
        "te_doen": "#D9D9D9",
        "overmeld": style.PALET[5],
        "plan": style.NEUTRAAL,
    }


def _nl_datums(ax: Any) -> None:
    """Month ticks with Dutch names on a date x-axis (matplotlib's own follow the system locale)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    lo, hi = ax.get_xlim()
    maanden = max((hi - lo) / 30.4, 1.0)
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, math.ceil(maanden / 8))))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: (lambda d: f"{nl.MAANDEN[d.month - 1][:3]} {d.year}")(mdates.num2date(x))))


def draw_burnup(
    bu: pd.DataFrame, rij: pd.Series | None = None, eenheid: str = METERS, ax: Any = None, titel: str | None = None
) -> Any:
    """Burn-up chart: processed per action (stacked), the scope, the target line and the forecast.

    Over-reporting stays visible: the stack simply rises above the scope line.

    Parameters
    ----------
    bu : DataFrame
        Result of :func:`burnup`.
    rij : Series, optional
        The afdeling's row of :func:`prognose`; adds the streefdatum and the
        forecast when they are in ``eenheid``.
    """
    ax = style.assen(ax, (8, 3.8))
    kleur = _kleuren()
    if bu.empty:
        ax.text(0.5, 0.5, "Nog niets geregistreerd", ha="center", va="center", transform=ax.transAxes)
        return ax
    x = bu["datum"]
    ax.stackplot(x, *[bu[a] for a in VERWERKT], labels=[ACTIE_LABEL[a] for a in VERWERKT],
                 colors=[kleur[a] for a in VERWERKT], alpha=0.85, step=None)
    sv = bu["startvoorraad"].iloc[-1]
    einde = x.iloc[-1]
    if rij is not None and rij["eenheid"] == eenheid:
        if pd.notna(rij["verwachte_einddatum"]) and pd.notna(sv):
            ax.plot([einde, rij["verwachte_einddatum"]], [bu["gedaan"].iloc[-1], sv], ls=":", color="black",
                    label=f"prognose (klaar {nl.datum(rij['verwachte_einddatum'])})")
        if pd.notna(rij["streefdatum"]):
            ax.axvline(rij["streefdatum"], color=kleur["overmeld"], lw=1, ls="--",
                       label=f"streefdatum {nl.datum(rij['streefdatum'])}")
    if bu["plan"].notna().any():
        ax.plot(x, bu["plan"], color=kleur["plan"], lw=1.2, ls="--", label="doellijn")
        streef = rij["streefdatum"] if rij is not None else None
        if streef is not None and pd.notna(streef) and streef > einde and pd.notna(sv):
            ax.plot([einde, streef], [bu["plan"].iloc[-1], sv], color=kleur["plan"], lw=1.2, ls="--")
    if pd.notna(sv):
        ax.axhline(sv, color="black", lw=1, label=f"startvoorraad ({hoeveel(sv, eenheid)})")
    ax.set_ylabel(EENHEID_LABEL[eenheid])
    ax.set_ylim(bottom=0)
    style.getal_as(ax)
    _nl_datums(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, frameon=False, ncols=3)
    if titel:
        ax.set_title(titel, loc="left", fontsize=11)
    return ax


def draw_afdelingen(v: pd.DataFrame, prog: pd.DataFrame, eenheid: str = METERS, ax: Any = None) -> Any:
    """All afdelingen side by side: processed per action, what is left, and over-reporting in red.

    Bars are in absolute amounts (a large archive is more work); a black tick
    marks each afdeling's startvoorraad, and the label carries its verdict.
    """
    g = v[v["eenheid"] == eenheid].set_index("afdeling")
    ax = style.assen(ax, (8, 0.45 * max(len(g), 3) + 1.2))
    kleur = _kleuren()
    if g.empty:
        ax.text(0.5, 0.5, "Geen gegevens", ha="center", va="center", transform=ax.transAxes)
        return ax
    g = g.iloc[::-1]  # first afdeling on top
    oordeel = dict(zip(prog["afdeling"], prog["oordeel"], strict=True))
    y = np.arange(len(g))
    left = np.zeros(len(g))
    binnen = np.minimum(g["gedaan"].to_numpy(), g["startvoorraad"].fillna(np.inf).to_numpy())
    schaal = np.divide(binnen, g["gedaan"].to_numpy(), out=np.zeros(len(g)), where=g["gedaan"].to_numpy() > 0)
    for a in VERWERKT:
        w = g[a].to_numpy() * schaal
        ax.barh(y, w, left=left, color=kleur[a], label=ACTIE_LABEL[a], height=0.7)
        left += w
    ax.barh(y, g["te_doen"].fillna(0).to_numpy(), left=left, color=kleur["te_doen"], label="te doen", height=0.7)
    ax.barh(y, g["overmeld"].fillna(0).to_numpy(), left=left, color=kleur["overmeld"], hatch="//",
            label="meer dan geïnventariseerd", height=0.7)
    sv = g["startvoorraad"].to_numpy()
    ok = ~np.isnan(sv)
    ax.scatter(sv[ok], y[ok], marker="|", s=300, color="black", zorder=3, label="startvoorraad")
    ax.set_yticks(y, [f"{a} ({oordeel.get(a, '')})" for a in g.index])
    ax.set_xlabel(EENHEID_LABEL[eenheid])
    style.getal_as(ax, "x")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, frameon=False, ncols=4)
    return ax


def draw_documenten(per_maand: pd.DataFrame, begin: Any = None, einde: Any = None, ax: Any = None,
                     afdeling: str | None = None, documentgegevens: bool = True) -> Any:
    """Documents outside zaken (organisation) and closed zaken without documents per month, cleanup shaded.

    ``documentgegevens`` False (the snapshot has none): the sentence that says so instead of empty lines.
    """
    ax = style.assen(ax, (8, 3.2))
    kleur = _kleuren()
    if not documentgegevens:
        return style.leeg(ax, "\n".join(textwrap.wrap(style.GEEN_DOCUMENTGEGEVENS, 60)))
    if per_maand.empty:
        ax.text(0.5, 0.5, "Geen documenten", ha="center", va="center", transform=ax.transAxes)
        return ax
    x = per_maand.index.to_timestamp()
    ax.plot(x, 100 * per_maand["aandeel_buiten_zaak"], marker="o", ms=3, color=kleur["gedigitaliseerd"],
            label="nieuwe documenten buiten een zaak (hele organisatie)")
    wie = f"afdeling {afdeling}" if afdeling else "hele organisatie"
    ax.plot(x, 100 * per_maand["aandeel_zonder_documenten"], marker="s", ms=3, color=kleur["vernietigd"],
            label=f"afgesloten zaken zonder documenten ({wie})")
    if begin is not None and pd.notna(begin):
        ax.axvspan(pd.Timestamp(begin), pd.Timestamp(einde) if einde is not None and pd.notna(einde) else x[-1],
                   color=kleur["te_doen"], alpha=0.5, label="opschoonactie")
    ax.set_ylabel("procent")
    ax.set_ylim(bottom=0)
    style.getal_as(ax)
    _nl_datums(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, frameon=False, ncols=2)
    return ax


# --------------------------------------------------------------------------- tables for the report

# HTML tables in the house style (zgwlib.style.tabel_html escapes every cell, so free text such as
# omschrijving and locatie is shown as text, never as markup). Amounts are formatted per row, because
# metres get one decimal and dossiers none.


def _per_eenheid(df: pd.DataFrame, kolommen: tuple[str, ...], eenheid: str = "eenheid") -> pd.DataFrame:
    out = df.copy()
    for c in kolommen:
        out[c] = [nl.getal(x, 1 if e == METERS else 0) if pd.notna(x) else None
                  for x, e in zip(out[c], out[eenheid], strict=True)]
    return out


def _datum(v: Any) -> str:
    return nl.datum(v)


def _procent(v: Any) -> str:
    return nl.procent(v, 0)


def tabel_afdelingen(prog: pd.DataFrame) -> str:
    """HTML: the afdelingen side by side with verdict, progress, pace and forecast (from :func:`prognose`)."""
    t = _per_eenheid(prog, ("startvoorraad", "gedaan", "te_doen", "overmeld", "tempo_per_week"))
    t["eenheid"] = t["eenheid"].map(EENHEID_KORT)
    return style.tabel_html(t, {
        "afdeling": ("Afdeling", None), "oordeel": ("Oordeel", None), "eenheid": ("Eenheid", None),
        "startvoorraad": ("Startvoorraad", None), "gedaan": ("Gedaan", None), "aandeel_gedaan": ("% gedaan", _procent),
        "te_doen": ("Te doen", None), "overmeld": ("Meer dan geïnventariseerd", None),
        "tempo_per_week": ("Tempo per week", None), "streefdatum": ("Streefdatum", _datum),
        "verwachte_einddatum": ("Verwacht klaar", _datum),
    }, markeer=list(prog["oordeel"] == ACHTER))


def tabel_voortgang(v: pd.DataFrame) -> str:
    """HTML: done and to do split by action, per afdeling and unit (from :func:`voortgang`)."""
    t = _per_eenheid(v, ("startvoorraad", *VERWERKT, "gedaan", "te_doen", "overmeld"))
    t["eenheid"] = t["eenheid"].map(EENHEID_LABEL)
    kolommen: dict[str, Any] = {"afdeling": ("Afdeling", None), "eenheid": ("Eenheid", None),
                                "startvoorraad": ("Startvoorraad", None)}
    kolommen.update({a: (ACTIE_LABEL[a].capitalize(), None) for a in VERWERKT})
    kolommen.update({"gedaan": ("Gedaan", None), "te_doen": ("Te doen", None),
                     "overmeld": ("Meer dan geïnventariseerd", None), "aandeel_gedaan": ("% gedaan", _procent)})
    return style.tabel_html(t, kolommen, markeer=list(v["overmeld"].fillna(0) > 0))


def tabel_acties(tot: pd.DataFrame) -> str:
    """HTML: what happened to the paper, amount and share of each action per unit (from :func:`totalen`)."""
    rows = []
    for a in VERWERKT:
        row: dict[str, Any] = {"actie": ACTIE_LABEL[a].capitalize()}
        for e in EENHEDEN:
            row[e] = nl.getal(tot.at[e, a], 1 if e == METERS else 0)
            row[f"aandeel_{e}"] = tot.at[e, f"aandeel_{a}"]
        rows.append(row)
    kolommen: dict[str, Any] = {"actie": ("Actie", None)}
    for e in EENHEDEN:
        kolommen[e] = (EENHEID_LABEL[e].capitalize(), None)
        kolommen[f"aandeel_{e}"] = (f"Aandeel ({EENHEID_KORT[e]})", _procent)
    return style.tabel_html(pd.DataFrame(rows), kolommen)


def tabel_aandacht(att: pd.DataFrame) -> str:
    """HTML: the attention list (from :func:`aandacht`), most urgent first."""
    t = att.assign(plaats=[str(i + 1) for i in range(len(att))])
    return style.tabel_html(t, {"plaats": ("", None), "afdeling": ("Afdeling", None), "oordeel": ("Oordeel", None),
                                "reden": ("Waarom", None)})


def tabel_registraties(regs: pd.DataFrame) -> str:
    """HTML: registrations as a person reads them; locatie and omschrijving escaped."""
    t = _per_eenheid(regs, ("hoeveelheid",))
    t["actie"] = t["actie"].map(ACTIE_LABEL)
    t["eenheid"] = t["eenheid"].map(EENHEID_LABEL)
    return style.tabel_html(t, {
        "datum": ("Datum", _datum), "actie": ("Actie", None), "hoeveelheid": ("Hoeveelheid", None),
        "eenheid": ("Eenheid", None), "locatie": ("Locatie", None), "omschrijving": ("Omschrijving", None),
    })


def tabel_voor_na(vn: pd.DataFrame) -> str:
    """HTML: the months before and after the cleanup, with both shares (from :func:`voor_en_na`)."""
    t = pd.DataFrame({
        "periode": [{"voor": "vóór de opschoonactie", "na": "na de opschoonactie",
                     "nu": "de laatste maanden (nog bezig)"}[n] for n in vn.index],
        "maanden": [f"{nl.maand(a)} t/m {nl.maand(b)}" for a, b in zip(vn["van"], vn["tot"], strict=True)],
        "buiten": vn["aandeel_buiten_zaak"].to_numpy(),
        "zonder": vn["aandeel_zonder_documenten"].to_numpy(),
    })
    return style.tabel_html(t, {
        "periode": ("", None), "maanden": ("Maanden", None),
        "buiten": ("Nieuwe documenten buiten een zaak (organisatie)", lambda v: nl.procent(v, 1)),
        "zonder": ("Afgesloten zaken zonder documenten (afdeling)", lambda v: nl.procent(v, 1)),
    })
