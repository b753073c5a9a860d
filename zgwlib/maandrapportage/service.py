"""Dienstverlening: how many zaken came in through a digital channel (VNG's goal "betere dienstverlening").

One definition (``docs/metrics.md``, *Digitaal binnengekomen*): of the zaken
*received* in a month, the share whose ``communicatiekanaal`` is digital, out
of those whose channel is known. Which names are digital is a setting
(:attr:`~zgwlib.maandrapportage.figures.Instellingen.digitale_kanalen`,
:attr:`~zgwlib.maandrapportage.figures.Instellingen.niet_digitale_kanalen`);
a name in neither list is *onbekend* and an empty channel is *zonder kanaal*:
both are counted and named, never silently taken as digital or not.

The per-department and per-month figures are columns of
:func:`zgwlib.maandrapportage.figures.maandcijfers` (``aandeel_digitaal`` and
:data:`~zgwlib.maandrapportage.figures.KANAALTELLINGEN`); this module adds the
per-zaaktype view, the unknown channel names, the tip "is er een
e-formulier?" and the months a department first reached a digital share (the
milestone).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.periods import periode_index
from zgwlib.core.terms import ORGANISATIE
from zgwlib.maandrapportage import facts
from zgwlib.maandrapportage.figures import Basis, Instellingen, Maand, maandcijfers

#: How a non-digital channel reads in a sentence ("kwam ... binnen"); others read "via <naam>".
_ZO = {"post": "per post", "brief": "per brief", "balie": "aan de balie", "telefoon": "telefonisch",
       "e-mail": "per e-mail", "fax": "per fax", "huisbezoek": "bij een huisbezoek"}


def kanaal_zin(kanaal: str) -> str:
    """``"per post"``, ``"aan de balie"``, ``"telefonisch"``; another name as ``"via <naam>"``."""
    return _ZO.get(facts.kanaal_naam(kanaal), f"via {kanaal}")


def _ontvangen(maand: Maand, afdeling: str) -> pd.DataFrame:
    """The zaken received in the report month (of one department, or all), with the kind of their channel."""
    f = maand.selectie(afdeling)
    f = f[f["ontvangen_in_maand"].to_numpy()]
    soort = facts.kanaal_soort(f["communicatiekanaal"], maand.instellingen.digitale_kanalen,
                               maand.instellingen.niet_digitale_kanalen)
    return f.assign(_soort=soort)


def per_zaaktype(maand: Maand, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """Per zaaktype, the zaken received in the month by channel: the digital share and the main other channel.

    Returns
    -------
    DataFrame
        ``zaaktype``, ``omschrijving`` (untrusted text: escape it), ``ontvangen``, ``digitaal``,
        ``niet_digitaal``, ``kanaal_onbekend``, ``zonder_kanaal``, ``aandeel_digitaal`` (of those with a known
        channel; NaN when none is known), ``grootste_niet_digitaal`` (the most frequent non-digital channel, as
        written in the data; None when there is none) and ``aandeel_grootste`` (its share of the known ones).
        The zaaktypen with the lowest digital share first (then the most received).
    """
    f = _ontvangen(maand, afdeling)
    names = maand.basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    rows = []
    for zt, g in f.groupby(f["zaaktype"].astype("str"), sort=True):
        s = g["_soort"].to_numpy()
        bekend = int(((s == facts.DIGITAAL) | (s == facts.NIET_DIGITAAL)).sum())
        niet = g.loc[s == facts.NIET_DIGITAAL, "communicatiekanaal"].astype("str")
        top = niet.value_counts()
        # Ties by name, so the same data always names the same channel.
        grootste = sorted(top[top == top.max()].index)[0] if len(top) else None
        rows.append({
            "zaaktype": zt, "omschrijving": str(names.get(zt, zt)), "ontvangen": len(g),
            "digitaal": int((s == facts.DIGITAAL).sum()), "niet_digitaal": int((s == facts.NIET_DIGITAAL).sum()),
            "kanaal_onbekend": int((s == facts.KANAAL_ONBEKEND).sum()),
            "zonder_kanaal": int((s == facts.ZONDER_KANAAL).sum()),
            "aandeel_digitaal": (s == facts.DIGITAAL).sum() / bekend if bekend else np.nan,
            "grootste_niet_digitaal": grootste,
            "aandeel_grootste": int(top.max()) / bekend if grootste is not None else np.nan,
        })
    cols = ["zaaktype", "omschrijving", "ontvangen", "digitaal", "niet_digitaal", "kanaal_onbekend", "zonder_kanaal",
            "aandeel_digitaal", "grootste_niet_digitaal", "aandeel_grootste"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["aandeel_digitaal", "ontvangen", "zaaktype"], ascending=[True, False, True],
                          na_position="last", kind="stable")
    return out.reset_index(drop=True)


def onbekende_kanalen(maand: Maand, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The channel names of the month's received zaken that are in neither list, with their counts.

    Returns
    -------
    DataFrame
        ``kanaal`` (as written in the data: untrusted text) and ``aantal``, the most frequent first; one row
        ``kanaal`` None for zaken without any channel.
    """
    f = _ontvangen(maand, afdeling)
    s = f["_soort"].to_numpy()
    tel = f.loc[s == facts.KANAAL_ONBEKEND, "communicatiekanaal"].astype("str").value_counts()
    rows = sorted(((str(k), int(v)) for k, v in tel.items()), key=lambda kv: (-kv[1], kv[0]))
    leeg = int((s == facts.ZONDER_KANAAL).sum())
    if leeg:
        rows.append((None, leeg))
    out = pd.DataFrame(rows, columns=["kanaal", "aantal"])
    out["kanaal"] = pd.Series([k for k, _ in rows], dtype=object)  # None stays None (not NaN)
    return out


def kanaal_opmerking(maand: Maand, afdeling: str = ORGANISATIE) -> str | None:
    """The report's sentence about zaken whose channel the share leaves out, or None when every channel was known."""
    onb = onbekende_kanalen(maand, afdeling)
    if onb.empty:
        return None
    delen = []
    namen = onb[onb["kanaal"].notna()]
    if len(namen):
        n = int(namen["aantal"].sum())
        lijst = ", ".join(f"‘{k}’ ({nl.getal(a)})" for k, a in zip(namen["kanaal"], namen["aantal"]))
        delen.append(f"{nl.getal(n)} {'zaak kwam' if n == 1 else 'zaken kwamen'} binnen via een kanaal dat niet in "
                     f"de instellingen staat: {lijst}")
    leeg = onb[onb["kanaal"].isna()]
    if len(leeg):
        n = int(leeg["aantal"].iloc[0])
        delen.append(f"bij {nl.getal(n)} {'zaak' if n == 1 else 'zaken'} is geen kanaal vastgelegd")
    zin = "; ".join(delen)
    return (f"{zin[0].upper()}{zin[1:]}. Die zaken tellen niet mee in het aandeel digitaal: of ze digitaal "
            "binnenkwamen, is niet te zien. Zet een onbekend kanaal in parameters/maandrapportage.yaml bij "
            "digitale_kanalen of niet_digitale_kanalen.")


def tips(maand: Maand, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The tip "is er een e-formulier?" for zaaktypen that mostly came in non-digitally in the month.

    A zaaktype gets it when at least
    :attr:`~zgwlib.maandrapportage.figures.Instellingen.tip_niet_digitaal` of its received zaken with a known
    channel came in non-digitally and at least
    :attr:`~zgwlib.maandrapportage.figures.Instellingen.min_aantal_tip` did.

    Returns
    -------
    DataFrame
        ``zaaktype``, ``aantal`` (received non-digitally) and ``tekst`` (plain text holding a zaaktype name:
        escape it in HTML), the most non-digital zaken first.
    """
    inst = maand.instellingen
    t = per_zaaktype(maand, afdeling)
    bekend = t["digitaal"] + t["niet_digitaal"]
    hit = (t["niet_digitaal"] >= inst.min_aantal_tip) & (t["niet_digitaal"] >= inst.tip_niet_digitaal * bekend)
    naam_maand = nl.maand(maand.periode)
    rows = []
    for r in t[hit.to_numpy()].itertuples(index=False):
        n, b = int(r.niet_digitaal), int(r.digitaal + r.niet_digitaal)
        rows.append((r.zaaktype, n, f"{r.omschrijving}: {nl.getal(n)} van de {nl.getal(b)} zaken kwamen in "
                     f"{naam_maand} niet digitaal binnen ({nl.procent(n / b, 0)}), de meeste "
                     f"{kanaal_zin(str(r.grootste_niet_digitaal))} ({nl.procent(r.aandeel_grootste, 0)}): is er "
                     "een e-formulier, en wijzen website en brieven ernaar?"))
    out = pd.DataFrame(rows, columns=["zaaktype", "aantal", "tekst"])
    return out.sort_values(["aantal", "zaaktype"], ascending=[False, True], kind="stable").reset_index(drop=True)


def eerste_maand_digitaal(basis: Basis, periode: str, instellingen: Instellingen | None = None,
                          afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The first month each department (and the organisation) reached the milestone's digital share.

    A month counts when its received zaken with a known channel number at least
    :attr:`~zgwlib.maandrapportage.figures.Instellingen.mijlpaal_digitaal_min_zaken`; the milestone is the first
    counted month whose digital share is at least
    :attr:`~zgwlib.maandrapportage.figures.Instellingen.mijlpaal_digitaal`, provided an earlier counted month
    was below it (a department that was already there in its first counted month crossed nothing). Only months
    up to and including ``periode`` count.

    Parameters
    ----------
    afdeling : str
        ``"organisatie"``: every department and the organisation; a department: only that one.

    Returns
    -------
    DataFrame
        ``afdeling``, ``maand`` (``YYYY-MM``), ``aandeel`` and ``aantal`` (received zaken with a known channel),
        by month, then department.
    """
    inst = instellingen or Instellingen()
    m1 = periode_index(periode)
    reg = basis.zaken["m_reg"].to_numpy()
    eerste = int(reg[reg >= 0].min()) if (reg >= 0).any() else m1
    tabel = maandcijfers(basis, periode, max(m1 - eerste + 1, 1), instellingen=inst)
    if afdeling != ORGANISATIE:
        tabel = tabel[tabel["afdeling"] == afdeling]
    telt = (tabel["kanaal_bekend"] >= inst.mijlpaal_digitaal_min_zaken).to_numpy()
    tabel = tabel[telt].sort_values(["afdeling", "maand"], kind="stable")
    # Reaching means crossing: a department whose first counted month was already at the share passed nothing.
    tabel = tabel.assign(_eerste=~tabel["afdeling"].duplicated().to_numpy())
    ok = (tabel["aandeel_digitaal"] >= inst.mijlpaal_digitaal).to_numpy()
    hit = tabel[ok].groupby("afdeling").head(1)
    hit = hit[~hit["_eerste"].to_numpy()]
    out = hit[["afdeling", "maand", "aandeel_digitaal", "kanaal_bekend"]].rename(
        columns={"aandeel_digitaal": "aandeel", "kanaal_bekend": "aantal"})
    out = out.assign(_org=out["afdeling"] != ORGANISATIE).sort_values(["maand", "_org", "afdeling"], kind="stable")
    return out.drop(columns="_org").reset_index(drop=True)

