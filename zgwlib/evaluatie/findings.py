"""Draft findings of the evaluation (VNG tip 10): editable Dutch sentences from the figures.

The evaluator copies what holds into the conclusions and rewrites it; the same
sentences go to the *Bevindingen (concept)* sheet of the Excel appendix. The
wording of a change (days, percentages, intervals) is that of the tables
(:mod:`zgwlib.evaluatie.display`). Definitions: ``docs/metrics.md``, section
*Evaluatie* (conceptbevindingen).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from zgwlib.core import nl
from zgwlib.opschoonactie.figures import ACHTER as OP_ACHTER, GEEN_DOEL, KLAAR
from zgwlib.evaluatie.analysis import LANGZAMER, NEGATIEVER, POSITIEVER, SNELLER, VAKER_OP_TIJD, Evaluatie
from zgwlib.evaluatie.display import dagen_tekst, interval_tekst, pct_teken


def bevindingen(ev: Evaluatie, als_html: bool = True) -> dict[str, list[str]]:
    """Draft findings from the figures, as editable Dutch sentences under a few headings.

    Parameters
    ----------
    als_html : bool
        Names from the data are HTML-escaped and put in bold (``<strong>``) for a page;
        ``False`` gives plain text (for the Excel file). Never Markdown: a name is data, not markup.

    Returns
    -------
    dict of str to list of str
        Heading to sentences; an empty list means nothing to report there.
    """

    def naam(x: object) -> str:
        return f"<strong>{html.escape(str(x))}</strong>" if als_html else str(x)

    return {
        "Sterkste verbeteringen": _write_verbeteringen(ev, naam),
        "Achterblijvers en verslechteringen": _write_achterblijvers(ev, naam),
        "Hardnekkige signalen": _write_hardnekkig(ev),
        "Medewerkers": _write_medewerkers(ev, naam),
        "Opschoonactie": _write_opschoonactie(ev, naam),
    }


def _select_getest(ev: Evaluatie) -> pd.DataFrame:
    """The zaaktypes of the before-and-after comparison that were tested."""
    vn = ev.voor_na
    return vn[vn["getest"]] if len(vn) else vn


def _write_verbeteringen(ev: Evaluatie, naam: Callable[[object], str]) -> list[str]:
    """Zaaktypes with a shorter lead time, then those more often on time (at most ``max_bevindingen`` each)."""
    inst = ev.instellingen
    getest = _select_getest(ev)
    beter = getest[getest["oordeel"] == SNELLER].sort_values("verandering", kind="stable")
    zinnen = [
        f"De doorlooptijd van {naam(r['omschrijving'])} is aantoonbaar korter: de mediaan ging van "
        f"{dagen_tekst(r['mediaan_voor'])} naar {dagen_tekst(r['mediaan_na'])} ({pct_teken(r['verandering'])}; "
        f"{interval_tekst(r, inst)})."
        for _, r in beter.head(inst.max_bevindingen).iterrows()
    ]
    op_tijd = getest[getest["termijn_oordeel"] == VAKER_OP_TIJD].sort_values("termijn_verschil", ascending=False)
    zinnen += [
        f"{naam(r['omschrijving'])} wordt vaker binnen de wettelijke termijn afgehandeld: "
        f"{nl.procent(r['termijn_voor'], 0)} vóór, {nl.procent(r['termijn_na'], 0)} na de invoering."
        for _, r in op_tijd.head(inst.max_bevindingen).iterrows()
    ]
    return zinnen


def _write_achterblijvers(ev: Evaluatie, naam: Callable[[object], str]) -> list[str]:
    """The afdelingen that lag in adoption, then the zaaktypes with a longer lead time."""
    getest = _select_getest(ev)
    zinnen = []
    for _, r in ev.adoptie.achterblijvers().iterrows():
        zinnen.append(f"{naam(r['afdeling'])} blijft achter: {r['toelichting']}.")
    slechter = getest[getest["oordeel"] == LANGZAMER].sort_values("verandering", ascending=False)
    zinnen += [
        f"De doorlooptijd van {naam(r['omschrijving'])} is aantoonbaar langer: de mediaan ging van "
        f"{dagen_tekst(r['mediaan_voor'])} naar {dagen_tekst(r['mediaan_na'])} ({pct_teken(r['verandering'])})."
        for _, r in slechter.head(ev.instellingen.max_bevindingen).iterrows()
    ]
    return zinnen


def _write_hardnekkig(ev: Evaluatie) -> list[str]:
    """The monthly report's signals that stayed high since go-live."""
    hard = ev.hardnekkig()
    hard = hard[hard["hardnekkig"]].head(ev.instellingen.max_bevindingen)
    return [
        f"{r['titel']}: {nl.procent(r['laatst'], 0)} van de {r['noemer_tekst']} in de laatste maanden "
        f"(in de eerste maanden na de invoering {nl.procent(r['eerst'], 0)})."
        for _, r in hard.iterrows()
    ]


def _write_medewerkers(ev: Evaluatie, naam: Callable[[object], str]) -> list[str]:
    """The survey: the strongest positive shift, the lowest score and the questions that turned negative."""
    zinnen = []
    s = ev.enquete.verschuiving
    if not s.empty:
        s = s[s["groep"] == ev.enquete_groep]
        if len(s):
            top = s.sort_values("verschil", ascending=False).iloc[0]
            laag = s.sort_values("gemiddelde_evaluatie").iloc[0]
            if top["oordeel"] == POSITIEVER:
                zinnen.append(f"Medewerkers zijn het sterkst positiever over {naam(top['vraag'])}: gemiddeld "
                              f"{nl.getal(top['gemiddelde_nulmeting'], 1)} bij de nulmeting, "
                              f"{nl.getal(top['gemiddelde_evaluatie'], 1)} nu.")
            zinnen.append(f"De laagste score bij de evaluatie: {naam(laag['vraag'])} (gemiddeld "
                          f"{nl.getal(laag['gemiddelde_evaluatie'], 1)} op een schaal van 1 tot 5).")
            neg = s[s["oordeel"] == NEGATIEVER]
            zinnen += [f"Aantoonbaar negatiever: {naam(r['vraag'])}." for _, r in neg.iterrows()]
    return zinnen


def _write_opschoonactie(ev: Evaluatie, naam: Callable[[object], str]) -> list[str]:
    """The paper cleanup: afdelingen done and behind schedule (organisation), or this afdeling's verdict."""
    zinnen: list[str] = []
    r = ev.opschoning
    if r is not None and r.heeft_gegevens:
        p = r.prognose if r.is_organisatie else r.prognose[r.prognose["afdeling"] == ev.afdeling]
        p = p[p["oordeel"] != GEEN_DOEL]
        if len(p) and r.is_organisatie:
            achter = p[p["oordeel"] == OP_ACHTER]["afdeling"].tolist()
            klaar = int((p["oordeel"] == KLAAR).sum())
            zinnen.append(f"Van de {nl.getal(len(p))} afdelingen met een doel voor de opschoonactie "
                          f"{'is' if klaar == 1 else 'zijn'} er {nl.getal(klaar)} klaar.")
            if achter:
                zinnen.append("Achter op schema met de opschoonactie: " + ", ".join(naam(a) for a in achter) + ".")
        elif len(p):
            zinnen.append(f"Opschoonactie: {p['oordeel'].iloc[0]}.")
    return zinnen


def bevindingen_tekst(ev: Evaluatie) -> str:
    """:func:`bevindingen` as plain text: a heading per group and a bullet per finding."""
    lines = []
    for kop, zinnen in bevindingen(ev, als_html=False).items():
        lines.append(kop)
        lines += [f"- {z}" for z in zinnen] or ["- (geen)"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def bevindingen_html(ev: Evaluatie) -> str:
    """:func:`bevindingen` for the report page: a bold heading and a list per group (names escaped)."""
    parts = []
    for kop, zinnen in bevindingen(ev).items():
        parts.append(f"<p><strong>{html.escape(kop)}</strong></p>")
        parts.append("<ul>" + "".join(f"<li>{z}</li>" for z in zinnen or ["(geen)"]) + "</ul>")
    return "".join(parts)
