"""The paper cleanup (opschoonactie, VNG tip 5): progress, forecast and verdict per afdeling.

Two to three months after go-live every department clears its paper: it
digitises what must stay available and destroys, transfers or archives the
rest. The ``opschoning`` table holds the registrations (what was done, when,
how much), ``opschoning_doelen`` each department's inventoried starting amount
and target date. This module turns them into the figures of the
``opschoonactie`` notebook.

Definitions (also in ``docs/metrics.md``, section Opschoonactie):

* verwerkt: registrations with actie ``gedigitaliseerd``, ``vernietigd``,
  ``overgebracht`` or ``gearchiveerd``. ``inventarisatie`` counts paper, it
  does not remove any.
* startvoorraad of an afdeling in an eenheid: the amount in
  ``opschoning_doelen``; when that is empty, the sum of the afdeling's
  ``inventarisatie`` registrations in that eenheid; otherwise unknown.
* gedaan: the sum of verwerkt amounts dated on or before the peildatum.
  te_doen = max(startvoorraad - gedaan, 0); overmeld = max(gedaan -
  startvoorraad, 0) (more processed than inventoried: a warning, never
  clipped away); aandeel_gedaan = gedaan / startvoorraad, may exceed 1.
* hoofdeenheid: strekkende meters when that startvoorraad is known, else
  dossiers. Verdict, forecast and the milestone use it.
* tempo: verwerkt in the hoofdeenheid during the last ``tempo_venster_dagen``
  days up to the peildatum, per day, over the part of that window since the
  afdeling's first verwerkt registration (but at least ``min_venster_dagen``
  days, so one busy day does not make a pace).
* verwachte einddatum: peildatum + ceil(te_doen / tempo) days.
* oordeel: ``klaar`` (gedaan >= startvoorraad), ``geen doel`` (no
  startvoorraad or no streefdatum), ``achter`` (streefdatum passed, no pace, or
  expected after the streefdatum), ``niet gestart`` (nothing processed yet,
  streefdatum still ahead), else ``op schema``.
* papierloos: the first day on which gedaan >= startvoorraad in the
  hoofdeenheid.
* The link to the zaaksysteem: documents outside zaken carry no department in
  the contract, so per month the organisation's share of new documents outside
  any zaak is shown next to the afdeling's share of closed zaken without
  documents, before its cleanup started and after it finished.

The charts and HTML tables of the notebook are in :mod:`zgwlib.opschoonactie.display`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.errors import UsageError
from zgwlib.core.lookup import pointed_at
from zgwlib.core.periods import last_complete_month, maand_einde, maand_index, periode_tekst
from zgwlib.core.terms import ORGANISATIE, has_document_data
from zgwlib.data.opschoning import (
    DOSSIERS, EENHEDEN, METERS, VERWERKT, startvoorraad, up_to, voortgang,
)


KLAAR, OP_SCHEMA, ACHTER, NIET_GESTART, GEEN_DOEL = "klaar", "op schema", "achter", "niet gestart", "geen doel"
#: Every verdict, most urgent first (the attention list sorts by this).
OORDELEN = (ACHTER, NIET_GESTART, OP_SCHEMA, KLAAR, GEEN_DOEL)

#: Dutch labels for units and actions in report text and tables.
EENHEID_LABEL = {METERS: "strekkende meter", DOSSIERS: "dossiers"}
EENHEID_KORT = {METERS: "m", DOSSIERS: "dossiers"}
ACTIE_LABEL = {
    "inventarisatie": "geïnventariseerd",
    "gedigitaliseerd": "gedigitaliseerd",
    "vernietigd": "vernietigd",
    "overgebracht": "overgebracht",
    "gearchiveerd": "gearchiveerd",
}


@dataclass(frozen=True)
class Instellingen:
    """Thresholds of the cleanup report; change them in ``parameters/opschoonactie.yaml`` (:mod:`zgwlib.core.settings`).

    Attributes
    ----------
    tempo_venster_dagen : int
        Length of the recent window the pace is measured over.
    min_venster_dagen : int
        The pace is never measured over fewer days than this.
    voor_na_maanden : int
        Months compared before and after a department's cleanup (link to the zaaksysteem).
    aandacht_max : int
        At most this many departments in the attention list.
    """

    tempo_venster_dagen: int = 56
    min_venster_dagen: int = 14
    voor_na_maanden: int = 3
    aandacht_max: int = 5


def peildatum(periode: object, meta: dict[str, Any] | None = None) -> pd.Timestamp:
    """The day the report looks at: the end of the notebook's ``periode``.

    ``None`` means the last complete month of the data (from ``meta["periode_tot"]``);
    ``"2026-10"`` the last day of that month; a date (``"2026-10-15"``) that day,
    so a partial month can be reported.

    Raises
    ------
    UsageError
        When ``periode`` is not a month or a date, or ``meta`` has no ``periode_tot``.
    """
    if periode is None or (isinstance(periode, str) and not periode.strip()):
        tot = (meta or {}).get("periode_tot")
        if not tot:
            raise UsageError("the snapshot has no periode_tot in meta.json; pass periode (for example 2026-10).")
        return maand_einde(last_complete_month(pd.Timestamp(tot).date()))
    text = str(periode).strip()
    try:
        if len(text) <= 7 and text.count("-") == 1:
            return pd.Period(text, freq="M").end_time.normalize()
        return pd.Timestamp(periode).normalize()  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise UsageError(f"periode = {periode!r} is not a month (2026-10) or a date (2026-10-15).") from None


# --------------------------------------------------------------------------- core figures


def _hoofdeenheid(v: pd.DataFrame) -> dict[str, str]:
    """Per afdeling the unit verdict and forecast use: metres when their start is known, else dossiers."""
    out: dict[str, str] = {}
    for afd, g in v.groupby("afdeling", sort=True):
        bekend = set(g.loc[g["startvoorraad"].notna(), "eenheid"]) or set(g["eenheid"])
        out[str(afd)] = METERS if METERS in bekend or not bekend else DOSSIERS
    return out


def _tempo(reg: pd.DataFrame, tot: pd.Timestamp, inst: Instellingen) -> tuple[float, pd.Timestamp | None]:
    """Pace per day over the recent window, and the first verwerkt day (``reg``: one afdeling, one unit)."""
    verwerkt = reg[reg["actie"].isin(VERWERKT)]
    if verwerkt.empty:
        return 0.0, None
    eerste = verwerkt["datum"].min().normalize()
    venster = max(inst.tempo_venster_dagen, inst.min_venster_dagen)
    dagen = max(min(venster, (tot - eerste).days + 1), inst.min_venster_dagen)
    # Sum and divisor cover the same days: the last ``dagen`` days up to and including tot.
    in_venster = verwerkt.loc[verwerkt["datum"] >= tot - pd.Timedelta(days=dagen - 1), "hoeveelheid"].sum()
    return float(in_venster) / dagen, eerste


def prognose(
    opschoning: pd.DataFrame,
    doelen: pd.DataFrame,
    tot: pd.Timestamp,
    instellingen: Instellingen | None = None,
) -> pd.DataFrame:
    """Forecast and verdict per afdeling, in its hoofdeenheid.

    Returns
    -------
    DataFrame
        One row per afdeling (sorted): ``afdeling``, ``eenheid``,
        ``startvoorraad``, ``gedaan``, ``te_doen``, ``overmeld``,
        ``aandeel_gedaan``, ``streefdatum``, ``eerste_verwerkt``,
        ``tempo_per_week``, ``verwachte_einddatum``, ``vertraging_dagen``
        (expected minus target; NaN when either is unknown), ``oordeel`` (one of
        :data:`OORDELEN`) and ``toelichting`` (one Dutch sentence).
    """
    inst = instellingen or Instellingen()
    tot = pd.Timestamp(tot).normalize()
    reg = up_to(opschoning, tot)
    v = voortgang(opschoning, doelen, tot)
    start = startvoorraad(opschoning, doelen, tot)
    hoofd = _hoofdeenheid(v)
    rows = []
    for afd in start.index:
        e = hoofd.get(afd, METERS)
        match = v[(v["afdeling"] == afd) & (v["eenheid"] == e)]
        r = match.iloc[0] if len(match) else None
        sv = float(r["startvoorraad"]) if r is not None else float(start.at[afd, e])
        gedaan = float(r["gedaan"]) if r is not None else 0.0
        te_doen = max(sv - gedaan, 0.0) if not math.isnan(sv) else math.nan
        streef = start.at[afd, "streefdatum"]
        eigen = reg[(reg["afdeling"] == afd) & (reg["eenheid"] == e)]
        per_dag, eerste = _tempo(eigen, tot, inst)
        verwacht = pd.NaT
        if te_doen > 0 and per_dag > 0:  # False for NaN too
            verwacht = tot + pd.Timedelta(days=math.ceil(te_doen / per_dag))
        oordeel, uitleg = _oordeel(e, sv, gedaan, streef, verwacht, per_dag, eerste, tot, inst,
                                   iets_geregistreerd=bool((reg["afdeling"] == afd).any()))
        vertraging = (verwacht - streef).days if pd.notna(verwacht) and pd.notna(streef) else math.nan
        rows.append({
            "afdeling": afd, "eenheid": e, "startvoorraad": sv, "gedaan": gedaan, "te_doen": te_doen,
            "overmeld": max(gedaan - sv, 0.0) if not math.isnan(sv) else 0.0,
            "aandeel_gedaan": gedaan / sv if sv and not math.isnan(sv) else math.nan,
            "streefdatum": streef, "eerste_verwerkt": eerste, "tempo_per_week": per_dag * 7,
            "verwachte_einddatum": verwacht, "vertraging_dagen": vertraging,
            "oordeel": oordeel, "toelichting": uitleg,
        })
    cols = ["afdeling", "eenheid", "startvoorraad", "gedaan", "te_doen", "overmeld", "aandeel_gedaan", "streefdatum",
            "eerste_verwerkt", "tempo_per_week", "verwachte_einddatum", "vertraging_dagen", "oordeel", "toelichting"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("streefdatum", "eerste_verwerkt", "verwachte_einddatum"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    out["vertraging_dagen"] = out["vertraging_dagen"].astype("float64")
    return out.astype({"afdeling": "str", "eenheid": "str", "oordeel": "str", "toelichting": "str"})


def hoeveel(x: float, e: str) -> str:
    """An amount with its short unit, Dutch: ``12.5`` m -> ``"12,5 m"``; dossiers whole."""
    d = 1 if e == METERS and round(x, 1) != round(x) else 0
    return f"{nl.getal(x, d)} {EENHEID_KORT[e]}"


def _oordeel(
    e: str, sv: float, gedaan: float, streef: Any, verwacht: Any, per_dag: float,
    eerste: pd.Timestamp | None, tot: pd.Timestamp, inst: Instellingen, *, iets_geregistreerd: bool,
) -> tuple[str, str]:
    """Verdict and its one-sentence Dutch explanation (order of the checks: see the module docstring)."""
    weken = nl.getal(inst.tempo_venster_dagen / 7)  # whole weeks
    if math.isnan(sv):
        return GEEN_DOEL, "Er is geen startvoorraad vastgelegd, dus voortgang en prognose zijn niet te bepalen."
    if gedaan >= sv:
        tekst = "Alles is verwerkt."
        if gedaan > sv:
            tekst += (f" Er is {hoeveel(gedaan - sv, e)} méér verwerkt dan geïnventariseerd: "
                      "controleer de registratie of de startvoorraad.")
        return KLAAR, tekst
    rest = hoeveel(sv - gedaan, e)
    if pd.isna(streef):
        extra = f" Bij het huidige tempo is het klaar op {nl.datum(verwacht)}." if pd.notna(verwacht) else ""
        return GEEN_DOEL, f"Er is geen streefdatum vastgelegd; nog {rest} te doen.{extra}"
    if streef < tot:
        tekst = f"De streefdatum {nl.datum(streef)} is verstreken en er is nog {rest} te doen."
        if pd.notna(verwacht):
            tekst += (f" Bij het huidige tempo ({hoeveel(per_dag * 7, e)} per week) is het klaar op "
                      f"{nl.datum(verwacht)}.")
        elif eerste is not None:
            tekst += f" In de laatste {weken} weken is niets verwerkt."
        return ACHTER, tekst
    if eerste is None:
        if not iets_geregistreerd:
            return NIET_GESTART, (f"Er is nog niets geregistreerd; {rest} moet vóór {nl.datum(streef)} "
                                  "verwerkt zijn.")
        return NIET_GESTART, f"Er is nog niets verwerkt; {rest} moet vóór {nl.datum(streef)} verwerkt zijn."
    if per_dag <= 0:
        return ACHTER, (f"In de laatste {weken} weken is niets verwerkt; nog {rest} te doen vóór "
                        f"{nl.datum(streef)}.")
    if verwacht <= streef:
        return OP_SCHEMA, (f"Bij het huidige tempo ({hoeveel(per_dag * 7, e)} per week) is het klaar op "
                           f"{nl.datum(verwacht)}, vóór de streefdatum {nl.datum(streef)}.")
    te_laat = (verwacht - streef).days
    return ACHTER, (f"Bij het huidige tempo ({hoeveel(per_dag * 7, e)} per week) is het pas klaar op "
                    f"{nl.datum(verwacht)}, {nl.getal(te_laat)} {'dag' if te_laat == 1 else 'dagen'} na de "
                    f"streefdatum {nl.datum(streef)}.")


def aandacht(prog: pd.DataFrame, v: pd.DataFrame, maximum: int | None = None) -> pd.DataFrame:
    """The departments that need attention first, most urgent first.

    Order: ``achter`` (no forecast first, then the largest delay), ``niet
    gestart`` (nearest streefdatum first), over-reporting (a registration to
    check), ``geen doel``. A department with more than one reason is listed
    once with all of them.

    Parameters
    ----------
    prog : DataFrame
        Result of :func:`prognose`.
    v : DataFrame
        Result of :func:`voortgang` (for over-reporting in either unit).
    maximum : int, optional
        At most this many rows.

    Returns
    -------
    DataFrame
        ``afdeling``, ``oordeel``, ``reden`` (Dutch), sorted by urgency.
    """
    items: dict[str, dict[str, Any]] = {}

    def add(afd: str, rang: tuple[Any, ...], reden: str, oordeel: str) -> None:
        cur = items.setdefault(afd, {"afdeling": afd, "oordeel": oordeel, "rang": rang, "redenen": []})
        cur["rang"] = min(cur["rang"], rang)
        cur["redenen"].append(reden)

    far = pd.Timestamp.max.normalize()
    for r in prog.itertuples(index=False):
        if r.oordeel == ACHTER:
            delay = -math.inf if math.isnan(r.vertraging_dagen) else -float(r.vertraging_dagen)
            add(r.afdeling, (0, delay), r.toelichting, r.oordeel)
        elif r.oordeel == NIET_GESTART:
            add(r.afdeling, (1, float((r.streefdatum if pd.notna(r.streefdatum) else far).value)),
                r.toelichting, r.oordeel)
        elif r.oordeel == GEEN_DOEL:
            add(r.afdeling, (3, 0.0), r.toelichting, r.oordeel)
    oordeel_van = dict(zip(prog["afdeling"], prog["oordeel"], strict=True))
    for r in v[v["overmeld"] > 0].itertuples(index=False):
        add(r.afdeling, (2, -float(r.overmeld / r.startvoorraad) if r.startvoorraad else 0.0),
            f"Meer verwerkt dan geïnventariseerd: {hoeveel(r.gedaan, r.eenheid)} verwerkt tegen een "
            f"startvoorraad van {hoeveel(r.startvoorraad, r.eenheid)}; controleer de registratie.",
            oordeel_van.get(r.afdeling, ""))
    ordered = sorted(items.values(), key=lambda x: (x["rang"], x["afdeling"]))
    out = pd.DataFrame(
        [{"afdeling": x["afdeling"], "oordeel": x["oordeel"], "reden": " ".join(dict.fromkeys(x["redenen"]))}
         for x in ordered],
        columns=["afdeling", "oordeel", "reden"],
    ).astype("str")
    return out.head(maximum) if maximum is not None else out


def totalen(v: pd.DataFrame) -> pd.DataFrame:
    """Organisation totals per eenheid.

    ``startvoorraad`` sums the known starting amounts; ``gedaan`` everything
    processed (also by departments without a starting amount); ``te_doen`` and
    ``overmeld`` sum the departments' own figures, so one department's
    over-reporting never hides another's backlog; ``aandeel_gedaan`` is
    ``1 - te_doen / startvoorraad`` (the share of inventoried paper gone).
    ``aandeel_<actie>`` is that action's share of ``gedaan``.

    Returns
    -------
    DataFrame
        Index ``eenheid`` (both units, always).
    """
    rows = []
    for e in EENHEDEN:
        g = v[v["eenheid"] == e]
        sv = float(g["startvoorraad"].sum(min_count=1))
        gedaan = float(g["gedaan"].sum())
        te_doen = float(g["te_doen"].sum(min_count=1))
        row = {"eenheid": e, "startvoorraad": sv, "gedaan": gedaan, "te_doen": te_doen,
               "overmeld": float(g["overmeld"].sum()),
               "aandeel_gedaan": 1 - te_doen / sv if sv and not math.isnan(sv) else math.nan}
        for a in VERWERKT:
            row[a] = float(g[a].sum())
            row[f"aandeel_{a}"] = row[a] / gedaan if gedaan else math.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("eenheid")


def papierloos(opschoning: pd.DataFrame, doelen: pd.DataFrame, tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """The milestone "papierloos": the day each department's backlog reached zero.

    Only departments with a positive startvoorraad in their hoofdeenheid that
    reached it on or before ``tot`` are listed.

    Returns
    -------
    DataFrame
        ``afdeling``, ``eenheid``, ``datum``, sorted by date.
    """
    reg = up_to(opschoning, tot)
    v = voortgang(opschoning, doelen, tot)
    hoofd = _hoofdeenheid(v)
    rows = []
    for afd, e in hoofd.items():
        sv = v.loc[(v["afdeling"] == afd) & (v["eenheid"] == e), "startvoorraad"]
        if sv.empty or pd.isna(sv.iloc[0]) or sv.iloc[0] <= 0:
            continue
        eigen = reg[(reg["afdeling"] == afd) & (reg["eenheid"] == e) & reg["actie"].isin(VERWERKT)]
        per_dag = eigen.groupby(eigen["datum"].dt.normalize())["hoeveelheid"].sum().sort_index().cumsum()
        bereikt = per_dag[per_dag >= sv.iloc[0] - 1e-9]
        if len(bereikt):
            rows.append({"afdeling": afd, "eenheid": e, "datum": bereikt.index[0]})
    out = pd.DataFrame(rows, columns=["afdeling", "eenheid", "datum"])
    out["datum"] = pd.to_datetime(out["datum"]).astype("datetime64[us]")
    return out.astype({"afdeling": "str", "eenheid": "str"}).sort_values(["datum", "afdeling"]).reset_index(drop=True)


# --------------------------------------------------------------------------- burn-up


def _plan(start: float, begin: pd.Timestamp, streef: Any, dagen: pd.DatetimeIndex) -> np.ndarray:
    """Target line: from 0 on ``begin`` straight up to ``start`` on ``streef``, flat after it."""
    if pd.isna(streef) or math.isnan(start):
        return np.full(len(dagen), np.nan)
    span = max((pd.Timestamp(streef) - begin).days, 1)
    frac = np.clip((dagen - begin).days.to_numpy() / span, 0.0, 1.0)
    return start * frac


def burnup(
    opschoning: pd.DataFrame,
    doelen: pd.DataFrame,
    tot: pd.Timestamp,
    afdeling: str | None = None,
    eenheid: str = METERS,
    freq: str = "W-SUN",
) -> pd.DataFrame:
    """Burn-up series: cumulative processed amount per period against the scope and the target line.

    For the organisation (``afdeling=None``) it adds up the departments with a
    known startvoorraad in ``eenheid``; its target line is the sum of theirs.
    A department's target line runs from 0 on its first registration (any
    action; the organisation's first when it has none) to its startvoorraad on
    its streefdatum.

    Returns
    -------
    DataFrame
        One row per period up to ``tot`` (``datum`` = the period's last day,
        the last one clipped to ``tot``): ``datum``, one cumulative column per
        verwerkt action, ``gedaan``, ``startvoorraad``, ``plan`` (NaN without
        a streefdatum). Empty when nothing is registered.
    """
    if eenheid not in EENHEDEN:
        raise UsageError(f"eenheid {eenheid!r} is not one of {', '.join(EENHEDEN)}.")
    tot = pd.Timestamp(tot).normalize()
    reg = up_to(opschoning, tot)
    start = startvoorraad(opschoning, doelen, tot)
    if afdeling is None:
        afds = [a for a in start.index if pd.notna(start.at[a, eenheid])]
    else:
        afds = [afdeling] if afdeling in start.index else []
    eigen = reg[reg["afdeling"].isin(afds)]
    cols = ["datum", *VERWERKT, "gedaan", "startvoorraad", "plan"]
    if reg.empty or not afds:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[us]" if c == "datum" else "float64") for c in cols})
    org_begin = reg["datum"].min().normalize()
    begin = (eigen["datum"].min() if len(eigen) else org_begin).normalize()
    dagen = pd.date_range(min(begin, tot), tot, freq="D")
    verwerkt = eigen[eigen["actie"].isin(VERWERKT) & (eigen["eenheid"] == eenheid)]
    daily = (
        verwerkt.groupby([verwerkt["datum"].dt.normalize(), "actie"])["hoeveelheid"].sum()
        .unstack("actie").reindex(index=dagen, columns=list(VERWERKT)).fillna(0.0).cumsum()
    )
    daily["gedaan"] = daily[list(VERWERKT)].sum(axis=1)
    plan = np.zeros(len(dagen))
    heeft_plan = False
    for a in afds:
        sv = float(start.at[a, eenheid])
        eigen_a = eigen[eigen["afdeling"] == a]
        b = (eigen_a["datum"].min() if len(eigen_a) else org_begin).normalize()
        p = _plan(sv, b, start.at[a, "streefdatum"], dagen)
        if not np.isnan(p).all():
            plan += p
            heeft_plan = True
    daily["plan"] = plan if heeft_plan else np.nan
    daily["startvoorraad"] = float(start.loc[afds, eenheid].sum(min_count=1))
    periods = dagen.to_period(freq)
    out = daily.groupby(periods).last()
    out.index = pd.DatetimeIndex([min(p.end_time.normalize(), tot) for p in out.index])
    if dagen[0] not in out.index:  # the chart starts on the first day, not at the end of its week
        out = pd.concat([daily.iloc[[0]], out])
    out = out.rename_axis("datum").rename_axis(columns=None).reset_index()
    out["datum"] = out["datum"].astype("datetime64[us]")
    return out[cols]


# --------------------------------------------------------------------------- link to the zaaksysteem


def documenten_per_maand(
    documenten: pd.DataFrame, zaken: pd.DataFrame, tot: pd.Timestamp, afdeling: str | None = None,
    documentgegevens: bool = True,
) -> pd.DataFrame:
    """Per month: new documents outside any zaak (organisation) and closed zaken without documents.

    Documents outside zaken have no department in the contract, so
    ``buiten_zaak`` and ``aandeel_buiten_zaak`` are always the organisation's
    (by ``creatiedatum``). ``gesloten`` and ``zonder_documenten`` count the
    zaken of ``afdeling`` (all when ``None``) closed in the month; a closed
    zaak without documents means its paperwork lives elsewhere. Without
    document data (``documentgegevens`` False: the source keeps its documents
    elsewhere) every column about documents is NaN, unknown, not 0; only
    ``gesloten`` is counted.

    Returns
    -------
    DataFrame
        Index ``maand`` (Period, every month up to ``tot``'s): ``documenten``,
        ``buiten_zaak``, ``aandeel_buiten_zaak``, ``gesloten``,
        ``zonder_documenten``, ``aandeel_zonder_documenten``.
    """
    tot = pd.Timestamp(tot).normalize()
    eind = np.datetime64((tot + pd.Timedelta(days=1)).to_datetime64(), "us")
    # Month numbers and counts as integers: on millions of documents pandas' Period grouping and a set of every
    # zaak with a document cost seconds per report.
    creatie = documenten["creatiedatum"].to_numpy("datetime64[us]")
    nieuw = creatie < eind  # a missing date is never before it
    m_doc = maand_index(creatie[nieuw])
    buiten = documenten["zaak"].isna().to_numpy()[nieuw]
    z = zaken if afdeling is None else zaken[(zaken["afdeling"] == afdeling).to_numpy()]
    einde = z["einddatum"].to_numpy("datetime64[us]")
    dicht = einde < eind
    m_zaak = maand_index(einde[dicht])
    met = pointed_at(z["identificatie"][dicht], documenten["zaak"])  # by a document of any date
    alle = np.concatenate([m_doc, m_zaak])
    if len(alle) == 0:
        return pd.DataFrame(columns=["documenten", "buiten_zaak", "aandeel_buiten_zaak", "gesloten",
                                     "zonder_documenten", "aandeel_zonder_documenten"],
                            index=pd.PeriodIndex([], freq="M", name="maand"), dtype="float64")
    eerste, laatste = int(alle.min()), int(maand_index(np.array([tot.to_datetime64()]))[0])
    n = laatste - eerste + 1  # every date is before the day after tot

    def count(m: np.ndarray, gewicht: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(m - eerste, weights=gewicht, minlength=n).astype(np.int64)

    maanden = pd.period_range(periode_tekst(eerste), periods=n, freq="M", name="maand")
    per = pd.DataFrame({"documenten": count(m_doc), "buiten_zaak": count(m_doc, buiten), "gesloten": count(m_zaak),
                        "zonder_documenten": count(m_zaak, ~met)}, index=maanden)
    per["aandeel_buiten_zaak"] = per["buiten_zaak"] / per["documenten"].where(per["documenten"] > 0)
    per["aandeel_zonder_documenten"] = per["zonder_documenten"] / per["gesloten"].where(per["gesloten"] > 0)
    if not documentgegevens:
        per = per.astype({c: "float64" for c in ("documenten", "buiten_zaak", "zonder_documenten")})
        per[["documenten", "buiten_zaak", "aandeel_buiten_zaak", "zonder_documenten",
             "aandeel_zonder_documenten"]] = np.nan
    return per[["documenten", "buiten_zaak", "aandeel_buiten_zaak", "gesloten", "zonder_documenten",
                "aandeel_zonder_documenten"]]


def voor_en_na(
    per_maand: pd.DataFrame,
    begin: pd.Timestamp | None,
    einde: pd.Timestamp | None,
    tot: pd.Timestamp,
    maanden: int = 3,
) -> pd.DataFrame:
    """Compare the months before a cleanup with the months after it.

    ``voor`` = the ``maanden`` full months before the month of ``begin`` (the
    first processed registration); ``na`` = the ``maanden`` months after the
    month of ``einde`` (papierloos), up to ``tot``'s month and only complete
    months; without an ``einde`` instead ``nu`` = the last ``maanden``
    complete months after the month of ``begin``. Shares are pooled (sum of
    counts over sum of totals).

    Returns
    -------
    DataFrame
        Index ``voor`` and ``na`` or ``nu`` (a row only when it has months), columns
        ``van``, ``tot`` (Periods), ``maanden``, ``aandeel_buiten_zaak``,
        ``aandeel_zonder_documenten``.
    """
    laatste = pd.Period(last_complete_month(pd.Timestamp(tot).date()), "M")
    ranges: dict[str, tuple[pd.Period, pd.Period]] = {}
    if begin is not None and pd.notna(begin):
        b = pd.Timestamp(begin).to_period("M")
        ranges["voor"] = (b - maanden, b - 1)
    if einde is not None and pd.notna(einde):
        e = pd.Timestamp(einde).to_period("M")
        ranges["na"] = (e + 1, min(e + maanden, laatste))
    elif begin is not None and pd.notna(begin):
        # Still busy: the latest complete months since the cleanup started show the trend so far.
        ranges["nu"] = (max(laatste - maanden + 1, pd.Timestamp(begin).to_period("M") + 1), laatste)
    rows = []
    for naam, (van, tm) in ranges.items():
        sel = per_maand[(per_maand.index >= van) & (per_maand.index <= tm)]
        if sel.empty:
            continue
        rows.append({
            "periode": naam, "van": sel.index.min(), "tot": sel.index.max(), "maanden": len(sel),
            # min_count=1: a sum of unknown counts (no document data) stays unknown instead of 0.
            "aandeel_buiten_zaak": sel["buiten_zaak"].sum(min_count=1) / sel["documenten"].sum(min_count=1)
            if sel["documenten"].sum() else math.nan,
            "aandeel_zonder_documenten": sel["zonder_documenten"].sum(min_count=1) / sel["gesloten"].sum()
            if sel["gesloten"].sum() else math.nan,
        })
    return pd.DataFrame(rows, columns=["periode", "van", "tot", "maanden", "aandeel_buiten_zaak",
                                       "aandeel_zonder_documenten"]).set_index("periode")


# --------------------------------------------------------------------------- the report


@dataclass
class Opschoonrapport:
    """Everything the opschoonactie notebook shows, for the organisation or one afdeling.

    Attributes
    ----------
    afdeling : str
        The afdeling, or :data:`ORGANISATIE`.
    peildatum : Timestamp
        Last day taken into account.
    instellingen : Instellingen
        Thresholds used.
    voortgang, prognose : DataFrame
        :func:`voortgang` and :func:`prognose` of every afdeling.
    aandacht : DataFrame
        :func:`aandacht` (the whole organisation; for an afdeling only its own row).
    totalen : DataFrame
        :func:`totalen` of the organisation, or of the afdeling.
    papierloos : DataFrame
        :func:`papierloos` (for an afdeling only its own row).
    documenten : DataFrame
        :func:`documenten_per_maand` for the afdeling (organisation: all zaken).
    documentgegevens : bool
        Whether the snapshot has document data (``meta.json``); without it the
        document shares of ``documenten`` and ``voor_na`` are NaN.
    voor_na : DataFrame
        :func:`voor_en_na` around the afdeling's cleanup (empty for the organisation).
    registraties : DataFrame
        The afdeling's latest registrations up to the peildatum, newest first
        (free text included: escape it when showing).
    opschoning, doelen : DataFrame
        The input tables (all registrations, also after the peildatum).
    """

    afdeling: str
    peildatum: pd.Timestamp
    instellingen: Instellingen
    voortgang: pd.DataFrame
    prognose: pd.DataFrame
    aandacht: pd.DataFrame
    totalen: pd.DataFrame
    papierloos: pd.DataFrame
    documenten: pd.DataFrame
    voor_na: pd.DataFrame
    registraties: pd.DataFrame
    opschoning: pd.DataFrame
    doelen: pd.DataFrame
    documentgegevens: bool = True

    @property
    def is_organisatie(self) -> bool:
        """Whether this is the organisation's report."""
        return self.afdeling == ORGANISATIE

    @property
    def rij(self) -> pd.Series | None:
        """The afdeling's row of :attr:`prognose` (``None`` for the organisation or without cleanup data)."""
        if self.is_organisatie:
            return None
        sel = self.prognose[self.prognose["afdeling"] == self.afdeling]
        return sel.iloc[0] if len(sel) else None

    @property
    def heeft_gegevens(self) -> bool:
        """Whether there is anything to show (a target or a registration)."""
        if self.is_organisatie:
            return len(self.prognose) > 0
        return self.rij is not None

    def melding(self) -> str | None:
        """A short Dutch text when there is nothing to show, else ``None``."""
        if self.heeft_gegevens:
            return None
        wie = "de organisatie" if self.is_organisatie else f"afdeling {self.afdeling}"
        return (f"Voor {wie} is (nog) geen opschoonactie vastgelegd: er is geen startvoorraad en er zijn geen "
                f"registraties tot en met {nl.datum(self.peildatum)}.")

    def burnup(self, eenheid: str = METERS) -> pd.DataFrame:
        """:func:`burnup` for this report's afdeling (the organisation: all afdelingen with a startvoorraad)."""
        return burnup(self.opschoning, self.doelen, self.peildatum,
                      None if self.is_organisatie else self.afdeling, eenheid)

    def eenheden(self) -> list[str]:
        """Units with a startvoorraad or processed amounts in this report."""
        v = self.voortgang if self.is_organisatie else self.voortgang[self.voortgang["afdeling"] == self.afdeling]
        return [e for e in EENHEDEN if e in set(v["eenheid"])]

    def organisatie_klaar(self) -> tuple[pd.Timestamp | None, str | None]:
        """When the whole organisation is expected to be done, and the afdeling that decides it.

        ``(None, None)`` when some afdeling with a startvoorraad has no forecast
        (no pace) or nothing is left; afdelingen without a target do not count.
        """
        bezig = self.prognose[self.prognose["startvoorraad"].notna() & (self.prognose["te_doen"] > 0)]
        if bezig.empty or bezig["verwachte_einddatum"].isna().any():
            return None, None
        laatste = bezig.loc[bezig["verwachte_einddatum"].idxmax()]
        return pd.Timestamp(laatste["verwachte_einddatum"]), str(laatste["afdeling"])

    def kerncijfers(self) -> dict[str, str]:
        """A few formatted Dutch figures for the header and the index page."""
        if not self.heeft_gegevens:
            return {"Opschoonactie": "niet vastgelegd"}
        m = self.totalen.loc[METERS] if METERS in self.totalen.index else None
        out: dict[str, str] = {}
        if self.is_organisatie:
            p = self.prognose[self.prognose["oordeel"] != GEEN_DOEL]
            out["Afdelingen klaar"] = f"{nl.getal((p['oordeel'] == KLAAR).sum())} van {nl.getal(len(p))}"
            out["Afdelingen achter"] = nl.getal((p["oordeel"] == ACHTER).sum())
        else:
            r = self.rij
            assert r is not None
            out["Oordeel"] = str(r["oordeel"])
            if pd.notna(r["verwachte_einddatum"]):
                out["Verwacht klaar"] = nl.datum(r["verwachte_einddatum"])
        if m is not None and (m["gedaan"] > 0 or pd.notna(m["startvoorraad"])):
            out["Strekkende meter opgeruimd"] = hoeveel(m["gedaan"], METERS).removesuffix(" m")
            if pd.notna(m["aandeel_gedaan"]):
                out["Gedaan (meters)"] = nl.procent(m["aandeel_gedaan"], 0)
        if m is not None and m["overmeld"] > 0:
            out["Meer verwerkt dan geïnventariseerd"] = f"{nl.getal(m['overmeld'], 1)} m"
        return out


def make_report(
    snap: Any, afdeling: str = ORGANISATIE, periode: object = None, instellingen: Instellingen | None = None,
    laatste: int = 10,
) -> Opschoonrapport:
    """Compute the opschoonactie report from a loaded snapshot.

    Parameters
    ----------
    snap : Snapshot
        Needs ``opschoning``, ``opschoning_doelen``, ``zaken`` and ``documenten``.
    afdeling : str
        An afdeling, or ``"organisatie"``.
    periode : str, optional
        See :func:`peildatum`.
    instellingen : Instellingen, optional
        Default: the built-in defaults of :class:`Instellingen`.
    laatste : int
        Number of recent registrations to list for an afdeling.
    """
    inst = instellingen or Instellingen()
    tot = peildatum(periode, snap.meta)
    reg, doelen = snap["opschoning"], snap["opschoning_doelen"]
    v = voortgang(reg, doelen, tot)
    prog = prognose(reg, doelen, tot, inst)
    pl = papierloos(reg, doelen, tot)
    org = afdeling == ORGANISATIE
    att = aandacht(prog, v, None if not org else inst.aandacht_max)
    eigen_v = v if org else v[v["afdeling"] == afdeling]
    documentgegevens = has_document_data(snap.meta)
    docs = documenten_per_maand(snap["documenten"], snap["zaken"], tot, None if org else afdeling, documentgegevens)
    vn = voor_en_na(docs, None, None, tot, inst.voor_na_maanden)
    regs = up_to(reg, tot).iloc[0:0]
    if not org:
        att = att[att["afdeling"] == afdeling].reset_index(drop=True)
        pl = pl[pl["afdeling"] == afdeling].reset_index(drop=True)
        rij = prog[prog["afdeling"] == afdeling]
        if len(rij):
            eind = pl["datum"].iloc[0] if len(pl) else None
            vn = voor_en_na(docs, rij["eerste_verwerkt"].iloc[0], eind, tot, inst.voor_na_maanden)
        regs = up_to(reg, tot)
        regs = regs[regs["afdeling"] == afdeling].sort_values("datum", ascending=False, kind="stable").head(laatste)
    return Opschoonrapport(
        afdeling=afdeling, peildatum=tot, instellingen=inst, voortgang=v, prognose=prog, aandacht=att,
        totalen=totalen(eigen_v), papierloos=pl, documenten=docs, voor_na=vn,
        registraties=regs.reset_index(drop=True), opschoning=reg, doelen=doelen, documentgegevens=documentgegevens,
    )
