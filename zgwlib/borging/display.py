"""Tables and charts of the borging notebook, from :mod:`zgwlib.borging.figures`.

Every table is made by :func:`zgwlib.style.tabel_html`, which escapes every cell: an onderwerp or a drop-in
question such as ``[x](https://evil) <script>`` is shown as those characters, never as a link or markup.
Chart labels from the data go through :func:`zgwlib.style.grafiektekst` (matplotlib would read ``$...$`` as maths).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from zgwlib import style
from zgwlib.core import nl
from zgwlib.borging.figures import INDICATOREN, SOORT_LABEL, TE_WEINIG, kort
from zgwlib.evaluatie.bootstrap import GEEN_VERSCHIL

# --------------------------------------------------------------------------- tables


def _datum(v: Any) -> str:
    return nl.datum(v)


def _pct(v: Any) -> str:
    return nl.procent(v, 0)


def _pp(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    p = 100 * float(v)
    return f"{'+' if p > 0 else ('−' if p < 0 else '±')}{nl.getal(abs(p), 1)} procentpunt"


def kalender_html(kal: pd.DataFrame) -> str:
    """The calendar: actions per month and kind, and the drop-in questions."""
    kolommen: dict[str, style.Kolom] = {"maand": ("Maand", lambda m: nl.maand(m))}
    for soort, label in SOORT_LABEL.items():
        kolommen[soort] = (label, style.getal)
    kolommen["vragen"] = ("Vragen op het spreekuur", style.getal)
    return style.tabel_html(kal, kolommen)


def acties_html(acties: pd.DataFrame) -> str:
    """The month's actions (onderwerp is free text from the data: escaped)."""
    frame = acties.assign(onderwerp=[kort(o) for o in acties["onderwerp"]])
    return style.tabel_html(frame, {
        "datum": ("Datum", _datum), "soort": ("Soort", None), "afdeling": ("Afdeling", None), "team": ("Team", None),
        "deelnemers": ("Deelnemers", style.getal), "onderwerp": ("Onderwerp", None),
    }, links=("soort", "afdeling", "team", "onderwerp"))


def teams_html(overzicht: pd.DataFrame) -> str:
    """Teams with their trainings and buddies; those without any first (marked)."""
    frame = overzicht.assign(actie=np.where(overzicht["geen_actie"], "nog geen training of buddy", ""))
    return style.tabel_html(frame, {
        "afdeling": ("Afdeling", None), "team": ("Team", None), "trainingen": ("Trainingen", style.getal),
        "buddies": ("Buddy's", style.getal), "eerste": ("Eerste training of buddy", _datum), "actie": ("", None),
    }, links=("team", "actie"))


def _interval(r: Any) -> str:
    if r.oordeel == TE_WEINIG:
        return "–"
    return f"{_pp(r.laag)} tot {_pp(r.hoog)}"


def effect_html(eff: pd.DataFrame) -> str:
    """Per team and indicator: before and after, the comparison teams, the effect with its interval and the verdict."""
    frame = eff.assign(
        team_tekst=[f"{t} ({a})" for t, a in zip(eff["team"], eff["afdeling"], strict=True)],
        soort_tekst=[f"{SOORT_LABEL.get(s, s).lower()} {nl.datum(d)}" for s, d in
                     zip(eff["soort"], eff["datum"], strict=True)],
        eigen=[f"{_pct(v)} → {_pct(n)}" for v, n in zip(eff["voor"], eff["na"], strict=True)],
        anderen=[f"{_pct(v)} → {_pct(n)}" for v, n in zip(eff["vergelijking_voor"], eff["vergelijking_na"],
                                                            strict=True)],
        effect_tekst=[_pp(x) for x in eff["effect"]],
        interval=[_interval(r) for r in eff.itertuples(index=False)],
    )
    markeer = [o in ("beter", "slechter") for o in frame["oordeel"]]
    return style.tabel_html(frame, {
        "team_tekst": ("Team", None), "soort_tekst": ("Eerste actie", None), "label": ("Indicator", None),
        "eigen": ("Team voor → na", None), "anderen": ("Vergelijking voor → na", None),
        "effect_tekst": ("Effect", None), "interval": ("95%-interval", None), "oordeel": ("Oordeel", None),
    }, markeer=markeer, links=("team_tekst", "soort_tekst", "label", "oordeel"))


def onderwerpen_html(themas: pd.DataFrame) -> str:
    """The drop-in hour's topics with an example question (escaped)."""
    frame = themas.assign(voorbeeld=[kort(v) for v in themas["voorbeeld"]])
    return style.tabel_html(frame, {
        "thema": ("Onderwerp", None), "vragen": ("Vragen", style.getal), "aandeel": ("Aandeel", _pct),
        "voorbeeld": ("Meest gestelde vraag", None),
    }, links=("thema", "voorbeeld"))


def vragen_html(vragen: pd.DataFrame) -> str:
    """The literal questions asked most often (escaped)."""
    frame = vragen.assign(vraag=[kort(v) for v in vragen["vraag"]])
    return style.tabel_html(frame, {"vraag": ("Vraag", None), "aantal": ("Keer gesteld", style.getal),
                                    "thema": ("Onderwerp", None)}, links=("vraag", "thema"))


def agenda_html(items: list[dict[str, Any]]) -> str:
    """The key-user agenda: each item with its headline number and the table behind it (every cell escaped).

    An item whose ``rijen`` is None is unknown (no document data): its toelichting says so, and it is not "niets
    gevonden".
    """
    parts = []
    for i, item in enumerate(items, 1):
        parts.append(style.kop(f"{i}. {item['titel']} ({item['cijfer']})", 3))
        parts.append(style.alinea(item["toelichting"], zacht=True))
        if item["rijen"] is None:
            continue
        if item["rijen"]:
            frame = pd.DataFrame(item["rijen"], columns=[f"k{j}" for j in range(len(item["kolommen"]))])
            kol = {f"k{j}": (h, None) for j, h in enumerate(item["kolommen"])}
            parts.append(style.tabel_html(frame, kol, links=("k0", "k1")))
        else:
            parts.append(style.alinea("Niets gevonden: dit punt kan van de agenda."))
    return "".join(parts)


# --------------------------------------------------------------------------- charts


def draw_kalender(kal: pd.DataFrame, ax: Any = None) -> Any:
    """Stacked bars: actions per month and kind (a drop-in hour counts once per day)."""
    ax = style.assen(ax, (8, 3.2))
    soorten = [s for s in SOORT_LABEL if kal[s].sum() > 0]
    if not soorten:
        return style.leeg(ax, "Geen activiteiten vastgelegd")
    x = np.arange(len(kal))
    bottom = np.zeros(len(kal))
    for i, s in enumerate(soorten):
        ax.bar(x, kal[s], bottom=bottom, label=SOORT_LABEL[s], color=style.PALET[i % len(style.PALET)])
        bottom += kal[s].to_numpy(dtype=float)
    ax.set_xticks(x, style.maand_labels(kal["maand"]), rotation=0)
    ax.set_ylabel("Activiteiten")
    style.getal_as(ax)
    ax.legend(ncols=3, loc="upper left")
    ax.set_title("Activiteiten per maand")
    return ax


def draw_effect(eff: pd.DataFrame, indicator: str = "binnen_termijn", ax: Any = None) -> Any:
    """The effect of each team's first training or buddy on one indicator, with its interval (zero marked)."""
    ind = INDICATOREN[indicator]
    rows = eff[(eff["indicator"] == indicator) & (eff["oordeel"] != TE_WEINIG)].reset_index(drop=True)
    ax = style.assen(ax, (8, 0.6 + 0.45 * max(len(rows), 2)))
    if not len(rows):
        return style.leeg(ax, "Te weinig gegevens voor een effect")
    y = np.arange(len(rows))[::-1]
    kleur = [style.BETER if o == "beter" else (style.SLECHTER if o == "slechter" else style.NEUTRAAL)
             for o in rows["oordeel"]]
    for yi, r, c in zip(y, rows.itertuples(index=False), kleur, strict=True):
        ax.plot([100 * r.laag, 100 * r.hoog], [yi, yi], color=c, lw=2.5)
        ax.plot([100 * r.effect], [yi], "o", color=c)
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks(y, [style.grafiektekst(t, 30) for t in rows["team"]])
    ax.set_xlabel(f"Effect op ‘{ind.label.lower()}’ (procentpunt; "
                  f"{'hoger' if ind.richting > 0 else 'lager'} is beter)")
    ax.set_title(f"{ind.label}: verschil-in-verschillen met 95%-interval")
    return ax


def oordeel_tekst(eff: pd.DataFrame) -> list[str]:
    """One Dutch sentence per team about what the analysis shows (plain text with names from the data)."""
    out = []
    for (afd, team), rows in eff.groupby(["afdeling", "team"], sort=False):
        r0 = rows.iloc[0]
        beter = rows.loc[rows["oordeel"] == "beter", "label"].str.lower().tolist()
        slechter = rows.loc[rows["oordeel"] == "slechter", "label"].str.lower().tolist()
        wat = f"Team {team} ({afd}), {SOORT_LABEL.get(r0['soort'], r0['soort']).lower()} op {nl.datum(r0['datum'])}: "
        if beter:
            wat += f"aantoonbaar beter op {', '.join(beter)}"
            wat += f"; aantoonbaar slechter op {', '.join(slechter)}." if slechter else "."
        elif slechter:
            wat += f"aantoonbaar slechter op {', '.join(slechter)}, nergens aantoonbaar beter."
        elif (rows["oordeel"] == GEEN_VERSCHIL).any():
            wat += "geen aantoonbaar verschil met de teams zonder training of buddy."
        else:
            wat += "nog te weinig gegevens na de actie om iets te zeggen."
        out.append(wat)
    return out
