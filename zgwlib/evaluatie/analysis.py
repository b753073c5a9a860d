"""The evaluation after about eight months (VNG tip 10): evidence for the board.

Every figure of the ``evaluatie`` notebook is computed here; the notebook only
calls, shows and explains. Definitions (also in ``docs/metrics.md``, section
*Evaluatie*):

* Periods (:func:`determine_perioden`): *vóór* = the ``vergelijkingsperiode_maanden``
  months before the invoeringsdatum, *na* = the same number of months before
  the evaluatiedatum (default eight months after go-live), so the comparison
  skips the transition months. Data after the evaluatiedatum is never used.
* Adoption (:func:`adoptie`), per afdeling: the *normal volume* is the
  steady state after go-live, the median number of zaken registered per month
  in the last ``referentie_maanden`` complete months before the evaluation.
  *Aandeel werk als zaak* in a month = registered zaken / normal volume.
  *Geadopteerd sinds* = the first month from go-live on whose share is at least
  ``adoptie_drempel`` and whose share averaged from then to the evaluation is
  too. An afdeling *blijft achter* when it has no such month, found it more
  than ``achterstand_maanden`` after go-live, or registered more than
  ``max_achteraf`` of its closed zaken afterwards in those last months (the
  monthly report's signal). Below ``min_volume`` zaken a month there is no
  verdict (chance alone moves small numbers too much). The volume against the
  median month before go-live is shown beside it, not judged: without a whole
  year before go-live a seasonal department would look wrong. Active users and staff come from
  :func:`zgwlib.maandrapportage.figures.maandcijfers`; a zaaktype is *live* from the first
  month after go-live in which a zaak of it was registered.
* Before and after (:func:`voor_en_na`), per zaaktype: closed zaken by
  einddatum in each period that started at most ``aanloop`` days before the
  period began, where ``aanloop`` is how long the data runs before the vóór
  period (zaken started before the data begins are missing from the vóór
  period, so the na period leaves the same long zaken out); median and 90th percentile doorlooptijd
  (einddatum - startdatum, days) and the share closed within the legal term.
  The change is tested with a bootstrap (:func:`bootstrap_verschil`): the
  interval of the difference (na - vóór) over ``trekkingen`` resamples of both
  periods. *Sneller* / *langzamer* when the whole interval is below / above
  zero, else *geen aantoonbaar verschil*. Zaaktypes with fewer than
  ``min_zaken`` closed zaken in either period are listed, not tested.
* Signals (:func:`signaalverloop`): the monthly report's own signal table
  (:func:`zgwlib.maandrapportage.signals.signalen`) for every month since go-live.
* Survey (:func:`enquete`): per question the score distribution, the mean and
  the share that agrees (4 or 5) at the nulmeting and the evaluatie, and the
  shift of the mean with a bootstrap interval. An afdeling is shown on its own
  only with at least ``min_respondenten`` respondents in every round; smaller
  ones are merged into "Overige afdelingen" (and when that group is still too
  small, the smallest afdeling joins it), for privacy.

The charts and tables of the notebook are in :mod:`zgwlib.evaluatie.display`,
the draft findings in :mod:`zgwlib.evaluatie.findings`, the Excel appendix in
:mod:`zgwlib.evaluatie.excel`; the statistics in :mod:`zgwlib.evaluatie.bootstrap` and
the survey figures in :mod:`zgwlib.evaluatie.survey`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.maandrapportage import figures as metrics
from zgwlib.core import nl
from zgwlib.maandrapportage import signals
from zgwlib.evaluatie.bootstrap import GEEN_VERSCHIL, Verschil, bootstrap_verschil, statistiek
from zgwlib.core.cache import cached_frame
from zgwlib.core.errors import UsageError
from zgwlib.core.terms import ORGANISATIE, has_document_data
from zgwlib.evaluatie.survey import EVALUATIE, NEGATIEVER, NULMETING, OVERIGE, POSITIEVER, Enquete, enquete, enquete_groepen
from zgwlib.core import periods
from zgwlib.data.sources import load_snapshot
from zgwlib.opschoonactie import figures as cleanup

SNELLER, LANGZAMER, TE_WEINIG = "sneller", "langzamer", "te weinig zaken"
VAKER_OP_TIJD, MINDER_OP_TIJD = "vaker op tijd", "minder vaak op tijd"
GEADOPTEERD, ACHTER, WEINIG_VOLUME, GEEN_ZAKEN = "geadopteerd", "blijft achter", "te weinig zaken", "geen zaken"
#: The adoption verdict of a department marked in :attr:`Instellingen.raadplegende_afdelingen` that would otherwise
#: lag or have too few zaken: its staff mainly read dossiers, which leaves no trace in the data.
RAADPLEEGT = "raadpleegt vooral"

#: Signals of the monthly report followed in the evaluation's chart and findings.
KERNSIGNALEN = ("achteraf_geregistreerd", "gesloten_zonder_documenten", "documenten_buiten_zaak")

#: Tables :func:`load` reads, with the columns needed (None: all).
KOLOMMEN: dict[str, list[str] | None] = {
    **metrics.KOLOMMEN,
    "enquete": None,
    "opschoning": None,
    "opschoning_doelen": None,
}


@dataclass(frozen=True)
class Instellingen:
    """Thresholds of the evaluation (an evaluator may pass other values in the notebook).

    Attributes
    ----------
    evaluatie_maanden : int
        Default evaluatiedatum: this many months after the invoeringsdatum.
    vergelijkingsperiode_maanden : int
        Length of the vóór and na periods.
    min_zaken : int
        Closed zaken a zaaktype needs in each period to be tested.
    trekkingen : int
        Bootstrap resamples.
    betrouwbaarheid : float
        Confidence level of the intervals.
    seed : int
        Seed of the bootstrap (same data, same intervals).
    adoptie_drempel : float
        Share of the normal volume that counts as "all work registered".
    achterstand_maanden : int
        An afdeling adopted more than this many months after go-live lags.
    referentie_maanden : int
        Last complete months whose median volume is the afdeling's normal (steady-state) volume.
    max_achteraf : float
        Largest share of closed zaken registered afterwards in those months for an adopted afdeling.
    min_volume : float
        Normal volume (zaken per month) below which no adoption verdict is given.
    min_respondenten : int
        Respondents a group needs in every round to be shown.
    max_bevindingen : int
        Items per list in the draft findings.
    raadplegende_afdelingen : list of str
        Departments whose staff mainly consult dossiers (a klantcontactcentrum), as in the monthly report's setting
        of the same name: reading leaves no trace in the data, so where their adoption would be judged lagging, too
        small or without zaken, it is labelled "raadpleegt vooral" instead (not a lagging department).
    """

    evaluatie_maanden: int = 8
    vergelijkingsperiode_maanden: int = 4
    min_zaken: int = 15
    trekkingen: int = 2000
    betrouwbaarheid: float = 0.95
    seed: int = 2026
    adoptie_drempel: float = 0.8
    achterstand_maanden: int = 3
    referentie_maanden: int = 3
    max_achteraf: float = 0.10
    min_volume: float = 10.0
    min_respondenten: int = 5
    max_bevindingen: int = 3
    raadplegende_afdelingen: tuple[str, ...] = ()


# --------------------------------------------------------------------------- periods


def _dag(value: Any, naam: str) -> pd.Timestamp:
    try:
        t = pd.Timestamp(value)
    except (ValueError, TypeError):
        t = pd.NaT
    if t is pd.NaT or pd.isna(t):
        raise UsageError(f"{naam} = {value!r} is not a date; use YYYY-MM-DD, for example 2025-03-01.")
    return t.normalize()


@dataclass(frozen=True)
class Perioden:
    """The dates of one evaluation (all inclusive days).

    Attributes
    ----------
    invoeringsdatum, evaluatiedatum : Timestamp
        Go-live and evaluation date (data from the evaluatiedatum on is not used).
    peildatum : Timestamp
        Last day used: the day before the evaluatiedatum, or the data's last day.
    voor_van, voor_tot, na_van, na_tot : Timestamp
        The comparison periods.
    eerste_maand, laatste_maand : int
        Month indexes (:func:`zgwlib.maandrapportage.figures.maand_index`) of go-live and of
        the last complete month up to the peildatum.
    aanloop : Timedelta or None
        How long the data runs before the vóór period (None: unknown, no limit).
    opmerkingen : tuple of str
        Dutch notes when a period had to be shortened.
    """

    invoeringsdatum: pd.Timestamp
    evaluatiedatum: pd.Timestamp
    peildatum: pd.Timestamp
    voor_van: pd.Timestamp
    voor_tot: pd.Timestamp
    na_van: pd.Timestamp
    na_tot: pd.Timestamp
    eerste_maand: int
    laatste_maand: int
    aanloop: pd.Timedelta | None = None
    opmerkingen: tuple[str, ...] = ()

    @property
    def maanden(self) -> list[str]:
        """Every month from go-live to the last complete month, ``YYYY-MM``."""
        return [periods.periode_tekst(m) for m in range(self.eerste_maand, self.laatste_maand + 1)]

    def tekst(self, welke: str) -> str:
        """``"1 november 2024 t/m 28 februari 2025"`` for ``"voor"`` or ``"na"``."""
        van, tot = (self.voor_van, self.voor_tot) if welke == "voor" else (self.na_van, self.na_tot)
        return f"{nl.datum(van)} t/m {nl.datum(tot)}"


def _maand(t: pd.Timestamp) -> int:
    return (t.year - 1970) * 12 + t.month - 1


def determine_perioden(
    meta: dict[str, Any],
    invoeringsdatum: Any = None,
    evaluatiedatum: Any = None,
    maanden: int | None = None,
    instellingen: Instellingen | None = None,
) -> Perioden:
    """Work out the evaluation's dates from the notebook parameters and the snapshot's ``meta.json``.

    Parameters
    ----------
    meta : dict
        The snapshot's meta; ``invoeringsdatum`` is the default go-live,
        ``periode_van``/``periode_tot`` bound the periods.
    invoeringsdatum, evaluatiedatum : date or str, optional
        Go-live (default ``meta["invoeringsdatum"]``) and evaluation date
        (default :attr:`Instellingen.evaluatie_maanden` months later).
    maanden : int, optional
        Length of the vóór and na periods (default :attr:`Instellingen.vergelijkingsperiode_maanden`).

    Raises
    ------
    UsageError
        Without a go-live date, with dates in the wrong order, or when the data
        ends before go-live.
    """
    inst = instellingen or Instellingen()
    bron = invoeringsdatum if invoeringsdatum not in (None, "") else meta.get("invoeringsdatum")
    if bron in (None, ""):
        raise UsageError("the snapshot's meta.json has no invoeringsdatum; set the notebook parameter "
                         "invoeringsdatum (for example \"2025-03-01\").")
    inv = _dag(bron, "invoeringsdatum")
    n = inst.vergelijkingsperiode_maanden if maanden is None else maanden
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise UsageError(f"vergelijkingsperiode_maanden = {n!r} must be a whole number of at least 1.")
    n = int(n)
    ev = (_dag(evaluatiedatum, "evaluatiedatum") if evaluatiedatum not in (None, "")
          else inv + pd.DateOffset(months=inst.evaluatie_maanden))
    if ev <= inv:
        raise UsageError(f"evaluatiedatum {ev.date()} must be after the invoeringsdatum {inv.date()}.")
    notes: list[str] = []
    dag = pd.Timedelta(days=1)
    peil = ev - dag
    if meta.get("periode_tot"):
        tot = pd.Timestamp(str(meta["periode_tot"])[:10])
        if tot < inv:
            raise UsageError(f"the data ends on {tot.date()}, before the invoeringsdatum {inv.date()}.")
        if tot < peil:
            peil = tot
            notes.append(f"De gegevens lopen tot en met {nl.datum(tot)}; de evaluatie gebruikt die dag als einde.")
    voor_van = inv - pd.DateOffset(months=n)
    aanloop = None
    if meta.get("periode_van"):
        begin = pd.Timestamp(str(meta["periode_van"])[:10])
        aanloop = max(voor_van - begin, pd.Timedelta(0))
        if begin > voor_van:
            if begin >= inv:
                notes.append("Er zijn geen gegevens van vóór de invoering: een vergelijking vóór en na kan niet.")
            else:
                notes.append(f"De gegevens beginnen op {nl.datum(begin)}: de periode vóór de invoering is korter "
                             f"dan {n} maanden.")
            voor_van = begin
    na_van = peil + dag - pd.DateOffset(months=n)
    if na_van < inv:
        na_van = inv
        notes.append(f"De evaluatie ligt minder dan {n} maanden na de invoering: de periode na de invoering is korter.")
    last = _maand(peil) if (peil + dag).day == 1 else _maand(peil) - 1
    return Perioden(inv, ev, peil, voor_van, inv - dag, na_van, peil, _maand(inv), max(last, _maand(inv)),
                    aanloop, tuple(notes))


# --------------------------------------------------------------------------- before and after


def _tussen(dates: pd.Series, van: pd.Timestamp, tot: pd.Timestamp) -> np.ndarray:
    d = dates.to_numpy("datetime64[us]")
    return (d >= np.datetime64(van.to_datetime64(), "us")) & (d <= np.datetime64(tot.to_datetime64(), "us"))


def _eigen(basis: metrics.Basis, afdeling: str) -> pd.DataFrame:
    z = basis.zaken
    return z if afdeling == ORGANISATIE else z[(z["afdeling"] == afdeling).to_numpy()]


def voor_en_na(
    basis: metrics.Basis, perioden: Perioden, afdeling: str = ORGANISATIE, instellingen: Instellingen | None = None
) -> pd.DataFrame:
    """Lead time and on-time share per zaaktype, before against after go-live, with bootstrap intervals.

    Returns
    -------
    DataFrame
        One row per zaaktype with closed zaken in either period: ``zaaktype``,
        ``omschrijving`` (untrusted text), ``afdeling``, ``n_voor``, ``n_na``,
        ``getest``; for ``mediaan``, ``p90`` and ``termijn`` (share within the
        legal term) the columns ``<x>_voor``, ``<x>_na``, ``<x>_verschil``,
        ``<x>_laag``, ``<x>_hoog``; ``verandering`` (median change as a share
        of the vóór median) with ``verandering_laag``/``_hoog`` (the interval
        of the difference divided by the same median), ``oordeel`` (sneller,
        langzamer, geen aantoonbaar verschil, te weinig zaken), ``termijn_oordeel``
        and ``reden`` (why a zaaktype was not tested). Tested zaaktypes first,
        largest improvement first.
    """
    inst = instellingen or Instellingen()
    z = _select_closed_in_periods(_eigen(basis, afdeling), perioden)
    out = pd.DataFrame(_compare_zaaktypen(basis, z, inst))
    if out.empty:
        kolommen = ["zaaktype", "omschrijving", "afdeling", "n_voor", "n_na", "getest"] + [
            f"{m}_{s}" for m in ("mediaan", "p90", "termijn") for s in ("voor", "na", "verschil", "laag", "hoog")]
        return pd.DataFrame(columns=kolommen + ["verandering", "verandering_laag", "verandering_hoog", "oordeel",
                                                "termijn_oordeel", "reden"])
    return _judge_voor_en_na(out, inst)


def _select_closed_in_periods(z: pd.DataFrame, perioden: Perioden) -> pd.DataFrame:
    """The zaken closed in the vóór or the na period, with their ``periode`` (``voor`` or ``na``)."""
    z = z[z["gesloten"].to_numpy()]
    voor = _tussen(z["einddatum"], perioden.voor_van, perioden.voor_tot)
    na = _tussen(z["einddatum"], perioden.na_van, perioden.na_tot)
    if perioden.aanloop is not None:
        # Like with like: the na period leaves out the long zaken the vóór period cannot contain.
        start = z["startdatum"]
        voor &= (start >= perioden.voor_van - perioden.aanloop).to_numpy()
        na &= (start >= perioden.na_van - perioden.aanloop).to_numpy()
    return z.loc[voor | na, ["zaaktype", "afdeling", "doorlooptijd", "binnen_termijn"]].assign(
        periode=np.where(voor[voor | na], "voor", "na"))


def _compare_zaaktypen(basis: metrics.Basis, z: pd.DataFrame, inst: Instellingen) -> list[dict[str, Any]]:
    """Per zaaktype (in code order, one random stream for all): its counts and each statistic vóór against na."""
    zt = z["zaaktype"].astype("str")
    namen = basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    eigenaar = basis.zaaktypen.set_index("identificatie")["afdeling"].astype("str")
    rng = np.random.default_rng(inst.seed)
    rows = []
    for code in sorted(zt.unique()):
        sel = (zt == code).to_numpy()
        part = z[sel]
        a, b = part[part["periode"] == "voor"], part[part["periode"] == "na"]
        row: dict[str, Any] = {
            "zaaktype": code, "omschrijving": str(namen.get(code, code)),
            "afdeling": str(eigenaar.get(code, part["afdeling"].astype("str").mode().iloc[0])),
            "n_voor": len(a), "n_na": len(b),
        }
        getest = len(a) >= inst.min_zaken and len(b) >= inst.min_zaken
        row["getest"] = getest
        for naam, kolom, soort in (("mediaan", "doorlooptijd", "mediaan"), ("p90", "doorlooptijd", "p90"),
                                   ("termijn", "binnen_termijn", "gemiddelde")):
            if getest:
                v = bootstrap_verschil(a[kolom], b[kolom], soort, trekkingen=inst.trekkingen,
                                       betrouwbaarheid=inst.betrouwbaarheid, rng=rng)
            else:
                s_a = statistiek(a[kolom].dropna().to_numpy(), soort)
                s_b = statistiek(b[kolom].dropna().to_numpy(), soort)
                v = Verschil(s_a, s_b, s_b - s_a, math.nan, math.nan)
            row.update({f"{naam}_voor": v.voor, f"{naam}_na": v.na, f"{naam}_verschil": v.verschil,
                        f"{naam}_laag": v.laag, f"{naam}_hoog": v.hoog, f"_{naam}": v.richting})
        rows.append(row)
    return rows


def _judge_voor_en_na(out: pd.DataFrame, inst: Instellingen) -> pd.DataFrame:
    """The relative change, the verdicts and the reason a zaaktype was not tested; tested and most improved first."""
    basis_mediaan = out["mediaan_voor"].where(out["mediaan_voor"] > 0)
    for s, bron in (("", "verschil"), ("_laag", "laag"), ("_hoog", "hoog")):
        out[f"verandering{s}"] = out[f"mediaan_{bron}"] / basis_mediaan
    out["oordeel"] = np.select([~out["getest"], out["_mediaan"] < 0, out["_mediaan"] > 0],
                               [TE_WEINIG, SNELLER, LANGZAMER], GEEN_VERSCHIL)
    out["termijn_oordeel"] = np.select(
        [~out["getest"], out["termijn_laag"].isna(), out["_termijn"] > 0, out["_termijn"] < 0],
        [TE_WEINIG, "–", VAKER_OP_TIJD, MINDER_OP_TIJD], GEEN_VERSCHIL)
    out["reden"] = [
        "" if g else f"vóór {nl.getal(a)}, na {nl.getal(b)} afgesloten zaken; minstens {nl.getal(inst.min_zaken)} "
                     "in elke periode nodig"
        for g, a, b in zip(out["getest"], out["n_voor"], out["n_na"], strict=True)]
    out["_sort"] = out["verandering"].fillna(out["mediaan_verschil"] / 1e6)
    out = out.sort_values(["getest", "_sort", "n_na"], ascending=[False, True, False], kind="stable")
    return out.drop(columns=["_sort", "_mediaan", "_p90", "_termijn"]).reset_index(drop=True)


# --------------------------------------------------------------------------- adoption


@dataclass
class Adoptie:
    """Adoption per afdeling (see the module docstring for the definitions).

    Attributes
    ----------
    per_maand : DataFrame
        ``afdeling`` (and ``organisatie``), ``maand`` (``YYYY-MM``), ``na_invoering``,
        ``ontvangen``, ``normaal_per_maand``, ``aandeel_werk``,
        ``actieve_gebruikers``, ``medewerkers``, ``aandeel_actief``,
        ``zaaktypen_live``, ``achteraf`` (share of closed zaken registered afterwards).
    per_afdeling : DataFrame
        One row per afdeling, the organisation last: ``afdeling``,
        ``normaal_per_maand``, ``voor_per_maand`` (median month before
        go-live), ``t_o_v_voor`` (their ratio), ``achteraf`` (share of closed
        zaken registered afterwards in the reference months), ``actieve_gebruikers``, ``medewerkers``, ``aandeel_actief`` (last
        month), ``zaaktypen_live``, ``zaaktypen_totaal``, ``geadopteerd_sinds``
        (``YYYY-MM`` or None), ``maanden_na_invoering``, ``oordeel`` and
        ``toelichting`` (Dutch).
    """

    per_maand: pd.DataFrame
    per_afdeling: pd.DataFrame

    def achterblijvers(self) -> pd.DataFrame:
        """The afdelingen that lag, latest adoption first."""
        a = self.per_afdeling
        return a[(a["oordeel"] == ACHTER) & (a["afdeling"] != ORGANISATIE)].reset_index(drop=True)


def _zaaktypen_live(z: pd.DataFrame, m0: int, m1: int) -> pd.DataFrame:
    """Per afdeling (and organisation) and month m0..m1: zaaktypes used at least once since month m0."""
    na = z.loc[(z["m_reg"] >= m0) & (z["m_reg"] <= m1), ["afdeling", "zaaktype", "m_reg"]]
    eerste = na.groupby(["afdeling", "zaaktype"], observed=True)["m_reg"].min().reset_index()
    org = eerste.groupby("zaaktype", observed=True)["m_reg"].min().reset_index().assign(afdeling=ORGANISATIE)
    eerste = pd.concat([eerste.assign(afdeling=eerste["afdeling"].astype("str")), org], ignore_index=True)
    maanden = pd.DataFrame({"m": np.arange(m0, m1 + 1)})
    per = eerste.groupby(["afdeling", "m_reg"]).size().rename("nieuw").reset_index()
    rows = []
    for afd, g in per.groupby("afdeling"):
        s = g.set_index("m_reg")["nieuw"].reindex(maanden["m"], fill_value=0).cumsum()
        rows.append(pd.DataFrame({"afdeling": afd, "maand": [periods.periode_tekst(int(m)) for m in s.index],
                                  "zaaktypen_live": s.to_numpy()}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["afdeling", "maand",
                                                                                 "zaaktypen_live"])


def adoptie(basis: metrics.Basis, perioden: Perioden, instellingen: Instellingen | None = None) -> Adoptie:
    """Share of work registered as zaken, active users against staff and zaaktypes live, per afdeling."""
    inst = instellingen or Instellingen()
    t, normaal, voor = _make_maandtabel(basis, perioden, inst)
    totaal = _count_zaaktypen(basis)
    rows = [_make_adoptie_rij(afd, g, float(normaal.get(afd, 0.0) or 0.0), float(voor.get(afd, math.nan)),
                              int(totaal.get(afd, 0)), perioden, inst)
            for afd, g in t.groupby("afdeling", sort=False)]
    rows.sort(key=lambda r: (r["afdeling"] == ORGANISATIE, str(r["afdeling"]).lower()))
    per = pd.DataFrame(rows)
    cols = ["afdeling", "maand", "na_invoering", "ontvangen", "normaal_per_maand", "aandeel_werk",
            "actieve_gebruikers", "medewerkers", "aandeel_actief", "zaaktypen_live", "achteraf"]
    return Adoptie(t[cols].reset_index(drop=True), per)


def _make_maandtabel(basis: metrics.Basis, perioden: Perioden,
                     inst: Instellingen) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The monthly figures per afdeling with share of work and zaaktypes live; the normal and the vóór volume."""
    z = basis.zaken
    eerste_data = int(z["m_reg"].min()) if len(z) else perioden.eerste_maand
    # From the first whole month of the vóór period (or of the data) to the last complete month.
    m0 = max(_maand(perioden.voor_van) + (0 if perioden.voor_van.day == 1 else 1),
             min(eerste_data, perioden.eerste_maand))
    m1 = perioden.laatste_maand
    tabel = metrics.maandcijfers(basis, periods.periode_tekst(m1), maanden=m1 - m0 + 1)
    t = tabel[["afdeling", "maand", "ontvangen", "gesloten", "achteraf_aantal", "actieve_gebruikers",
               "medewerkers", "aandeel_actief", "achteraf"]].copy()
    t["m"] = [periods.periode_index(p) for p in t["maand"]]
    t["na_invoering"] = t["m"] >= perioden.eerste_maand
    # The steady state: the last few complete months, never months before go-live.
    t["_ref"] = t["m"] > max(m1 - inst.referentie_maanden, perioden.eerste_maand - 1)
    t["_voor"] = t["m"] < _maand(perioden.invoeringsdatum)
    normaal = t[t["_ref"]].groupby("afdeling")["ontvangen"].median()
    voor = t[t["_voor"]].groupby("afdeling")["ontvangen"].median()
    t["normaal_per_maand"] = t["afdeling"].map(normaal).astype("float64")
    t["aandeel_werk"] = (t["ontvangen"] / t["normaal_per_maand"].where(t["normaal_per_maand"] > 0)).where(
        t["na_invoering"])
    live = _zaaktypen_live(z, perioden.eerste_maand, m1)
    t = t.merge(live, on=["afdeling", "maand"], how="left")
    t["zaaktypen_live"] = t["zaaktypen_live"].fillna(0).astype("int64").where(t["na_invoering"])
    return t, normaal, voor


def _count_zaaktypen(basis: metrics.Basis) -> pd.Series:
    """Zaaktypes per afdeling (and the organisation): in the catalogue or used, whichever is more."""
    z = basis.zaken
    catalogus = basis.zaaktypen.groupby(basis.zaaktypen["afdeling"].astype("str")).size()
    gebruikt = z.groupby(z["afdeling"].astype("str"), observed=True)["zaaktype"].nunique()
    totaal = pd.concat([catalogus, gebruikt], axis=1).max(axis=1)
    totaal[ORGANISATIE] = max(len(basis.zaaktypen), int(z["zaaktype"].nunique()))
    return totaal


def _make_adoptie_rij(afd: Any, g: pd.DataFrame, norm: float, v: float, totaal: int, perioden: Perioden,
                      inst: Instellingen) -> dict[str, Any]:
    """One afdeling's row of :attr:`Adoptie.per_afdeling` from its monthly figures ``g``."""
    g = g.sort_values("m")
    laatste, ref = g.iloc[-1], g[g["_ref"]]
    achteraf = ref["achteraf_aantal"].sum() / ref["gesloten"].sum() if ref["gesloten"].sum() else math.nan
    sinds = _find_adopted_since(g, norm, inst) if norm >= inst.min_volume else None
    laat = None if sinds is None else sinds - perioden.eerste_maand
    oordeel, uitleg = _judge_adoptie(norm, sinds, laat, achteraf, len(ref), inst)
    if oordeel != GEADOPTEERD and afd in inst.raadplegende_afdelingen:
        # What the figures say stays readable; it is not a verdict on use (docs/metrics.md, signals).
        oordeel, uitleg = RAADPLEEGT, f"{signals.RAADPLEEGT} ({uitleg})"
    return {
        "afdeling": afd, "normaal_per_maand": norm, "voor_per_maand": v,
        "t_o_v_voor": norm / v if v > 0 else math.nan, "achteraf": achteraf,
        "actieve_gebruikers": int(laatste["actieve_gebruikers"]), "medewerkers": int(laatste["medewerkers"]),
        "aandeel_actief": laatste["aandeel_actief"],
        "zaaktypen_live": int(laatste["zaaktypen_live"]) if pd.notna(laatste["zaaktypen_live"]) else 0,
        "zaaktypen_totaal": totaal,
        "geadopteerd_sinds": periods.periode_tekst(sinds) if sinds is not None else None,
        "maanden_na_invoering": laat, "oordeel": oordeel, "toelichting": uitleg,
    }


def _find_adopted_since(g: pd.DataFrame, norm: float, inst: Instellingen) -> int | None:
    """*Geadopteerd sinds*: the first month after go-live from which the share of work stays at the threshold."""
    share = g.loc[g["na_invoering"], ["m", "aandeel_werk"]].reset_index(drop=True)
    s = share["aandeel_werk"].to_numpy()
    # Mean share from each month to the end, so one quiet month later on does not undo adoption.
    rest = np.cumsum(s[::-1])[::-1] / np.arange(len(s), 0, -1)
    ok = np.flatnonzero((s >= inst.adoptie_drempel) & (rest >= inst.adoptie_drempel))
    return int(share["m"].iloc[ok[0]]) if len(ok) else None


def _judge_adoptie(norm: float, sinds: int | None, laat: int | None, achteraf: float, ref_maanden: int,
                   inst: Instellingen) -> tuple[str, str]:
    """The adoption verdict and its Dutch explanation (see the module docstring)."""
    wanneer = nl.maand(periods.periode_tekst(sinds)) if sinds is not None else ""
    if norm == 0:
        return GEEN_ZAKEN, "geen zaken geregistreerd in de laatste maanden"
    if norm < inst.min_volume:
        return WEINIG_VOLUME, (f"{nl.getal(norm, 1)} zaken per maand: te weinig voor een oordeel "
                               f"(minstens {nl.getal(inst.min_volume)})")
    if sinds is None:
        return ACHTER, ("het aantal zaken per maand schommelt nog sterk: nog geen maand waarna steeds minstens "
                        f"{nl.procent(inst.adoptie_drempel, 0)} van het huidige niveau werd geregistreerd")
    if laat is not None and laat > inst.achterstand_maanden:
        return ACHTER, (f"registreert pas sinds {wanneer} al het werk als zaak, {nl.getal(laat)} maanden na de "
                        "invoering")
    if pd.notna(achteraf) and achteraf > inst.max_achteraf:
        return ACHTER, (f"registreert {nl.procent(achteraf, 0)} van de afgesloten zaken achteraf (laatste "
                        f"{nl.getal(ref_maanden)} maanden)")
    return GEADOPTEERD, f"registreert sinds {wanneer} al het werk als zaak"


def shared_adoptie(basis: metrics.Basis, perioden: Perioden, instellingen: Instellingen) -> Adoptie:
    """:func:`adoptie`, computed once per ``zgw run`` for every department's evaluation (it covers them all).

    Only for a :class:`~zgwlib.maandrapportage.figures.Basis` prepared from a folder's tables as read
    (``basis.bron``); otherwise simply computed.
    """
    gedaan: list[Adoptie] = []

    def deel(naam: str) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            if not gedaan:
                gedaan.append(adoptie(basis, perioden, instellingen))
            return getattr(gedaan[0], naam)

        return cached_frame(f"evaluatie-adoptie-{naam}", basis.bron, (perioden, instellingen), compute)

    return Adoptie(deel("per_maand"), deel("per_afdeling"))


# --------------------------------------------------------------------------- signals


def signaalverloop(basis: metrics.Basis, perioden: Perioden, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The monthly report's signal table for every month from go-live to the last complete month.

    Returns
    -------
    DataFrame
        ``maand`` (``YYYY-MM``), ``code``, ``titel``, ``aantal``, ``noemer``,
        ``noemer_tekst`` and ``aandeel``, as :func:`zgwlib.maandrapportage.signals.signalen`
        (so without document data no document signals: unknown, not zero).
    """
    inst = metrics.Instellingen()
    parts = []
    for maand in perioden.maanden:
        # Only what the signal table reads: the month's zaak flags and active staff (the report month's
        # trend tables, the expensive part of metrics.maand, are not needed here).
        m = metrics.Maand(basis=basis, periode=maand, instellingen=inst, tabel=pd.DataFrame(), teams=pd.DataFrame(),
                          zaken=metrics.maand_flags(basis, maand, inst),
                          actief=metrics.actief_in_maand(basis, maand).to_numpy())
        s = signals.signalen(m, afdeling)
        parts.append(s[["code", "titel", "aantal", "noemer", "noemer_tekst", "aandeel"]].assign(maand=maand))
    out = pd.concat(parts, ignore_index=True)
    return out[["maand", "code", "titel", "aantal", "noemer", "noemer_tekst", "aandeel"]]


def hardnekkige_signalen(verloop: pd.DataFrame, maanden: int = 3, drempel: float = 0.05) -> pd.DataFrame:
    """Signals that did not go away: share in the last ``maanden`` months against the first ``maanden``.

    A signal is *hardnekkig* when its share over the last months is at least
    ``drempel`` and more than half of its share over the first months (it
    did not at least halve).

    Returns
    -------
    DataFrame
        ``code``, ``titel``, ``noemer_tekst``, ``eerst``, ``laatst`` (pooled
        shares), ``aantal_laatst`` and ``hardnekkig``, the worst first.
    """
    alle = sorted(verloop["maand"].unique())
    if not alle:
        return pd.DataFrame(columns=["code", "titel", "noemer_tekst", "eerst", "laatst", "aantal_laatst",
                                     "hardnekkig"])
    k = min(maanden, max(1, len(alle) // 2))
    rows = []
    for code, g in verloop.groupby("code", sort=False):
        e, l_ = g[g["maand"].isin(alle[:k])], g[g["maand"].isin(alle[-k:])]
        eerst = e["aantal"].sum() / e["noemer"].sum() if e["noemer"].sum() else math.nan
        laatst = l_["aantal"].sum() / l_["noemer"].sum() if l_["noemer"].sum() else math.nan
        hard = bool(pd.notna(laatst) and laatst >= drempel and not (pd.notna(eerst) and laatst <= 0.5 * eerst))
        rows.append({"code": code, "titel": g["titel"].iloc[0], "noemer_tekst": g["noemer_tekst"].iloc[0],
                     "eerst": eerst, "laatst": laatst, "aantal_laatst": int(l_["aantal"].sum()), "hardnekkig": hard})
    out = pd.DataFrame(rows)
    return out.sort_values(["hardnekkig", "laatst"], ascending=[False, False], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the whole evaluation


@dataclass
class Evaluatie:
    """Everything the evaluation notebook shows, for the organisation or one afdeling."""

    afdeling: str
    gemeente: str
    perioden: Perioden
    instellingen: Instellingen
    adoptie: Adoptie
    voor_na: pd.DataFrame
    signalen: pd.DataFrame
    enquete: Enquete
    opschoning: Any = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_organisatie(self) -> bool:
        """Whether this is the organisation's evaluation."""
        return self.afdeling == ORGANISATIE

    @property
    def documentgegevens(self) -> bool:
        """Whether the snapshot has document data; without it the document signals are left out (unknown)."""
        return has_document_data(self.meta)

    @property
    def wie(self) -> str:
        """``"de hele organisatie"`` or ``"afdeling X"`` (untrusted text: escape it)."""
        return "de hele organisatie" if self.is_organisatie else f"afdeling {self.afdeling}"

    def adoptie_rij(self) -> pd.Series:
        """The adoption row of this evaluation's afdeling (or the organisation)."""
        a = self.adoptie.per_afdeling
        return a[a["afdeling"] == self.afdeling].iloc[0]

    @property
    def enquete_groep(self) -> str:
        """The survey group shown for this evaluation: the afdeling, or the organisation when it was merged."""
        g = self.enquete.groep_van(self.afdeling)
        return ORGANISATIE if g == OVERIGE else g

    def hardnekkig(self) -> pd.DataFrame:
        """:func:`hardnekkige_signalen` of this evaluation."""
        return hardnekkige_signalen(self.signalen)

    def kerncijfers(self) -> dict[str, str]:
        """A few formatted Dutch figures for the index page."""
        vn = self.voor_na
        getest = vn[vn["getest"]] if len(vn) else vn
        rij = self.adoptie_rij()
        out = {
            "Zaaktypen sneller": f"{nl.getal((getest['oordeel'] == SNELLER).sum())} van {nl.getal(len(getest))}",
            "Zaaktypen langzamer": nl.getal((getest["oordeel"] == LANGZAMER).sum()),
            "Actieve gebruikers": f"{nl.getal(rij['actieve_gebruikers'])} van {nl.getal(rij['medewerkers'])}",
        }
        if self.is_organisatie:
            out["Afdelingen die achterblijven"] = nl.getal(len(self.adoptie.achterblijvers()))
        else:
            out["Adoptie"] = str(rij["oordeel"])
        return out


def load(data: str | os.PathLike[str] | None = "voorbeeld") -> Any:
    """Load the tables the evaluation needs (``"voorbeeld"``: the built-in sample)."""
    return load_snapshot(data, list(KOLOMMEN), columns={k: v for k, v in KOLOMMEN.items() if v is not None})


def evaluate(
    data: Any,
    afdeling: str = ORGANISATIE,
    invoeringsdatum: Any = None,
    evaluatiedatum: Any = None,
    vergelijkingsperiode_maanden: int | None = None,
    instellingen: Instellingen | None = None,
) -> Evaluatie:
    """Compute the whole evaluation from a loaded snapshot (see :func:`load`).

    Parameters
    ----------
    data : folder, "voorbeeld" or Snapshot
        A snapshot folder (or ``"voorbeeld"``, the built-in sample): read here with :func:`load`, and under
        ``zgw run`` what every department's evaluation shares (the row numbers, every department's adoption)
        comes from the run's cache (:mod:`zgwlib.core.cache`). Or a Snapshot from :func:`load`, perhaps changed
        (with zaken, statussen, documenten, medewerkers, zaaktypen and, when present, enquete, opschoning and
        opschoning_doelen): then everything is computed from its tables.
    afdeling : str
        An afdeling, or ``"organisatie"``.
    invoeringsdatum, evaluatiedatum, vergelijkingsperiode_maanden
        See :func:`determine_perioden`.
    instellingen : Instellingen, optional
        Thresholds; default :class:`Instellingen`.

    Raises
    ------
    UsageError
        For an unknown afdeling or impossible dates.
    """
    inst = instellingen or Instellingen()
    if hasattr(data, "tables"):  # a Snapshot the caller loaded, perhaps changed: no cache
        snapshot, bron = data, None
    else:  # read here, so the tables are the folder's as they are: shared figures may come from the cache
        snapshot = load(data)
        bron = snapshot.path
    meta = dict(getattr(snapshot, "meta", {}) or {})
    perioden = determine_perioden(meta, invoeringsdatum, evaluatiedatum, vergelijkingsperiode_maanden, inst)
    basis = metrics.prepare(snapshot, bron=bron)
    if afdeling != ORGANISATIE and afdeling not in basis.afdelingen:
        raise UsageError(f"afdeling {afdeling!r} is not in the data; known: {', '.join(basis.afdelingen)} "
                         f"(or {ORGANISATIE!r}).")
    tabellen = snapshot.tables
    opschoning = None
    if "opschoning" in tabellen and "opschoning_doelen" in tabellen:
        opschoning = cleanup.make_report(snapshot, afdeling, perioden.peildatum.date().isoformat())
    enq = tabellen.get("enquete")
    return Evaluatie(
        afdeling=afdeling,
        gemeente=str(meta.get("gemeente", "onbekende gemeente")),
        perioden=perioden,
        instellingen=inst,
        adoptie=shared_adoptie(basis, perioden, inst),
        voor_na=voor_en_na(basis, perioden, afdeling, inst),
        signalen=signaalverloop(basis, perioden, afdeling),
        enquete=enquete(enq if enq is not None else pd.DataFrame(), inst.min_respondenten,
                        trekkingen=inst.trekkingen, betrouwbaarheid=inst.betrouwbaarheid, seed=inst.seed),
        opschoning=opschoning,
        meta=meta,
    )


# The bootstrap and survey names are part of this module's interface too: an evaluator who adapts the
# notebook reaches every figure through ``evaluation``.
__all__ = [
    "ACHTER", "EVALUATIE", "RAADPLEEGT", "GEADOPTEERD", "GEEN_VERSCHIL", "GEEN_ZAKEN", "KERNSIGNALEN", "KOLOMMEN", "LANGZAMER",
    "MINDER_OP_TIJD", "NEGATIEVER", "NULMETING", "OVERIGE", "POSITIEVER", "SNELLER", "TE_WEINIG", "VAKER_OP_TIJD",
    "WEINIG_VOLUME", "Adoptie", "Enquete", "Evaluatie", "Instellingen", "Perioden", "Verschil", "adoptie",
    "determine_perioden", "bootstrap_verschil", "enquete", "enquete_groepen", "evaluate", "hardnekkige_signalen", "load",
    "shared_adoptie", "signaalverloop", "statistiek", "voor_en_na",
]
