"""Tables, tiles and the chart of the Termijnbewaking (figures: :mod:`zgwlib.termijnbewaking.figures`).

Every text from the data (identificaties, zaaktype names, teams, reasons, names) is escaped; a zaak's link is
the configured ``zaak_url`` with the identificatie URL-quoted, put in an escaped ``href`` and only when it is a
web address (the settings refuse anything else).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zgwlib import style
from zgwlib.core import nl
from zgwlib.termijnbewaking.figures import DWANGSOM_MAX_BEDRAG, Werklijst

ROOD = style.SLECHTER


def euro(bedrag: Any) -> str:
    """An amount in euro, Dutch style: ``1442`` -> ``"€ 1.442"``."""
    return f"€ {nl.getal(bedrag)}"


def dagen_tekst(dagen: Any) -> str:
    """Days left in words: ``-3`` -> ``"3 dagen te laat"``, ``0`` -> ``"vandaag"``, ``1`` -> ``"nog 1 dag"``."""
    if dagen is None or pd.isna(dagen):
        return "–"
    d = int(dagen)
    if d == 0:
        return "vandaag"
    if d < 0:
        return f"{nl.getal(-d)} {'dag' if d == -1 else 'dagen'} te laat"
    return f"nog {nl.getal(d)} {'dag' if d == 1 else 'dagen'}"


def tegels_html(lijst: Werklijst, risico: int | None) -> str:
    """The headline tiles: late, due within the horizon, suspended, without behandelaar, the dwangsom risk.

    ``risico`` None: no zaaktype is named for the dwangsom, so there is no risk tile (not a misleading 0).
    """
    zonder = int((~lijst.zaken["heeft_behandelaar"].astype(bool)).sum())
    tegels = [
        ("Over de wettelijke termijn", nl.getal(len(lijst.te_laat)), ROOD if len(lijst.te_laat) else None),
        (f"Termijn verloopt binnen {nl.getal(lijst.horizon_dagen)} dagen", nl.getal(len(lijst.bijna)), None),
        ("Opgeschort", nl.getal(len(lijst.opgeschort)), None),
        ("Op de lijst zonder behandelaar", nl.getal(zonder), ROOD if zonder else None),
    ]
    if risico is not None:
        tegels.append(("Dwangsomrisico nu (maximaal)", euro(risico), None))
    cells = "".join(
        f'<div style="border:1px solid #d0d5db;border-radius:6px;padding:.6rem .8rem;min-width:10rem;flex:1">'
        f'<div style="font-size:.85rem;color:#4a4a4a">{style.e(label)}</div>'
        f'<div style="font-size:1.6rem;font-weight:700{";color:" + kleur if kleur else ""}">{style.e(waarde)}</div>'
        f"</div>"
        for label, waarde, kleur in tegels
    )
    return f'<div style="display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0">{cells}</div>'


def _zaak_cel(rij: Any) -> str:
    link = rij.link if isinstance(rij.link, str) and rij.link.startswith(("https://", "http://")) else None
    if link:
        return f'<a href="{style.e(link)}">{style.e(rij.identificatie)}</a>'
    return style.e(rij.identificatie)


def werklijst_html(zaken: pd.DataFrame, *, toon_namen: bool = False, namen: pd.Series | None = None,
                   dwangsom: bool = False, opgeschort: bool = False) -> str:
    """The worklist: one row per zaak, the most late first; late days in red.

    Parameters
    ----------
    zaken : DataFrame
        :attr:`Werklijst.zaken` or :attr:`Werklijst.opgeschort`.
    toon_namen : bool
        Show the behandelaar's name (else only whether there is one).
    namen : Series, optional
        Medewerker identificatie -> naam.
    dwangsom : bool
        Add the dwangsom risk column.
    opgeschort : bool
        The suspended list: the reason instead of the extension.
    """
    koppen = ["Zaak", "Zaaktype", "Team", "Wettelijke termijn", "Streefdatum", "Uiterste datum",
              "Opschorting" if opgeschort else "Verlengd", "Behandelaar"]
    if dwangsom:
        koppen.append("Dwangsomrisico nu")
    head = "".join(f'<th style="text-align:left">{style.e(k)}</th>' for k in koppen)
    body = []
    for r in zaken.itertuples(index=False):
        late = not pd.isna(r.dagen_over) and r.dagen_over < 0
        dagen = dagen_tekst(r.dagen_over)
        dagen_html = f'<strong style="color:{ROOD}">{style.e(dagen)}</strong>' if late and not opgeschort else style.e(dagen)
        if opgeschort:
            extra = style.e(r.opschorting_reden if isinstance(r.opschorting_reden, str) else "opgeschort")
        else:
            extra = style.e(("ja: " + r.verlenging_reden) if r.verlengd and isinstance(r.verlenging_reden, str)
                            else "ja" if r.verlengd else "nee")
        if r.heeft_behandelaar:
            wie = namen.get(r.behandelaar, r.behandelaar) if toon_namen and namen is not None else (
                r.behandelaar if toon_namen else "ja")
            beh = style.e(wie)
        else:
            beh = f'<strong style="color:{ROOD}">geen</strong>'
        cells = [_zaak_cel(r), style.e(r.zaaktype_omschrijving), style.e(r.team if isinstance(r.team, str) else "–"),
                 dagen_html, style.e(nl.datum(r.einddatum_gepland)), style.e(nl.datum(r.wettelijke_datum)), extra, beh]
        if dwangsom:
            cells.append(style.e(euro(r.dwangsom_risico)) if r.dwangsom_van_toepassing else "–")
        body.append("<tr>" + "".join(f'<td style="text-align:left">{c}</td>' for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def telling_html(tabel: pd.DataFrame, per: str, dwangsom: bool = False) -> str:
    """Counts per zaaktype or team (:func:`zgwlib.termijnbewaking.figures.telling`)."""
    eerste = {"zaaktype": ("zaaktype_omschrijving", ("Zaaktype", None)), "team": ("team", ("Team", None))}[per]
    kolommen: dict[str, style.Kolom] = {
        eerste[0]: eerste[1],
        "te_laat": ("Over de termijn", style.getal),
        "bijna": ("Binnen de horizon", style.getal),
        "zonder_behandelaar": ("Zonder behandelaar", style.getal),
    }
    if dwangsom:
        kolommen["dwangsom_risico"] = ("Dwangsomrisico nu", euro)
    return style.tabel_html(tabel, kolommen, links=[eerste[0]])


def terugkerend_html(tabel: pd.DataFrame, venster: int) -> str:
    """The zaaktypen that keep coming back (:func:`zgwlib.termijnbewaking.figures.terugkerend`)."""
    return style.tabel_html(tabel, {
        "zaaktype_omschrijving": ("Zaaktype", None),
        "weken": (f"Weken met zaken over de termijn (van de laatste {venster})", style.getal),
        "te_laat_nu": ("Nu over de termijn", style.getal),
    }, links=["zaaktype_omschrijving"])


def trendgrafiek(trend: pd.DataFrame) -> Any:
    """Bars: open zaken past their legal term at the end of each week, the report week last."""
    ax = style.assen(figsize=(8, 3.0))
    fig = ax.figure
    labels = [f"wk {d.isocalendar()[1]}" for d in pd.to_datetime(trend["week_einde"])]
    kleuren = [style.HOOFDKLEUR] * (len(trend) - 1) + [style.GOUD]
    ax.bar(range(len(trend)), trend["te_laat"], color=kleuren)
    ax.set_xticks(range(len(trend)), labels, rotation=0)
    ax.set_title("Open zaken over de wettelijke termijn, aan het eind van elke week")
    style.getal_as(ax)
    if not trend["te_laat"].any():
        ax.set_ylim(0, 1)
    return fig


def dwangsom_uitleg() -> str:
    """The amounts behind the risk, in one paragraph (escaped)."""
    return style.alinea(
        "Bedragen volgens artikel 4:17 Awb: € 23 per dag voor de eerste 14 dagen, € 35 per dag voor de volgende 14 "
        f"dagen en € 45 per dag daarna, hoogstens 42 dagen, dus hoogstens {euro(DWANGSOM_MAX_BEDRAG)} per zaak.",
        zacht=True)


def meer_html(totaal: int, getoond: int, afdeling_lijsten: bool) -> str:
    """The line under a list cut at the setting's maximum: how many zaken are not shown, and where they are."""
    if totaal <= getoond:
        return ""
    waar = " De rapporten per afdeling tonen hun eigen zaken." if afdeling_lijsten else ""
    return style.alinea(
        f"Nog {nl.getal(totaal - getoond)} zaken staan niet in deze lijst: de eerste {nl.getal(getoond)} van "
        f"{nl.getal(totaal)} zijn getoond (instelling max_rijen_organisatie / max_rijen_afdeling).{waar}", zacht=True)
