"""The evaluation after about eight months (VNG tip 10): evidence for the board.

Every figure of the ``evaluatie`` notebook is computed here; the notebook only
calls, shows and explains. Definitions (also in ``docs/metrics.md``, section
*Evaluatie*):

* Periods (:func:`bepaal_perioden`): *vóór* = the ``vergelijkingsperiode_maanden``
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
  :func:`zgwlib.metrics.maandcijfers`; a zaaktype is *live* from the first
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
  (:func:`zgwlib.signals.signalen`) for every month since go-live.
* Survey (:func:`enquete`): per question the score distribution, the mean and
  the share that agrees (4 or 5) at the nulmeting and the evaluatie, and the
  shift of the mean with a bootstrap interval. An afdeling is shown on its own
  only with at least ``min_respondenten`` respondents in every round; smaller
  ones are merged into "Overige afdelingen" (and when that group is still too
  small, the smallest afdeling joins it), for privacy.
"""

from __future__ import annotations

import html
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import metrics, nl, signals
from .errors import UsageError
from .publish import ORGANISATIE, slug

OVERIGE = "Overige afdelingen"
SNELLER, LANGZAMER, GEEN_VERSCHIL, TE_WEINIG = "sneller", "langzamer", "geen aantoonbaar verschil", "te weinig zaken"
VAKER_OP_TIJD, MINDER_OP_TIJD = "vaker op tijd", "minder vaak op tijd"
POSITIEVER, NEGATIEVER = "positiever", "negatiever"
GEADOPTEERD, ACHTER, WEINIG_VOLUME, GEEN_ZAKEN = "geadopteerd", "blijft achter", "te weinig zaken", "geen zaken"
NULMETING, EVALUATIE = "nulmeting", "evaluatie"

#: Signals of the monthly report followed in the evaluation's chart and findings.
KERNSIGNALEN = ("achteraf_geregistreerd", "gesloten_zonder_documenten", "documenten_buiten_zaak")

#: Tables :func:`laad` reads, with the columns needed (None: all).
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
        Month indexes (:func:`zgwlib.metrics.maand_index`) of go-live and of
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
        return [metrics.periode_tekst(m) for m in range(self.eerste_maand, self.laatste_maand + 1)]

    def tekst(self, welke: str) -> str:
        """``"1 november 2024 t/m 28 februari 2025"`` for ``"voor"`` or ``"na"``."""
        van, tot = (self.voor_van, self.voor_tot) if welke == "voor" else (self.na_van, self.na_tot)
        return f"{nl.datum(van)} t/m {nl.datum(tot)}"


def _maand(t: pd.Timestamp) -> int:
    return (t.year - 1970) * 12 + t.month - 1


def bepaal_perioden(
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


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class Verschil:
    """A change with its bootstrap interval.

    Attributes
    ----------
    voor, na : float
        The statistic in each period.
    verschil : float
        ``na - voor``.
    laag, hoog : float
        Bounds of the interval of the difference.
    """

    voor: float
    na: float
    verschil: float
    laag: float
    hoog: float

    @property
    def richting(self) -> int:
        """``-1`` when the whole interval is below zero, ``1`` above zero, ``0`` otherwise."""
        if pd.isna(self.laag) or pd.isna(self.hoog):
            return 0
        return -1 if self.hoog < 0 else (1 if self.laag > 0 else 0)


_KWANTIEL = {"mediaan": 0.5, "p90": 0.9}


def statistiek(x: np.ndarray, soort: str) -> float:
    """``"mediaan"``, ``"p90"`` (linear interpolation, as :func:`numpy.quantile`) or ``"gemiddelde"`` of ``x``."""
    x = np.asarray(x, dtype="float64")
    if not len(x):
        return math.nan
    if soort == "gemiddelde":
        return float(x.mean())
    return float(np.quantile(x, _KWANTIEL[soort]))


def _herhaald(x: np.ndarray, soort: str, trekkingen: int, rng: np.random.Generator) -> np.ndarray:
    """The statistic of ``trekkingen`` bootstrap resamples of ``x``.

    A resample is drawn as counts per distinct value (a multinomial draw), so
    memory is resamples x distinct values, not resamples x zaken: lead times
    in whole days have a few hundred distinct values even for millions of zaken.
    """
    v, c = np.unique(np.asarray(x, dtype="float64"), return_counts=True)
    n = int(c.sum())
    out = np.empty(trekkingen)
    blok = max(1, min(trekkingen, 4_000_000 // max(len(v), 1)))
    for start in range(0, trekkingen, blok):
        b = min(blok, trekkingen - start)
        counts = rng.multinomial(n, c / n, size=b)
        if soort == "gemiddelde":
            out[start:start + b] = counts @ v / n
            continue
        h = (n - 1) * _KWANTIEL[soort]
        lo = math.floor(h)
        frac, hi = h - lo, min(lo + 1, n - 1)
        cum = np.cumsum(counts, axis=1)
        # Position j of the sorted resample holds the first value whose cumulative count exceeds j.
        i_lo, i_hi = (cum <= lo).sum(axis=1), (cum <= hi).sum(axis=1)
        out[start:start + b] = v[i_lo] + frac * (v[i_hi] - v[i_lo])
    return out


def bootstrap_verschil(
    voor: np.ndarray | pd.Series,
    na: np.ndarray | pd.Series,
    soort: str = "mediaan",
    *,
    trekkingen: int = 2000,
    betrouwbaarheid: float = 0.95,
    rng: np.random.Generator | int | None = None,
) -> Verschil:
    """Percentile-bootstrap interval of the change of a statistic between two independent samples.

    Parameters
    ----------
    voor, na : array
        The values in each period (NaN is dropped).
    soort : {"mediaan", "p90", "gemiddelde"}
        The statistic (a share is the ``gemiddelde`` of 0/1 values).
    trekkingen : int
        Resamples of each sample.
    betrouwbaarheid : float
        Coverage of the interval.
    rng : Generator or int, optional
        Random generator or seed (reproducible intervals).

    Returns
    -------
    Verschil
        NaN everywhere when either sample is empty.
    """
    if soort not in ("mediaan", "p90", "gemiddelde"):
        raise UsageError(f"soort must be mediaan, p90 or gemiddelde, not {soort!r}.")
    a = np.asarray(voor, dtype="float64")
    b = np.asarray(na, dtype="float64")
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if not len(a) or not len(b):
        s_a, s_b = statistiek(a, soort), statistiek(b, soort)
        return Verschil(s_a, s_b, s_b - s_a, math.nan, math.nan)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    d = _herhaald(b, soort, trekkingen, gen) - _herhaald(a, soort, trekkingen, gen)
    alfa = (1 - betrouwbaarheid) / 2
    laag, hoog = np.quantile(d, [alfa, 1 - alfa])
    s_a, s_b = statistiek(a, soort), statistiek(b, soort)
    return Verschil(s_a, s_b, s_b - s_a, float(laag), float(hoog))


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
    z = _eigen(basis, afdeling)
    z = z[z["gesloten"].to_numpy()]
    voor = _tussen(z["einddatum"], perioden.voor_van, perioden.voor_tot)
    na = _tussen(z["einddatum"], perioden.na_van, perioden.na_tot)
    if perioden.aanloop is not None:
        # Like with like: the na period leaves out the long zaken the vóór period cannot contain.
        start = z["startdatum"]
        voor &= (start >= perioden.voor_van - perioden.aanloop).to_numpy()
        na &= (start >= perioden.na_van - perioden.aanloop).to_numpy()
    z = z.loc[voor | na, ["zaaktype", "afdeling", "doorlooptijd", "binnen_termijn"]].assign(
        periode=np.where(voor[voor | na], "voor", "na"))
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
    out = pd.DataFrame(rows)
    kolommen = ["zaaktype", "omschrijving", "afdeling", "n_voor", "n_na", "getest"] + [
        f"{m}_{s}" for m in ("mediaan", "p90", "termijn") for s in ("voor", "na", "verschil", "laag", "hoog")]
    if out.empty:
        out = pd.DataFrame(columns=kolommen + ["verandering", "verandering_laag", "verandering_hoog", "oordeel",
                                               "termijn_oordeel", "reden"])
        return out
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
        rows.append(pd.DataFrame({"afdeling": afd, "maand": [metrics.periode_tekst(int(m)) for m in s.index],
                                  "zaaktypen_live": s.to_numpy()}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["afdeling", "maand",
                                                                                 "zaaktypen_live"])


def adoptie(basis: metrics.Basis, perioden: Perioden, instellingen: Instellingen | None = None) -> Adoptie:
    """Share of work registered as zaken, active users against staff and zaaktypes live, per afdeling."""
    inst = instellingen or Instellingen()
    z = basis.zaken
    eerste_data = int(z["m_reg"].min()) if len(z) else perioden.eerste_maand
    # From the first whole month of the vóór period (or of the data) to the last complete month.
    m0 = max(_maand(perioden.voor_van) + (0 if perioden.voor_van.day == 1 else 1),
             min(eerste_data, perioden.eerste_maand))
    m1 = perioden.laatste_maand
    tabel = metrics.maandcijfers(basis, metrics.periode_tekst(m1), maanden=m1 - m0 + 1)
    t = tabel[["afdeling", "maand", "ontvangen", "gesloten", "achteraf_aantal", "actieve_gebruikers",
               "medewerkers", "aandeel_actief", "achteraf"]].copy()
    t["m"] = [metrics.periode_index(p) for p in t["maand"]]
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

    catalogus = basis.zaaktypen.groupby(basis.zaaktypen["afdeling"].astype("str")).size()
    gebruikt = z.groupby(z["afdeling"].astype("str"), observed=True)["zaaktype"].nunique()
    totaal = pd.concat([catalogus, gebruikt], axis=1).max(axis=1)
    totaal[ORGANISATIE] = max(len(basis.zaaktypen), int(z["zaaktype"].nunique()))

    rows = []
    for afd, g in t.groupby("afdeling", sort=False):
        g = g.sort_values("m")
        laatste, ref = g.iloc[-1], g[g["_ref"]]
        norm = float(normaal.get(afd, 0.0) or 0.0)
        achteraf = ref["achteraf_aantal"].sum() / ref["gesloten"].sum() if ref["gesloten"].sum() else math.nan
        share = g.loc[g["na_invoering"], ["m", "aandeel_werk"]].reset_index(drop=True)
        sinds = None
        if norm >= inst.min_volume:
            s = share["aandeel_werk"].to_numpy()
            # Mean share from each month to the end, so one quiet month later on does not undo adoption.
            rest = np.cumsum(s[::-1])[::-1] / np.arange(len(s), 0, -1)
            ok = np.flatnonzero((s >= inst.adoptie_drempel) & (rest >= inst.adoptie_drempel))
            sinds = int(share["m"].iloc[ok[0]]) if len(ok) else None
        laat = None if sinds is None else sinds - perioden.eerste_maand
        wanneer = nl.maand(metrics.periode_tekst(sinds)) if sinds is not None else ""
        if norm == 0:
            oordeel, uitleg = GEEN_ZAKEN, "geen zaken geregistreerd in de laatste maanden"
        elif norm < inst.min_volume:
            oordeel = WEINIG_VOLUME
            uitleg = (f"{nl.getal(norm, 1)} zaken per maand: te weinig voor een oordeel "
                      f"(minstens {nl.getal(inst.min_volume)})")
        elif sinds is None:
            oordeel = ACHTER
            uitleg = ("het aantal zaken per maand schommelt nog sterk: nog geen maand waarna steeds minstens "
                      f"{nl.procent(inst.adoptie_drempel, 0)} van het huidige niveau werd geregistreerd")
        elif laat is not None and laat > inst.achterstand_maanden:
            oordeel = ACHTER
            uitleg = f"registreert pas sinds {wanneer} al het werk als zaak, {nl.getal(laat)} maanden na de invoering"
        elif pd.notna(achteraf) and achteraf > inst.max_achteraf:
            oordeel = ACHTER
            uitleg = (f"registreert {nl.procent(achteraf, 0)} van de afgesloten zaken achteraf (laatste "
                      f"{nl.getal(len(ref))} maanden)")
        else:
            oordeel = GEADOPTEERD
            uitleg = f"registreert sinds {wanneer} al het werk als zaak"
        v = float(voor.get(afd, math.nan))
        rows.append({
            "afdeling": afd, "normaal_per_maand": norm, "voor_per_maand": v,
            "t_o_v_voor": norm / v if v > 0 else math.nan, "achteraf": achteraf,
            "actieve_gebruikers": int(laatste["actieve_gebruikers"]), "medewerkers": int(laatste["medewerkers"]),
            "aandeel_actief": laatste["aandeel_actief"],
            "zaaktypen_live": int(laatste["zaaktypen_live"]) if pd.notna(laatste["zaaktypen_live"]) else 0,
            "zaaktypen_totaal": int(totaal.get(afd, 0)),
            "geadopteerd_sinds": metrics.periode_tekst(sinds) if sinds is not None else None,
            "maanden_na_invoering": laat, "oordeel": oordeel, "toelichting": uitleg,
        })
    rows.sort(key=lambda r: (r["afdeling"] == ORGANISATIE, str(r["afdeling"]).lower()))
    per = pd.DataFrame(rows)
    cols = ["afdeling", "maand", "na_invoering", "ontvangen", "normaal_per_maand", "aandeel_werk",
            "actieve_gebruikers", "medewerkers", "aandeel_actief", "zaaktypen_live", "achteraf"]
    return Adoptie(t[cols].reset_index(drop=True), per)


# --------------------------------------------------------------------------- signals


def signaalverloop(basis: metrics.Basis, perioden: Perioden, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The monthly report's signal table for every month from go-live to the last complete month.

    Returns
    -------
    DataFrame
        ``maand`` (``YYYY-MM``), ``code``, ``titel``, ``aantal``, ``noemer``,
        ``noemer_tekst`` and ``aandeel``, as :func:`zgwlib.signals.signalen`.
    """
    inst = metrics.Instellingen()
    parts = []
    for maand in perioden.maanden:
        # Only what the signal table reads: the month's zaak flags and active staff (the report month's
        # trend tables, the expensive part of metrics.maand, are not needed here).
        m = metrics.Maand(basis=basis, periode=maand, instellingen=inst, tabel=pd.DataFrame(), teams=pd.DataFrame(),
                          zaken=signals.maand_flags(basis, maand, inst),
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


# --------------------------------------------------------------------------- survey


def enquete_groepen(enquete: pd.DataFrame, min_respondenten: int = 5) -> dict[str, str]:
    """Map each afdeling to the group it is shown in: itself, or :data:`OVERIGE` when too small.

    An afdeling stands alone only with at least ``min_respondenten`` distinct
    respondents in every round present. When the merged group is itself too
    small in some round, the smallest afdeling joins it, and so on, so no group
    shown has fewer respondents than the minimum (unless the whole
    organisation has).
    """
    if enquete.empty:
        return {}
    n = enquete.groupby(["afdeling", "meting"])["respondent"].nunique().unstack(fill_value=0)
    kleinste = n.min(axis=1)
    groep = {str(a): (str(a) if kleinste[a] >= min_respondenten else OVERIGE) for a in n.index}
    while True:
        overig = [a for a, g in groep.items() if g == OVERIGE]
        if not overig or n.loc[overig].sum(axis=0).min() >= min_respondenten:
            break
        los = [a for a, g in groep.items() if g != OVERIGE]
        if not los:
            break
        groep[min(los, key=lambda a: (kleinste[a], a))] = OVERIGE
    return groep


@dataclass
class Enquete:
    """The staff survey, nulmeting against evaluatie.

    Attributes
    ----------
    groepen : dict
        Afdeling to shown group (:func:`enquete_groepen`).
    verdeling : DataFrame
        ``groep`` (``organisatie``, an afdeling or :data:`OVERIGE`), ``vraag``,
        ``meting``, ``respondenten``, ``score_1`` .. ``score_5`` (shares),
        ``gemiddelde``, ``aandeel_eens`` (4 or 5).
    verschuiving : DataFrame
        ``groep``, ``vraag``, ``gemiddelde_nulmeting``, ``gemiddelde_evaluatie``,
        ``verschil``, ``laag``, ``hoog``, ``eens_nulmeting``, ``eens_evaluatie``,
        ``oordeel`` (positiever, negatiever, geen aantoonbaar verschil).
    """

    groepen: dict[str, str]
    verdeling: pd.DataFrame
    verschuiving: pd.DataFrame

    @property
    def leeg(self) -> bool:
        """Whether there are no survey answers."""
        return self.verdeling.empty

    def groep_van(self, afdeling: str) -> str:
        """The group an afdeling's answers are shown in (``organisatie`` for the organisation)."""
        return ORGANISATIE if afdeling == ORGANISATIE else self.groepen.get(afdeling, OVERIGE)


def enquete(tabel: pd.DataFrame, instellingen: Instellingen | None = None) -> Enquete:
    """Distribution, mean and shift per question, for the organisation and per group (privacy-merged)."""
    inst = instellingen or Instellingen()
    groepen = enquete_groepen(tabel, inst.min_respondenten)
    if tabel.empty:
        return Enquete(groepen, pd.DataFrame(), pd.DataFrame())
    e = tabel.assign(groep=tabel["afdeling"].astype("str").map(groepen), score=tabel["score"].astype("float64"))
    e = pd.concat([e.assign(groep=ORGANISATIE), e], ignore_index=True)
    vragen = list(dict.fromkeys(tabel["vraag"].astype("str")))  # as asked, not alphabetical
    volgorde = [ORGANISATIE] + sorted({g for g in groepen.values() if g != OVERIGE}, key=str.lower) + (
        [OVERIGE] if OVERIGE in groepen.values() else [])
    rows, shifts = [], []
    rng = np.random.default_rng(inst.seed)
    delen = {k: d for k, d in e.groupby(["groep", "vraag", "meting"], sort=False)}
    for g in volgorde:
        for vraag in vragen:
            per: dict[str, np.ndarray] = {}
            for meting in (NULMETING, EVALUATIE):
                s = delen.get((g, vraag, meting))
                if s is None or s.empty:
                    continue
                scores = s["score"].to_numpy()
                per[meting] = scores
                telling = np.bincount(scores.astype(int), minlength=6)[1:6] / len(scores)
                rows.append({"groep": g, "vraag": vraag, "meting": meting,
                             "respondenten": int(s["respondent"].nunique()),
                             **{f"score_{i}": telling[i - 1] for i in range(1, 6)},
                             "gemiddelde": float(scores.mean()), "aandeel_eens": float((scores >= 4).mean())})
            if len(per) == 2:
                v = bootstrap_verschil(per[NULMETING], per[EVALUATIE], "gemiddelde", trekkingen=inst.trekkingen,
                                       betrouwbaarheid=inst.betrouwbaarheid, rng=rng)
                shifts.append({"groep": g, "vraag": vraag, "gemiddelde_nulmeting": v.voor,
                               "gemiddelde_evaluatie": v.na, "verschil": v.verschil, "laag": v.laag, "hoog": v.hoog,
                               "eens_nulmeting": float((per[NULMETING] >= 4).mean()),
                               "eens_evaluatie": float((per[EVALUATIE] >= 4).mean()),
                               "oordeel": {1: POSITIEVER, -1: NEGATIEVER}.get(v.richting, GEEN_VERSCHIL)})
    return Enquete(groepen, pd.DataFrame(rows), pd.DataFrame(shifts))


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


def laad(data: str | os.PathLike[str] | None = "voorbeeld") -> Any:
    """Load the tables the evaluation needs (``"voorbeeld"``: the built-in sample)."""
    from .snapshot import load_snapshot

    return load_snapshot(data, list(KOLOMMEN), columns={k: v for k, v in KOLOMMEN.items() if v is not None})


def evalueer(
    snapshot: Any,
    afdeling: str = ORGANISATIE,
    invoeringsdatum: Any = None,
    evaluatiedatum: Any = None,
    vergelijkingsperiode_maanden: int | None = None,
    instellingen: Instellingen | None = None,
) -> Evaluatie:
    """Compute the whole evaluation from a loaded snapshot (see :func:`laad`).

    Parameters
    ----------
    snapshot : Snapshot
        With zaken, statussen, documenten, medewerkers, zaaktypen and, when
        present, enquete, opschoning and opschoning_doelen.
    afdeling : str
        An afdeling, or ``"organisatie"``.
    invoeringsdatum, evaluatiedatum, vergelijkingsperiode_maanden
        See :func:`bepaal_perioden`.
    instellingen : Instellingen, optional
        Thresholds; default :class:`Instellingen`.

    Raises
    ------
    UsageError
        For an unknown afdeling or impossible dates.
    """
    from . import cleanup

    inst = instellingen or Instellingen()
    meta = dict(getattr(snapshot, "meta", {}) or {})
    perioden = bepaal_perioden(meta, invoeringsdatum, evaluatiedatum, vergelijkingsperiode_maanden, inst)
    basis = metrics.prepare(snapshot)
    if afdeling != ORGANISATIE and afdeling not in basis.afdelingen:
        raise UsageError(f"afdeling {afdeling!r} is not in the data; known: {', '.join(basis.afdelingen)} "
                         f"(or {ORGANISATIE!r}).")
    tabellen = snapshot.tables
    opschoning = None
    if "opschoning" in tabellen and "opschoning_doelen" in tabellen:
        opschoning = cleanup.maak_rapport(snapshot, afdeling, perioden.peildatum.date().isoformat())
    enq = tabellen.get("enquete")
    return Evaluatie(
        afdeling=afdeling,
        gemeente=str(meta.get("gemeente", "onbekende gemeente")),
        perioden=perioden,
        instellingen=inst,
        adoptie=adoptie(basis, perioden, inst),
        voor_na=voor_en_na(basis, perioden, afdeling, inst),
        signalen=signaalverloop(basis, perioden, afdeling),
        enquete=enquete(enq if enq is not None else pd.DataFrame(), inst),
        opschoning=opschoning,
        meta=meta,
    )


# --------------------------------------------------------------------------- draft findings


def _dagen(x: float) -> str:
    return f"{nl.getal(x, 0 if float(x).is_integer() else 1)} {'dag' if x == 1 else 'dagen'}"


def _pct_teken(x: float) -> str:
    if pd.isna(x):
        return "–"
    v = 100 * x
    return f"{'+' if v > 0 else '−' if v < 0 else '±'}{nl.getal(abs(v), 0)}%"


def _interval(r: pd.Series, inst: Instellingen) -> str:
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    if pd.notna(r["verandering_laag"]):
        return f"{b}%-interval {_pct_teken(r['verandering_laag'])} tot {_pct_teken(r['verandering_hoog'])}"
    f = metrics.FIGUREN["doorlooptijd_mediaan"]
    return f"{b}%-interval {f.verschil_tekst(r['mediaan_laag'])} tot {f.verschil_tekst(r['mediaan_hoog'])}"


def bevindingen(ev: Evaluatie, markdown: bool = True) -> dict[str, list[str]]:
    """Draft findings from the figures, as editable Dutch sentences under a few headings.

    Parameters
    ----------
    markdown : bool
        Names from the data are HTML-escaped and put in bold (for showing as
        Markdown); ``False`` gives plain text (for the Excel file).

    Returns
    -------
    dict of str to list of str
        Heading to sentences; an empty list means nothing to report there.
    """
    inst = ev.instellingen

    def naam(x: object) -> str:
        return f"**{html.escape(str(x))}**" if markdown else str(x)

    out: dict[str, list[str]] = {}
    vn = ev.voor_na
    getest = vn[vn["getest"]] if len(vn) else vn
    beter = getest[getest["oordeel"] == SNELLER].sort_values("verandering", kind="stable")
    zinnen = [
        f"De doorlooptijd van {naam(r['omschrijving'])} is aantoonbaar korter: de mediaan ging van "
        f"{_dagen(r['mediaan_voor'])} naar {_dagen(r['mediaan_na'])} ({_pct_teken(r['verandering'])}; "
        f"{_interval(r, inst)})."
        for _, r in beter.head(inst.max_bevindingen).iterrows()
    ]
    op_tijd = getest[getest["termijn_oordeel"] == VAKER_OP_TIJD].sort_values("termijn_verschil", ascending=False)
    zinnen += [
        f"{naam(r['omschrijving'])} wordt vaker binnen de wettelijke termijn afgehandeld: "
        f"{nl.procent(r['termijn_voor'], 0)} vóór, {nl.procent(r['termijn_na'], 0)} na de invoering."
        for _, r in op_tijd.head(inst.max_bevindingen).iterrows()
    ]
    out["Sterkste verbeteringen"] = zinnen

    zinnen = []
    for _, r in ev.adoptie.achterblijvers().iterrows():
        zinnen.append(f"{naam(r['afdeling'])} blijft achter: {r['toelichting']}.")
    slechter = getest[getest["oordeel"] == LANGZAMER].sort_values("verandering", ascending=False)
    zinnen += [
        f"De doorlooptijd van {naam(r['omschrijving'])} is aantoonbaar langer: de mediaan ging van "
        f"{_dagen(r['mediaan_voor'])} naar {_dagen(r['mediaan_na'])} ({_pct_teken(r['verandering'])})."
        for _, r in slechter.head(inst.max_bevindingen).iterrows()
    ]
    out["Achterblijvers en verslechteringen"] = zinnen

    hard = ev.hardnekkig()
    hard = hard[hard["hardnekkig"]].head(inst.max_bevindingen)

    out["Hardnekkige signalen"] = [
        f"{r['titel']}: {nl.procent(r['laatst'], 0)} van de {r['noemer_tekst']} in de laatste maanden "
        f"(in de eerste maanden na de invoering {nl.procent(r['eerst'], 0)})."
        for _, r in hard.iterrows()
    ]

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
    out["Medewerkers"] = zinnen

    zinnen = []
    r = ev.opschoning
    if r is not None and r.heeft_gegevens:
        from .cleanup import ACHTER as OP_ACHTER, GEEN_DOEL, KLAAR

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
    out["Opschoonactie"] = zinnen
    return out


def bevindingen_tekst(ev: Evaluatie, markdown: bool = True) -> str:
    """:func:`bevindingen` as one text: a heading per group and a bullet per finding."""
    lines = []
    for kop, zinnen in bevindingen(ev, markdown).items():
        lines.append(f"**{kop}**" if markdown else kop)
        lines += [f"- {z}" for z in zinnen] or ["- (geen)"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- tables for the report

# HTML tables in the house style: zgwlib.plots.tabel_html escapes every cell, so names from the data
# (zaaktype, afdeling, survey statements) are shown as text, never as markup.


def _dagen_kort(x: float) -> str:
    return nl.getal(x, 0 if pd.isna(x) or float(x).is_integer() else 1)


def _paar(a: str, b: str) -> str:
    return f"{a} → {b}"


def tabel_voor_na(vn: pd.DataFrame, instellingen: Instellingen | None = None) -> str:
    """The tested zaaktypes: lead time and on time before and after, the change and the verdicts (HTML)."""
    from . import plots

    inst = instellingen or Instellingen()
    t = vn[vn["getest"]].copy() if len(vn) else vn
    if t.empty:
        return plots.alinea("Geen zaaktype heeft genoeg afgesloten zaken in beide perioden om te toetsen.")
    f_dag, f_pp = metrics.FIGUREN["doorlooptijd_mediaan"], metrics.FIGUREN["binnen_termijn"]
    t["_n"] = [_paar(nl.getal(a), nl.getal(b)) for a, b in zip(t["n_voor"], t["n_na"], strict=True)]
    t["_med"] = [_paar(_dagen_kort(a), _dagen_kort(b)) for a, b in zip(t["mediaan_voor"], t["mediaan_na"],
                                                                      strict=True)]
    t["_ver"] = [_pct_teken(r["verandering"]) if pd.notna(r["verandering"])
                 else f_dag.verschil_tekst(r["mediaan_verschil"]) for _, r in t.iterrows()]
    t["_int"] = [_interval(r, inst).split("interval ", 1)[1] for _, r in t.iterrows()]
    t["_p90"] = [_paar(_dagen_kort(a), _dagen_kort(b)) for a, b in zip(t["p90_voor"], t["p90_na"], strict=True)]
    t["_ter"] = [f"{_paar(nl.procent(a, 0), nl.procent(b, 0))} ({f_pp.verschil_tekst(d)})"
                 for a, b, d in zip(t["termijn_voor"], t["termijn_na"], t["termijn_verschil"], strict=True)]
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    return plots.tabel_html(t, {
        "omschrijving": ("Zaaktype", None), "_n": ("Afgesloten zaken vóór → na", None),
        "_med": ("Doorlooptijd mediaan (dagen)", None), "_ver": ("Verandering", None),
        "_int": (f"{b}%-interval", None), "oordeel": ("Oordeel", None),
        "_p90": ("90e percentiel (dagen)", None), "_ter": ("Binnen wettelijke termijn", None),
        "termijn_oordeel": ("Termijn", None),
    })


def tabel_te_weinig(vn: pd.DataFrame) -> str:
    """The zaaktypes not tested, with their numbers of closed zaken (HTML)."""
    from . import plots

    t = vn[~vn["getest"]] if len(vn) else vn
    if t.empty:
        return plots.alinea("Alle zaaktypen met afgesloten zaken zijn getoetst.")
    return plots.tabel_html(t, {"omschrijving": ("Zaaktype", None), "n_voor": ("Afgesloten vóór", plots.getal),
                                "n_na": ("Afgesloten na", plots.getal), "reden": ("Waarom niet getoetst", None)})


def tabel_adoptie(ad: Adoptie, afdeling: str = ORGANISATIE) -> str:
    """Adoption per afdeling (or only the given one): verdict, share of work, users, zaaktypes live (HTML)."""
    from . import plots

    a = ad.per_afdeling if afdeling == ORGANISATIE else ad.per_afdeling[ad.per_afdeling["afdeling"] == afdeling]
    a = a.assign(
        _naam=a["afdeling"].replace({ORGANISATIE: "Hele organisatie"}),
        _sinds=[nl.maand(s) if isinstance(s, str) else "–" for s in a["geadopteerd_sinds"]],
        _gebr=[f"{nl.getal(u)} van {nl.getal(m)}" for u, m in zip(a["actieve_gebruikers"], a["medewerkers"],
                                                                   strict=True)],
        _zt=[f"{nl.getal(u)} van {nl.getal(m)}" for u, m in zip(a["zaaktypen_live"], a["zaaktypen_totaal"],
                                                                 strict=True)],
    )
    return plots.tabel_html(a, {
        "_naam": ("Afdeling", None), "oordeel": ("Oordeel", None), "_sinds": ("Al het werk als zaak sinds", None),
        "normaal_per_maand": ("Zaken per maand (nu)", plots.getal),
        "t_o_v_voor": ("T.o.v. vóór de invoering", plots.procent),
        "achteraf": ("Achteraf geregistreerd", plots.procent),
        "_gebr": ("Actieve gebruikers", None), "_zt": ("Zaaktypen in gebruik", None),
        "toelichting": ("Toelichting", None),
    }, markeer=list(a["oordeel"] == ACHTER))


def tabel_signalen(verloop: pd.DataFrame) -> str:
    """Signals by month since go-live: share (and count) per signal, months as columns (HTML)."""
    from . import plots

    if verloop.empty:
        return plots.alinea("Geen signalen: er zijn geen maanden na de invoering.")
    t = verloop.assign(tekst=[f"{nl.procent(a, 0)} ({nl.getal(n)})" if pd.notna(a) else "–"
                              for a, n in zip(verloop["aandeel"], verloop["aantal"], strict=True)])
    wide = t.pivot(index="code", columns="maand", values="tekst").reindex(list(dict.fromkeys(verloop["code"])))
    titels = verloop.drop_duplicates("code").set_index("code")
    wide.insert(0, "_signaal", [f"{titels.at[c, 'titel']} (% van de {titels.at[c, 'noemer_tekst']})"
                                for c in wide.index])
    kolommen: dict[str, Any] = {"_signaal": ("Signaal", None)}
    kolommen.update({m: (lbl, None) for m, lbl in zip(wide.columns[1:], _maand_labels(list(wide.columns[1:])),
                                                      strict=True)})
    return plots.tabel_html(wide, kolommen)


def tabel_enquete(enq: Enquete, groep: str = ORGANISATIE) -> str:
    """Per statement: mean and share that agrees at both rounds, the shift and its verdict (HTML)."""
    from . import plots

    s = enq.verschuiving
    s = s[s["groep"] == groep] if len(s) else s
    if s.empty:
        return plots.alinea("Geen vergelijking mogelijk: niet beide metingen zijn aanwezig.")
    s = s.assign(
        _gem=[_paar(nl.getal(a, 1), nl.getal(b, 1)) for a, b in zip(s["gemiddelde_nulmeting"],
                                                                     s["gemiddelde_evaluatie"], strict=True)],
        _ver=[f"{'+' if x > 0 else '−' if x < 0 else '±'}{nl.getal(abs(x), 2)}" for x in s["verschil"]],
        _int=[f"{nl.getal(lo, 2)} tot {nl.getal(hi, 2)}" for lo, hi in zip(s["laag"], s["hoog"], strict=True)],
        _eens=[_paar(nl.procent(a, 0), nl.procent(b, 0)) for a, b in zip(s["eens_nulmeting"],
                                                                          s["eens_evaluatie"], strict=True)],
    )
    return plots.tabel_html(s, {"vraag": ("Stelling", None), "_gem": ("Gemiddelde nulmeting → evaluatie", None),
                                "_ver": ("Verschil", None), "_int": ("Interval", None),
                                "_eens": ("Eens (4-5) nulmeting → evaluatie", None), "oordeel": ("Oordeel", None)})


def tabel_enquete_groepen(enq: Enquete) -> str:
    """Every group (afdelingen with enough respondents, the merged rest, the organisation) against every
    statement: the mean at the nulmeting → at the evaluatie (HTML)."""
    from . import plots

    s = enq.verschuiving
    if s.empty:
        return plots.alinea("Geen vergelijking mogelijk: niet beide metingen zijn aanwezig.")
    s = s.assign(tekst=[_paar(nl.getal(a, 1), nl.getal(b, 1)) for a, b in
                        zip(s["gemiddelde_nulmeting"], s["gemiddelde_evaluatie"], strict=True)])
    wide = s.pivot(index="groep", columns="vraag", values="tekst")
    wide = wide.reindex(index=list(dict.fromkeys(s["groep"])), columns=list(dict.fromkeys(s["vraag"])))
    n = enq.verdeling.groupby(["groep", "meting"])["respondenten"].max().unstack()
    wide.insert(0, "_n", [_paar(nl.getal(n.at[g, NULMETING]), nl.getal(n.at[g, EVALUATIE])) for g in wide.index])
    wide.insert(0, "_groep", ["Hele organisatie" if g == ORGANISATIE else g for g in wide.index])
    kolommen: dict[str, Any] = {"_groep": ("Groep", None), "_n": ("Respondenten", None)}
    kolommen.update({v: (_kort(v, 60), None) for v in wide.columns[2:]})
    return plots.tabel_html(wide.reset_index(drop=True), kolommen)


def respondenten(enq: Enquete, groep: str = ORGANISATIE) -> dict[str, int]:
    """Respondents per round in a group (``{"nulmeting": 215, "evaluatie": 196}``)."""
    v = enq.verdeling
    if v.empty:
        return {}
    return {str(k): int(n) for k, n in v[v["groep"] == groep].groupby("meting")["respondenten"].max().items()}


# --------------------------------------------------------------------------- charts


def _kleur() -> dict[str, str]:
    from . import plots

    return {SNELLER: plots.BETER, LANGZAMER: plots.SLECHTER, GEEN_VERSCHIL: "#8A8F96", "lijn": plots.HOOFDKLEUR,
            "staf": plots.NEUTRAAL, "drempel": plots.GOUD}


#: Colours of the five answers (disagree to agree), colour-blind safe.
SCHAAL_KLEUR = ("#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC")
SCHAAL_LABEL = ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens")


def _assen(ax: Any, figsize: tuple[float, float]) -> Any:
    import matplotlib.pyplot as plt

    from . import plots

    plots.stijl()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _leeg(ax: Any, tekst: str) -> Any:
    ax.text(0.5, 0.5, tekst, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def _nl_as(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda x, _p: nl.getal(x)))


def _kort(text: object, n: int = 42) -> str:
    text = str(text).replace("$", "＄")  # a dollar would switch matplotlib to math text
    return text if len(text) <= n else text[: n - 1] + "…"


def _maand_labels(maanden: list[str]) -> list[str]:
    return [f"{nl.MAANDEN[int(m[5:7]) - 1][:3]} '{m[2:4]}" for m in maanden]


def _legenda(ax: Any, n: int = 1, **kw: Any) -> None:
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=n, fontsize=8, frameon=False, **kw)


def teken_voor_na(vn: pd.DataFrame, maat: str = "doorlooptijd", ax: Any = None,
                  instellingen: Instellingen | None = None) -> Any:
    """Dot-and-interval chart of the tested zaaktypes: the change with its interval, coloured by verdict.

    Parameters
    ----------
    maat : {"doorlooptijd", "termijn"}
        ``doorlooptijd``: change of the median lead time in % of before (left is
        faster), with before → after in days at the right; ``termijn``: change
        of the share within the legal term in percentage points (right is better).
    """
    from matplotlib.lines import Line2D

    inst = instellingen or Instellingen()
    kleur = _kleur()
    t = vn[vn["getest"]] if len(vn) else vn
    if maat == "doorlooptijd":
        t = t[t["verandering"].notna()].sort_values("verandering", ascending=False, kind="stable")
        x, lo, hi = 100 * t["verandering"], 100 * t["verandering_laag"], 100 * t["verandering_hoog"]
        oordeel = t["oordeel"]
        namen = {SNELLER: "sneller", LANGZAMER: "langzamer", GEEN_VERSCHIL: "geen aantoonbaar verschil"}
        xlabel = "verandering van de mediane doorlooptijd (% van vóór): links is sneller"
    elif maat == "termijn":
        t = t[t["termijn_laag"].notna()].sort_values("termijn_verschil", kind="stable")
        x, lo, hi = 100 * t["termijn_verschil"], 100 * t["termijn_laag"], 100 * t["termijn_hoog"]
        oordeel = t["termijn_oordeel"].map({VAKER_OP_TIJD: SNELLER, MINDER_OP_TIJD: LANGZAMER}).fillna(GEEN_VERSCHIL)
        namen = {SNELLER: "vaker op tijd", LANGZAMER: "minder vaak op tijd", GEEN_VERSCHIL: "geen aantoonbaar verschil"}
        xlabel = "verandering van het aandeel binnen de wettelijke termijn (procentpunt): rechts is beter"
    else:
        raise UsageError(f"maat must be 'doorlooptijd' or 'termijn', not {maat!r}.")
    ax = _assen(ax, (8, 0.45 * max(len(t), 3) + 1.6))
    if t.empty:
        return _leeg(ax, "Geen zaaktypen met genoeg zaken om te toetsen")
    y = np.arange(len(t))
    kleuren = [kleur[k] for k in oordeel]
    ax.hlines(y, lo, hi, colors=kleuren, lw=3, alpha=0.75)
    ax.scatter(x, y, color=kleuren, s=50, zorder=3)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [_kort(s) for s in t["omschrijving"]])
    ax.set_ylim(-0.7, len(t) - 0.3)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.grid(axis="y", visible=False)
    if maat == "doorlooptijd":
        for yi, (_, r) in zip(y, t.iterrows(), strict=True):
            ax.annotate(f"{_dagen(r['mediaan_voor'])} → {_dagen(r['mediaan_na'])}", (1.01, yi),
                        xycoords=("axes fraction", "data"), va="center", fontsize=8)
    _nl_as(ax, "x")
    handles = [Line2D([], [], color=kleur[k], marker="o", lw=3, label=v) for k, v in namen.items()]
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.6 / max(len(t), 3) - 0.1), ncols=3,
              fontsize=8, frameon=False, title=f"punt: schatting · lijn: {b}%-betrouwbaarheidsinterval",
              title_fontsize=8)
    return ax


def teken_werk(ad: Adoptie, afdeling: str = ORGANISATIE, ax: Any = None,
               instellingen: Instellingen | None = None) -> Any:
    """Share of work registered as zaken by month since go-live.

    For the organisation a heatmap (one row per afdeling with a verdict, % of
    its normal volume in each cell); for one afdeling its registered zaken per
    month against its normal volume and the adoption threshold.
    """
    import matplotlib.colors as mcolors

    inst = instellingen or Instellingen()
    kleur = _kleur()
    pm = ad.per_maand
    if afdeling == ORGANISATIE:
        rijen = [a for a, o in zip(ad.per_afdeling["afdeling"], ad.per_afdeling["oordeel"], strict=True)
                 if o in (GEADOPTEERD, ACHTER) and a != ORGANISATIE]
        t = pm[pm["na_invoering"] & pm["afdeling"].isin(rijen)]
        wide = t.pivot(index="afdeling", columns="maand", values="aandeel_werk").reindex(rijen)
        ax = _assen(ax, (8.5, 0.42 * max(len(wide), 3) + 1.4))
        if wide.empty:
            return _leeg(ax, "Geen afdelingen met genoeg zaken voor een oordeel")
        cmap = mcolors.LinearSegmentedColormap.from_list("werk", [kleur[LANGZAMER], "#F0E442", kleur[SNELLER]])
        waarden = wide.to_numpy(dtype="float64")
        im = ax.imshow(np.clip(waarden, 0, 1), aspect="auto", cmap=cmap, vmin=0, vmax=1)
        ax.grid(False)
        for (i, j), v in np.ndenumerate(waarden):
            if not np.isnan(v):
                ax.text(j, i, nl.getal(100 * v), ha="center", va="center", fontsize=8)
        ax.set_yticks(range(len(wide)), [_kort(a, 34) for a in wide.index])
        ax.set_xticks(range(wide.shape[1]), _maand_labels(list(wide.columns)))
        cb = ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cb.set_label("% van het normale aantal zaken per maand", fontsize=8)
        return ax
    t = pm[pm["afdeling"] == afdeling].sort_values("maand")
    ax = _assen(ax, (8, 3.4))
    if t.empty or not (t["normaal_per_maand"] > 0).any():
        return _leeg(ax, "Geen zaken")
    xs = np.arange(len(t))
    ax.bar(xs, t["ontvangen"], color=np.where(t["na_invoering"], kleur["lijn"], "#B8C4D1"), width=0.75,
           label="geregistreerde zaken (licht: vóór de invoering)")
    norm = float(t["normaal_per_maand"].iloc[0])
    ax.axhline(norm, color="black", lw=1, label=f"normaal: {nl.getal(norm)} per maand")
    ax.axhline(inst.adoptie_drempel * norm, color=kleur["drempel"], lw=1.5, ls="--",
               label=f"{nl.procent(inst.adoptie_drempel, 0)} van normaal")
    ax.set_xticks(xs, _maand_labels(list(t["maand"])), rotation=45, ha="right")
    ax.set_ylabel("zaken per maand")
    _nl_as(ax)
    _legenda(ax, 3)
    return ax


def teken_gebruikers(ad: Adoptie, afdeling: str = ORGANISATIE, ax: Any = None) -> Any:
    """Active users per month against the number of staff, go-live marked."""
    kleur = _kleur()
    t = ad.per_maand[ad.per_maand["afdeling"] == afdeling].sort_values("maand")
    ax = _assen(ax, (8, 3.2))
    if t.empty:
        return _leeg(ax, "Geen medewerkers")
    xs = np.arange(len(t))
    ax.plot(xs, t["actieve_gebruikers"], marker="o", ms=3.5, lw=2, color=kleur["lijn"], label="actieve gebruikers")
    ax.plot(xs, t["medewerkers"], color=kleur["staf"], lw=1.2, ls="--", label="medewerkers")
    eerste = np.flatnonzero(t["na_invoering"].to_numpy())
    if len(eerste) and eerste[0] > 0:
        ax.axvline(eerste[0] - 0.5, color=kleur["drempel"], lw=1.5, label="invoering")
    ax.set_xticks(xs, _maand_labels(list(t["maand"])), rotation=45, ha="right")
    ax.set_ylim(bottom=0)
    _nl_as(ax)
    _legenda(ax, 3)
    return ax


def teken_signalen(verloop: pd.DataFrame, codes: tuple[str, ...] = KERNSIGNALEN, ax: Any = None) -> Any:
    """The key signals' shares by month since go-live (lower is better)."""
    from . import plots

    ax = _assen(ax, (8, 3.2))
    t = verloop[verloop["code"].isin(codes)]
    if t.empty:
        return _leeg(ax, "Geen signalen")
    maanden = sorted(verloop["maand"].unique())
    xs = {m: i for i, m in enumerate(maanden)}
    for i, code in enumerate(c for c in codes if c in set(t["code"])):
        g = t[t["code"] == code].sort_values("maand")
        s = signals.SIGNALEN[code]
        ax.plot([xs[m] for m in g["maand"]], 100 * g["aandeel"], marker="osD^"[i % 4], ms=3.5, lw=1.8,
                color=plots.PALET[i % len(plots.PALET)], label=f"{s.titel.split(' (')[0]} (% van de {s.noemer})")
    ax.set_xticks(range(len(maanden)), _maand_labels(maanden), rotation=45, ha="right")
    ax.set_ylabel("procent")
    ax.set_ylim(bottom=0)
    _nl_as(ax)
    _legenda(ax, 1)
    return ax


def teken_enquete(enq: Enquete, groep: str = ORGANISATIE, ax: Any = None) -> Any:
    """Per statement two stacked bars (nulmeting, evaluatie) of the five answers, in % of respondents."""
    import textwrap

    v = enq.verdeling
    v = v[v["groep"] == groep] if len(v) else v
    vragen = list(dict.fromkeys(v["vraag"])) if len(v) else []
    ax = _assen(ax, (8, 1.25 * max(len(vragen), 2) + 1.0))
    if not vragen:
        return _leeg(ax, "Geen enquêteresultaten")
    labels, ys, pos = [], [], 0.0
    for vraag in vragen[::-1]:
        start = pos
        for meting in (EVALUATIE, NULMETING):
            r = v[(v["vraag"] == vraag) & (v["meting"] == meting)]
            if r.empty:
                continue
            left = 0.0
            for i in range(5):
                w = 100 * float(r[f"score_{i + 1}"].iloc[0])
                ax.barh(pos, w, left=left, color=SCHAAL_KLEUR[i], height=0.75,
                        label=SCHAAL_LABEL[i] if not labels else None)
                left += w
            labels.append(meting)
            ys.append(pos)
            pos += 1
        # The statement in full above its two bars (a tick label would have to be cut short).
        ax.text(0, pos - 0.45, "\n".join(textwrap.wrap(_kort(vraag, 160), 95)), fontsize=8.5, fontweight="bold",
                va="bottom", ha="left")
        pos += 0.9 + 0.3 * (len(str(vraag)) > 95) if pos > start else 0
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_ylim(-0.6, pos - 0.3)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% van de respondenten")
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45 / len(ys) - 0.1), ncols=5, fontsize=8,
              frameon=False, handlelength=1.2, columnspacing=1.0)
    return ax


# --------------------------------------------------------------------------- Excel export

_BLADNAAM_MAX = 31


def standaard_uitvoermap(werkmap: str | os.PathLike[str] | None = None) -> Path:
    """The folder a notebook's files go to by default: the project's ``outputs`` folder.

    A kernel runs in its notebook's folder (JupyterLab, ``pytest --nbval``,
    ``zgw run``), and files written there would end up among the notebooks. So
    from a folder in or below ``notebooks/`` it is the ``outputs`` folder beside
    that ``notebooks/``; from anywhere else ``outputs`` in that folder (the
    project root when papermill runs from there).

    Parameters
    ----------
    werkmap : path, optional
        The folder to start from (default the current working directory).
    """
    start = Path(werkmap if werkmap is not None else Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if folder.name == "notebooks":
            return folder.parent / "outputs"
    return start / "outputs"


def standaard_excelpad(ev: Evaluatie, map_: str | os.PathLike[str] | None = None) -> Path:
    """``evaluatie-<afdeling>-<evaluatiedatum>.xlsx`` in ``map_`` (default :func:`standaard_uitvoermap`)."""
    naam = f"evaluatie-{slug(ev.afdeling)}-{ev.perioden.evaluatiedatum.date().isoformat()}.xlsx"
    return Path(map_ if map_ not in (None, "") else standaard_uitvoermap()) / naam


def excel_tabellen(ev: Evaluatie) -> dict[str, pd.DataFrame]:
    """The key tables of the evaluation as the board's appendix, sheet name to frame (numbers stay numbers)."""
    p, inst = ev.perioden, ev.instellingen
    toelichting = pd.DataFrame({"onderdeel": [
        "gemeente", "voor", "invoeringsdatum", "evaluatiedatum", "vergelijking vóór", "vergelijking na",
        "betrouwbaarheid", "minimaal aantal zaken per periode", "drempel adoptie", "definities",
    ], "waarde": [
        ev.gemeente, ev.wie, nl.datum(p.invoeringsdatum), nl.datum(p.evaluatiedatum), p.tekst("voor"),
        p.tekst("na"), nl.procent(inst.betrouwbaarheid, 0), nl.getal(inst.min_zaken),
        f"{nl.procent(inst.adoptie_drempel, 0)} van het normale aantal zaken per maand",
        "docs/metrics.md, sectie Evaluatie",
    ]})
    ad = ev.adoptie
    adoptie_ = ad.per_afdeling.rename(columns={
        "normaal_per_maand": "zaken per maand (nu)", "voor_per_maand": "zaken per maand vóór de invoering",
        "t_o_v_voor": "aandeel t.o.v. vóór", "achteraf": "aandeel achteraf geregistreerd",
        "actieve_gebruikers": "actieve gebruikers",
        "aandeel_actief": "aandeel actief", "zaaktypen_live": "zaaktypen live", "zaaktypen_totaal": "zaaktypen",
        "geadopteerd_sinds": "geadopteerd sinds", "maanden_na_invoering": "maanden na invoering"})
    per_maand = ad.per_maand[ad.per_maand["na_invoering"]].drop(columns="na_invoering").rename(columns={
        "normaal_per_maand": "normaal per maand", "aandeel_werk": "aandeel werk als zaak",
        "actieve_gebruikers": "actieve gebruikers", "aandeel_actief": "aandeel actief",
        "zaaktypen_live": "zaaktypen live", "achteraf": "aandeel achteraf geregistreerd"})
    vn = ev.voor_na
    voor_na = vn[vn["getest"]].drop(columns=["getest", "reden"]) if len(vn) else vn
    te_weinig = vn.loc[~vn["getest"], ["zaaktype", "omschrijving", "afdeling", "n_voor", "n_na", "reden"]] \
        if len(vn) else vn
    signalen_ = ev.signalen.drop(columns=["noemer_tekst"])
    enq = ev.enquete
    bev = [(kop, z) for kop, zinnen in bevindingen(ev, markdown=False).items() for z in (zinnen or ["(geen)"])]
    out = {
        "Toelichting": toelichting,
        "Adoptie": adoptie_,
        "Adoptie per maand": per_maand,
        "Voor en na": voor_na,
        "Te weinig zaken": te_weinig,
        "Signalen": signalen_,
        "Enquête verschuiving": enq.verschuiving,
        "Enquête verdeling": enq.verdeling,
        "Bevindingen (concept)": pd.DataFrame(bev, columns=["onderwerp", "bevinding"]),
    }
    r = ev.opschoning
    if r is not None and r.heeft_gegevens:
        out["Opschoonactie"] = r.prognose if r.is_organisatie else r.prognose[r.prognose["afdeling"] == ev.afdeling]
    return out


def _celwaarde(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    return v


def exporteer_excel(ev: Evaluatie, pad: str | os.PathLike[str] | None = None) -> Path:
    """Write :func:`excel_tabellen` to one ``.xlsx`` file, atomically (a failed write keeps the old file).

    Text from the data is written as text, never as a formula.

    Parameters
    ----------
    pad : path, optional
        Target file (``.xlsx``), or a folder to write :func:`standaard_excelpad`'s
        file name in (an existing folder, or a path without a suffix, so one
        ``excel_uit`` folder serves every department of a ``zgw run``); default
        :func:`standaard_excelpad` in :func:`standaard_uitvoermap`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if pad in (None, ""):
        target = standaard_excelpad(ev)
    elif Path(pad).is_dir() or not Path(pad).suffix:
        target = standaard_excelpad(ev, pad)
    else:
        target = Path(pad)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"excel_uit = {str(target)!r}: the file name must end in .xlsx (or name a folder).")
    target.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for naam, frame in excel_tabellen(ev).items():
        ws = wb.create_sheet(naam[:_BLADNAAM_MAX])
        ws.append([str(c) for c in frame.columns])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_celwaarde(v) for v in row])
        for col in ws.iter_cols(min_row=2):
            for c in col:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text such as "=SUM(...)" from the data stays text
                elif isinstance(c.value, float):
                    kop = str(ws.cell(1, c.column).value)
                    c.number_format = "0.0%" if ("aandeel" in kop or kop.startswith(("termijn", "verandering",
                                                                                       "eens", "score_"))) \
                        else "0.0"
        for i, kolom in enumerate(frame.columns, start=1):
            breed = max([len(str(kolom))] + [len(str(v)) for v in frame[kolom].head(200)])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(10, breed + 2), 60)
        ws.freeze_panes = "A2"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
