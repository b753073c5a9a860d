"""Termijnbewaking: the weekly worklist of open zaken that passed, or are about to pass, their legal deadline.

Every definition is in ``docs/metrics.md`` (section *Termijnbewaking*) and computed once here; the notebook
only shows. In short, on a *peildatum*:

- the **wettelijke datum** (legal deadline) of a zaak is its ``uiterlijke_einddatum_afdoening``; a ZGW
  zaaksysteem moves that date when the term is extended, so the extension is already in it. For a source
  whose date is the original term, the setting ``verlenging_optellen`` adds ``verlenging_duur_dagen``;
- **dagen over** (days left) = wettelijke datum − peildatum: 0 on the last day, negative once late;
- an open zaak is **te laat** when its days left are negative and **bijna te laat** when they are 0 up to the
  horizon (``horizon_dagen``); a **suspended** zaak (``opschorting_indicatie``) is listed apart, never as late;
- the **dwangsom** (Awb 4:17) is a risk for late zaken of the zaaktypen the parameters file names: what would
  be owed on the peildatum had the applicant given notice of default the day after the deadline.

How it stays fast on millions of zaken: dates become whole day numbers once (:func:`prepare`), the open zaken on
the list are found for every department in one pass (:func:`kandidaten`) and the weekly trend of late zaken is an
interval count over weeks (:func:`trend`): per zaak the weeks it was late form one range, so the counts of every
department, zaaktype and week are two ``bincount`` calls and a cumulative sum, not a loop over weeks.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from zgwlib.core.errors import UsageError
from zgwlib.core.lookup import index_in, posities
from zgwlib.core.periods import check_week, is_week, week_end
from zgwlib.core.terms import GEEN_TEAM, ORGANISATIE
from zgwlib.data.contract import hide_confidential
from zgwlib.data.sources import load_snapshot
from zgwlib.maandrapportage.figures import categorie

#: Awb article 4:17 lid 2: the dwangsom per day for the first 14 days, the next 14 days and the rest.
DWANGSOM_STAFFEL = ((14, 23), (14, 35), (14, 45))
#: Awb article 4:17 lid 2: at most 42 days, so at most 14 x 23 + 14 x 35 + 14 x 45 = 1.442 euro per zaak.
DWANGSOM_MAX_DAGEN = 42
DWANGSOM_MAX_BEDRAG = sum(d * b for d, b in DWANGSOM_STAFFEL)
#: Awb article 4:17 lid 3: the dwangsom runs from two weeks after the notice of default was received.
DWANGSOM_WACHTTIJD = 14

#: The conditions of the dwangsom, in one Dutch sentence (docs/metrics.md, Termijnbewaking).
DWANGSOM_VOORWAARDEN = (
    "Een dwangsom is alleen verschuldigd bij een aanvraag om een beschikking, als de aanvrager de gemeente na het "
    "verstrijken van de termijn schriftelijk in gebreke stelt en er twee weken later nog steeds geen besluit is; het "
    "bedrag hier is het hoogste dat nu verschuldigd zou kunnen zijn (bij een ingebrekestelling op de eerste dag na de "
    "termijn) en is een risico, geen schuld."
)

#: Missing day number (a date that is not there).
_GEEN = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Instellingen:
    """Settings of the Termijnbewaking; change them in ``parameters/termijnbewaking.yaml`` (:mod:`zgwlib.core.settings`).

    Attributes
    ----------
    horizon_dagen : int
        An open zaak whose legal deadline is at most this many days after the peildatum is on the list.
    dwangsom_zaaktypen : tuple of str
        Zaaktype identificaties to which the Wet dwangsom bij niet tijdig beslissen applies (applications for a
        beschikking); only their late zaken show a penalty risk. Empty: no zaaktype.
    zaak_url : str
        Link per zaak into the zaaksysteem, with {identificatie} where the zaak's identificatie goes, for example
        https://zaken.gemeente.nl/zaken/{identificatie}. Empty: no links.
    verlenging_optellen : bool
        Add verlenging_duur_dagen to uiterlijke_einddatum_afdoening. Leave false for a ZGW zaaksysteem, which moves
        that date itself when it extends the term; true only for a source whose date is the original term.
    trend_weken : int
        Weeks in the trend of open zaken past their legal term (the report week included).
    terugkerend_weken, terugkerend_venster : int
        A zaaktype "keeps coming back" when it had late zaken at the end of at least terugkerend_weken of the last
        terugkerend_venster weeks.
    max_rijen_organisatie, max_rijen_afdeling : int
        At most this many zaken per list (worklist, suspended) on the organisation's page and on a department's
        page; the page says how many more there are. A page of tens of thousands of rows takes minutes to make
        and nobody reads it: the departments' pages list their own zaken.
    """

    horizon_dagen: int = field(default=14, metadata={"min": 0})
    dwangsom_zaaktypen: tuple[str, ...] = ()
    zaak_url: str = ""
    verlenging_optellen: bool = False
    trend_weken: int = 13
    terugkerend_weken: int = 3
    terugkerend_venster: int = 4
    max_rijen_organisatie: int = field(default=200, metadata={"min": 1})
    max_rijen_afdeling: int = field(default=2000, metadata={"min": 1})

    def max_rijen(self, afdeling: str) -> int:
        """The most zaken a list shows on the page of ``afdeling`` (or the organisation)."""
        return self.max_rijen_organisatie if afdeling == ORGANISATIE else self.max_rijen_afdeling

    def __post_init__(self) -> None:
        url = self.zaak_url
        if url and (not url.startswith(("https://", "http://")) or "{identificatie}" not in url):
            raise UsageError(f"setting zaak_url {url!r}: expected a web address with {{identificatie}} in it, "
                             "for example https://zaken.gemeente.nl/zaken/{identificatie}.")
        if self.terugkerend_weken > self.terugkerend_venster:
            raise UsageError(f"setting terugkerend_weken ({self.terugkerend_weken}) cannot be more than "
                             f"terugkerend_venster ({self.terugkerend_venster}).")


# --------------------------------------------------------------------------- the dwangsom


def dwangsom(dagen: Any) -> np.ndarray:
    """The dwangsom of Awb 4:17 after ``dagen`` days of default: 23 euro a day for days 1-14, 35 for 15-28,
    45 for 29-42, nothing after day 42 (so at most 1.442 euro). Vectorised; 0 for 0 days or fewer."""
    d = np.clip(np.asarray(dagen, dtype=np.int64), 0, DWANGSOM_MAX_DAGEN)
    out = np.zeros(d.shape, dtype=np.int64)
    begin = 0
    for lengte, bedrag in DWANGSOM_STAFFEL:
        out += bedrag * np.clip(d - begin, 0, lengte)
        begin += lengte
    return out


def dwangsom_dagen(dagen_te_laat: Any) -> np.ndarray:
    """Days of dwangsom owed at most, ``dagen_te_laat`` days after the deadline.

    The notice of default can arrive at the earliest the day after the deadline (day 1); the dwangsom runs from
    two weeks after that (Awb 4:17 lid 3), so on day ``n`` at most ``n - 14`` days are owed, never more than 42.
    """
    return np.clip(np.asarray(dagen_te_laat, dtype=np.int64) - DWANGSOM_WACHTTIJD, 0, DWANGSOM_MAX_DAGEN)


def make_zaak_url(template: str, identificatie: str) -> str | None:
    """The link to one zaak: ``template`` with its ``{identificatie}`` filled in (URL-quoted); None without one."""
    if not template:
        return None
    return template.replace("{identificatie}", quote(str(identificatie), safe=""))


# --------------------------------------------------------------------------- prepared data


def _days(s: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970-01-01 (``int64``); a missing date is :data:`_GEEN`."""
    d = s.to_numpy(dtype="datetime64[us]").astype("datetime64[D]")
    out = d.astype(np.int64)  # NaT becomes the smallest int64, which is _GEEN
    return out


def _day(value: Any) -> int:
    return int(np.datetime64(pd.Timestamp(value).normalize().date(), "D").astype(np.int64))


@dataclass
class Basis:
    """Everything the report needs, prepared once per snapshot.

    Attributes
    ----------
    zaken : DataFrame
        The contract columns the report reads; ``afdeling``, ``zaaktype`` and ``team`` as categoricals (``team``:
        the behandelaar's team when that person works in the zaak's afdeling, else missing).
    reg, eind, gepland, wettelijk : ndarray of int64
        ``registratiedatum``, ``einddatum``, ``einddatum_gepland`` and the legal deadline (docs/metrics.md) as
        days since 1970-01-01; a missing date is the smallest int64.
    verlengd, opgeschort : ndarray of bool
        Whether the zaak has a ``verlenging_duur_dagen``, and whether ``opschorting_indicatie`` is true.
    afdelingen : list of str
        Every department in zaken or medewerkers, sorted.
    peildatum : Timestamp
        The last day of the data (``meta.json`` ``periode_tot``).
    meta : dict
        The snapshot's ``meta.json``.
    namen : Series
        Medewerker identificatie -> naam (shown only with ``toon_namen``).
    zaaktype_namen : dict
        Zaaktype identificatie -> omschrijving.
    heeft_opschorting, heeft_verlenging : bool
        Whether the data records suspension and extension at all (an export may lack the columns).
    """

    zaken: pd.DataFrame
    reg: np.ndarray
    eind: np.ndarray
    gepland: np.ndarray
    wettelijk: np.ndarray
    verlengd: np.ndarray
    opgeschort: np.ndarray
    afdelingen: list[str]
    peildatum: pd.Timestamp
    meta: dict[str, Any]
    namen: pd.Series
    zaaktype_namen: dict[str, str]
    heeft_opschorting: bool = True
    heeft_verlenging: bool = True
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)


#: Columns :func:`load` reads: the others are never needed, which matters on millions of zaken.
KOLOMMEN: dict[str, list[str]] = {
    "zaken": ["identificatie", "zaaktype", "afdeling", "behandelaar", "registratiedatum", "einddatum",
              "einddatum_gepland", "uiterlijke_einddatum_afdoening", "verlenging_reden", "verlenging_duur_dagen",
              "opschorting_indicatie", "opschorting_reden", "vertrouwelijkheidaanduiding"],
    "medewerkers": ["identificatie", "naam", "afdeling", "team"],
    "zaaktypen": ["identificatie", "omschrijving"],
}


def load(data: str | os.PathLike[str] | None = "voorbeeld", instellingen: Instellingen | None = None) -> Basis:
    """Read the columns the report needs from a snapshot (``"voorbeeld"``: the sample) and :func:`prepare` them."""
    return prepare(load_snapshot(data, list(KOLOMMEN), columns=KOLOMMEN), instellingen)


def prepare(snapshot: Any, instellingen: Instellingen | None = None) -> Basis:
    """Dates to day numbers, the legal deadline, team and categoricals, once (see :class:`Basis`)."""
    inst = instellingen or Instellingen()
    t = snapshot.tables
    z = t["zaken"][[c for c in KOLOMMEN["zaken"] if c in t["zaken"].columns]].copy(deep=False)
    mw = t["medewerkers"]
    n = len(z)
    uiterlijk = _days(z["uiterlijke_einddatum_afdoening"])
    duur = z["verlenging_duur_dagen"].to_numpy(dtype="float64", na_value=np.nan)
    verlengd = ~np.isnan(duur)
    wettelijk = uiterlijk.copy()
    if inst.verlenging_optellen:
        add = verlengd & (uiterlijk != _GEEN)
        wettelijk[add] += duur[add].astype(np.int64)
    opschorting = z["opschorting_indicatie"]
    opgeschort = opschorting.to_numpy(dtype=bool, na_value=False)

    afd = categorie(z["afdeling"], mw["afdeling"].dropna().astype("str"), key=lambda s: (s.lower(), s))
    afdelingen = [str(a) for a in afd.categories]
    z["afdeling"] = afd
    z["zaaktype"] = categorie(z["zaaktype"])
    # A zaak's team is its behandelaar's team when that person works in the zaak's afdeling (as docs/metrics.md).
    teams = pd.Index(sorted({str(x) for x in mw["team"].dropna()}, key=lambda s: (s.lower(), s)), dtype="str")
    beh = posities(mw["identificatie"], z["behandelaar"])[0] if n else np.zeros(0, dtype=np.int64)
    mw_afd = np.append(index_in(mw["afdeling"], pd.Series(afdelingen, dtype="str")), -1)
    mw_team = np.append(index_in(mw["team"], teams) if len(mw) else np.zeros(0, dtype=np.int64), -1)
    rij = np.where(beh >= 0, beh, len(mw))
    same = (beh >= 0) & (mw_afd[rij] == afd.codes)
    z["team"] = pd.Categorical.from_codes(np.where(same, mw_team[rij], -1), categories=teams)

    meta = dict(getattr(snapshot, "meta", {}) or {})
    reg, eind = _days(z["registratiedatum"]), _days(z["einddatum"])
    if meta.get("periode_tot"):
        peil = pd.Timestamp(str(meta["periode_tot"])[:10])
    else:
        known = np.concatenate([reg[reg != _GEEN], eind[eind != _GEEN]])
        peil = pd.Timestamp(np.datetime64(int(known.max()), "D")) if len(known) else pd.Timestamp(dt.date.today())
    namen = pd.Series(mw["naam"].to_numpy(dtype=object), index=mw["identificatie"].to_numpy(dtype=object))
    zt = t["zaaktypen"]
    return Basis(
        zaken=z, reg=reg, eind=eind, gepland=_days(z["einddatum_gepland"]), wettelijk=wettelijk, verlengd=verlengd,
        opgeschort=opgeschort, afdelingen=afdelingen, peildatum=peil.normalize(), meta=meta, namen=namen,
        zaaktype_namen=dict(zip(zt["identificatie"].astype(str), zt["omschrijving"].astype(str))),
        heeft_opschorting=bool(opschorting.notna().any()), heeft_verlenging=bool(verlengd.any()),
    )


def choose_peildatum(basis: Basis, periode: str | None = None, peildatum: Any = None) -> pd.Timestamp:
    """The day the list is made for.

    ``peildatum`` when given (a date, ``YYYY-MM-DD``); else the last day of the week ``periode`` (``YYYY-Www``),
    but never after the data's last day; else the data's last day (``periode_tot``).

    Raises
    ------
    UsageError
        For a peildatum that is not a date, a periode that is not an ISO week, or a peildatum after the data.
    """
    if peildatum not in (None, ""):
        try:
            day = pd.Timestamp(str(peildatum)[:10]).normalize()
        except ValueError:
            raise UsageError(f"peildatum {peildatum!r}: expected a date as YYYY-MM-DD, for example 2026-11-29.") from None
        if day > basis.peildatum:
            raise UsageError(f"peildatum {day.date()} is after the last day of the data ({basis.peildatum.date()}): "
                             "the list would miss what happened in between.")
        return day
    if periode not in (None, ""):
        if not is_week(str(periode)):
            check_week(periode, "periode")
        return min(week_end(str(periode)), basis.peildatum)
    return basis.peildatum


# --------------------------------------------------------------------------- the list


#: Columns of :attr:`Werklijst.zaken` and :attr:`Werklijst.opgeschort`.
KOLOMMEN_LIJST = (
    "identificatie", "zaaktype", "zaaktype_omschrijving", "afdeling", "team", "dagen_over", "einddatum_gepland",
    "wettelijke_datum", "verlengd", "verlenging_reden", "opschorting_reden", "behandelaar", "heeft_behandelaar",
    "dwangsom_van_toepassing", "dwangsom_dagen", "dwangsom_risico", "link",
)


def kandidaten(basis: Basis, peildatum: Any, instellingen: Instellingen) -> pd.DataFrame:
    """Every open zaak of every department on the list on ``peildatum``: late, within the horizon, or suspended.

    One pass over all zaken; :func:`werklijst` then selects a department's rows. Cached per peildatum and
    settings on ``basis``.
    """
    p = _day(peildatum)
    key = ("kandidaten", p, instellingen)
    if key in basis.cache:
        return basis.cache[key]
    open_ = (basis.reg != _GEEN) & (basis.reg <= p) & ((basis.eind == _GEEN) | (basis.eind > p))
    has = basis.wettelijk != _GEEN
    over = np.where(has, basis.wettelijk - p, 0)
    rows = np.flatnonzero(open_ & ((has & (over <= instellingen.horizon_dagen)) | basis.opgeschort))
    z = basis.zaken.iloc[rows]
    dagen = over[rows]
    zt = z["zaaktype"].astype("str").to_numpy(dtype=object)
    geldt = np.isin(zt, list(instellingen.dwangsom_zaaktypen)) & ~basis.opgeschort[rows] & has[rows]
    te_laat = np.maximum(-dagen, 0)
    ddagen = np.where(geldt, dwangsom_dagen(te_laat), 0)

    def datum(days: np.ndarray) -> np.ndarray:
        out = days.astype("datetime64[D]").astype("datetime64[us]")
        out[days == _GEEN] = np.datetime64("NaT")
        return out

    ident = z["identificatie"].astype("str").to_numpy(dtype=object)
    frame = pd.DataFrame({
        "identificatie": ident,
        "zaaktype": zt,
        "zaaktype_omschrijving": [basis.zaaktype_namen.get(x, x) for x in zt],
        "afdeling": z["afdeling"].astype("str").to_numpy(dtype=object),
        "team": z["team"].astype("object").to_numpy(),
        "dagen_over": np.where(has[rows], dagen, np.nan),
        "einddatum_gepland": datum(basis.gepland[rows]),
        "wettelijke_datum": datum(basis.wettelijk[rows]),
        "verlengd": basis.verlengd[rows],
        # Free text about the zaak (why it was extended or suspended: "wacht op medisch advies"): never that of a
        # confidential zaak, in any list this frame makes.
        "verlenging_reden": hide_confidential(z["verlenging_reden"], z.get("vertrouwelijkheidaanduiding")),
        "opschorting_reden": hide_confidential(z["opschorting_reden"], z.get("vertrouwelijkheidaanduiding")),
        "behandelaar": z["behandelaar"].astype("object").to_numpy(),
        "heeft_behandelaar": z["behandelaar"].notna().to_numpy(),
        "dwangsom_van_toepassing": geldt,
        "dwangsom_dagen": ddagen,
        "dwangsom_risico": np.where(geldt, dwangsom(ddagen), 0),
        "link": [make_zaak_url(instellingen.zaak_url, i) for i in ident],
        "_opgeschort": basis.opgeschort[rows],
    })
    frame = frame.sort_values(["dagen_over", "identificatie"], kind="stable", na_position="last")
    frame = frame.reset_index(drop=True)
    basis.cache[key] = frame
    return frame


@dataclass
class Werklijst:
    """The list of one department (or the organisation) on one peildatum.

    Attributes
    ----------
    zaken : DataFrame
        Open zaken, not suspended, late or within the horizon, the nearest deadline first (most days late at the
        top); columns :data:`KOLOMMEN_LIJST`. ``dagen_over`` is negative when late.
    opgeschort : DataFrame
        Open suspended zaken (any deadline), with their reason (with ``toon_omschrijving``); never counted as late.
    peildatum : Timestamp
    horizon_dagen : int
    open : int
        Open zaken of the department on the peildatum (suspended ones included).
    zonder_termijn : int
        Open zaken without an ``uiterlijke_einddatum_afdoening``: this report cannot watch them.
    """

    zaken: pd.DataFrame
    opgeschort: pd.DataFrame
    peildatum: pd.Timestamp
    horizon_dagen: int
    open: int
    zonder_termijn: int

    @property
    def te_laat(self) -> pd.DataFrame:
        """The zaken past their legal deadline (days left negative)."""
        return self.zaken[self.zaken["dagen_over"] < 0]

    @property
    def bijna(self) -> pd.DataFrame:
        """The zaken that reach their legal deadline within the horizon (0 to ``horizon_dagen`` days left)."""
        return self.zaken[self.zaken["dagen_over"] >= 0]


def werklijst(basis: Basis, peildatum: Any, instellingen: Instellingen, afdeling: str = ORGANISATIE, *,
              toon_omschrijving: bool = False) -> Werklijst:
    """The worklist of ``afdeling`` (``"organisatie"``: every zaak) on ``peildatum`` (docs/metrics.md).

    The list is published, so a zaak is named by identificatie and zaaktype with its dates: the reasons for its
    extension and suspension (free text that describes it, often a citizen's circumstances) are empty unless
    ``toon_omschrijving`` (a department that serves its reports privately), and never given for a zaak whose
    vertrouwelijkheidaanduiding is ``vertrouwelijk`` or higher (:func:`zgwlib.data.contract.hide_confidential`).
    """
    alle = kandidaten(basis, peildatum, instellingen)
    if not toon_omschrijving:
        alle = alle.assign(verlenging_reden=None, opschorting_reden=None)
    p = _day(peildatum)
    if afdeling == ORGANISATIE:
        mine, rows = alle, slice(None)
    else:
        mine = alle[alle["afdeling"] == afdeling]
        codes = basis.zaken["afdeling"].cat.categories.get_indexer([afdeling])
        rows = basis.zaken["afdeling"].cat.codes.to_numpy() == codes[0] if codes[0] >= 0 else np.zeros(
            len(basis.zaken), dtype=bool)
    open_ = (basis.reg != _GEEN) & (basis.reg <= p) & ((basis.eind == _GEEN) | (basis.eind > p))
    open_ = open_[rows]
    zonder = int((open_ & (basis.wettelijk[rows] == _GEEN) & ~basis.opgeschort[rows]).sum())
    sus = mine["_opgeschort"].to_numpy(dtype=bool)
    lijst = mine[~sus].drop(columns="_opgeschort").reset_index(drop=True)
    opgeschort = mine[sus].drop(columns="_opgeschort").reset_index(drop=True)
    return Werklijst(lijst, opgeschort, pd.Timestamp(peildatum).normalize(), instellingen.horizon_dagen,
                     int(open_.sum()), zonder)


# --------------------------------------------------------------------------- summaries


def telling(lijst: Werklijst, per: str) -> pd.DataFrame:
    """Counts per ``per`` (``"zaaktype"`` or ``"team"``): te laat, bijna te laat, zonder behandelaar, dwangsomrisico.

    The most late zaken first. A zaak without a team counts under :data:`GEEN_TEAM`.
    """
    z = lijst.zaken.assign(
        team=lijst.zaken["team"].fillna(GEEN_TEAM),
        _laat=lijst.zaken["dagen_over"] < 0,
        _bijna=lijst.zaken["dagen_over"] >= 0,
        _zonder=~lijst.zaken["heeft_behandelaar"].astype(bool),
    )
    sleutel = ["zaaktype", "zaaktype_omschrijving"] if per == "zaaktype" else ["team"]
    if z.empty:
        return pd.DataFrame(columns=[*sleutel, "te_laat", "bijna", "zonder_behandelaar", "dwangsom_risico"])
    out = z.groupby(sleutel, observed=True, sort=False).agg(
        te_laat=("_laat", "sum"), bijna=("_bijna", "sum"), zonder_behandelaar=("_zonder", "sum"),
        dwangsom_risico=("dwangsom_risico", "sum"),
    ).reset_index()
    return out.sort_values(["te_laat", "bijna", sleutel[0]], ascending=[False, False, True]).reset_index(drop=True)


def _week_ends(peildatum: Any, weken: int) -> np.ndarray:
    """The last day of each of the ``weken`` weeks up to the peildatum's week, oldest first.

    The report week ends on the peildatum itself (a peildatum on a Wednesday counts that week up to Wednesday);
    earlier weeks end on their Sunday.
    """
    p = _day(peildatum)
    sunday = p - ((p + 3) % 7) - 1  # the Sunday before the peildatum's week (1970-01-01 was a Thursday)
    return np.array([sunday - 7 * (weken - 2 - k) for k in range(weken - 1)] + [p], dtype=np.int64)


def trend(basis: Basis, peildatum: Any, weken: int) -> tuple[np.ndarray, np.ndarray]:
    """Open zaken past their legal term at the end of each of the last ``weken`` weeks, per department and zaaktype.

    A zaak is counted at a week's end ``e`` when it is open at ``e`` (``registratiedatum <= e``, ``einddatum``
    empty or after ``e``) and its legal deadline is before ``e``. Zaken suspended on the peildatum are left out
    of every week: the data holds a zaak's suspension now, not its history.

    Returns
    -------
    (ndarray, ndarray)
        The week ends (day numbers, oldest first) and the counts, shape (afdelingen, zaaktypen, weken) in the order
        of ``basis.zaken["afdeling"]`` and ``["zaaktype"]`` categories.
    """
    key = ("trend", _day(peildatum), weken)
    if key in basis.cache:
        return basis.cache[key]
    ends = _week_ends(peildatum, weken)
    z = basis.zaken
    afd = z["afdeling"].cat.codes.to_numpy().astype(np.int64)
    zt = z["zaaktype"].cat.codes.to_numpy().astype(np.int64)
    A, Z = len(z["afdeling"].cat.categories), len(z["zaaktype"].cat.categories)
    ok = (basis.wettelijk != _GEEN) & (basis.reg != _GEEN) & ~basis.opgeschort & (afd >= 0) & (zt >= 0)
    # Late at e  <=>  e >= max(registratiedatum, wettelijke datum + 1)  and  e < einddatum (or still open).
    lo = np.maximum(basis.reg, basis.wettelijk + 1)
    hi = np.where(basis.eind == _GEEN, np.iinfo(np.int64).max // 2, basis.eind - 1)
    # The first and last week whose end falls in [lo, hi]; week ends are not evenly spaced at the last one.
    first = np.searchsorted(ends, lo, side="left")
    last = np.searchsorted(ends, hi, side="right") - 1
    ok &= first <= last
    g = (afd * Z + zt)[ok]
    W = len(ends)
    diff = np.bincount(g * (W + 1) + first[ok], minlength=A * Z * (W + 1))
    diff -= np.bincount(g * (W + 1) + last[ok] + 1, minlength=A * Z * (W + 1))
    counts = np.cumsum(diff.reshape(A * Z, W + 1), axis=1)[:, :W].reshape(A, Z, W)
    basis.cache[key] = (ends, counts)
    return ends, counts


def trend_frame(basis: Basis, peildatum: Any, weken: int, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The weekly trend of ``afdeling``: columns ``week_einde`` (date) and ``te_laat`` (count)."""
    ends, counts = trend(basis, peildatum, weken)
    per_week = _rows_of(basis, counts, afdeling).sum(axis=0)
    return pd.DataFrame({"week_einde": ends.astype("datetime64[D]").astype("datetime64[us]"),
                         "te_laat": per_week.astype(np.int64)})


def _rows_of(basis: Basis, counts: np.ndarray, afdeling: str) -> np.ndarray:
    """The (zaaktypen, weken) counts of one department, or summed over all for the organisation."""
    if afdeling == ORGANISATIE:
        return counts.sum(axis=0)
    i = basis.zaken["afdeling"].cat.categories.get_indexer([afdeling])[0]
    return counts[i] if i >= 0 else np.zeros(counts.shape[1:], dtype=counts.dtype)


def terugkerend(basis: Basis, peildatum: Any, instellingen: Instellingen, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """Zaaktypen that keep coming back: late zaken at the end of at least ``terugkerend_weken`` of the last
    ``terugkerend_venster`` weeks. Columns ``zaaktype``, ``zaaktype_omschrijving``, ``weken`` (in how many of those
    weeks) and ``te_laat_nu`` (late at the end of the report week); the most weeks first."""
    ends, counts = trend(basis, peildatum, max(instellingen.trend_weken, instellingen.terugkerend_venster))
    mine = _rows_of(basis, counts, afdeling)[:, -instellingen.terugkerend_venster:]
    weken = (mine > 0).sum(axis=1)
    keep = np.flatnonzero(weken >= instellingen.terugkerend_weken)
    names = [str(c) for c in basis.zaken["zaaktype"].cat.categories]
    out = pd.DataFrame({
        "zaaktype": [names[i] for i in keep],
        "zaaktype_omschrijving": [basis.zaaktype_namen.get(names[i], names[i]) for i in keep],
        "weken": weken[keep].astype(np.int64),
        "te_laat_nu": mine[keep, -1].astype(np.int64),
    })
    return out.sort_values(["weken", "te_laat_nu", "zaaktype"], ascending=[False, False, True]).reset_index(drop=True)
