"""Process flow of one zaaktype, read from the status history (the zaak's event log).

A zaak's statussen form an event log: case = zaak, activity = statustype,
timestamp = ``datum_status_gezet``. From it this module derives what process
mining calls a directly-follows graph (which status follows which, how often,
after how long), the variants (complete paths) with their share and lead time,
the bottleneck (the status zaken wait longest in), skipped steps and steps back;
and the lead-time distribution per month of registration against the legal
term and the service norm.

Everything is vectorised pandas/numpy on integer codes, so a zaaktype with
500,000 zaken takes seconds (``benchmarks/bench_process.py``). PM4Py, the
field's open-source library, is deliberately not used: the discovery needed
here is a few group-bys, while PM4Py would add a large dependency tree to a kit
that may only use standard packages.

The functions expect the log of ONE zaaktype: the order of its statustypes
(by ``volgnummer``) defines what "the next step", "a skipped step" and "a step
back" mean.

Definitions (also in ``docs/metrics.md``, section Verkenning):

* wachttijd in a status: time from the moment a zaak got the status until it got
  its next status (days, fractional). The last status of a zaak has none.
* knelpunt: the non-final status with the longest median wachttijd among the
  statuses at least 5% of the zaken passed through.
* optionele status: a status fewer than half of the zaken that got past it had
  (for example "Advies ingewonnen" when advice is only sometimes needed). Passing
  it by is normal, not a skip.
* overgeslagen stap: a zaak skips a (non-optional) statustype S when it reached a
  status later in the sequence than S without ever having had S.
* transition kinds: ``vooruit`` to a later status with no non-optional status in
  between; ``sprong`` to a later status past a non-optional one (a skip);
  ``terug`` to a status at the same or an earlier place in the sequence.
* doorlooptijd: ``einddatum - startdatum`` in days, closed zaken only.

The charts and the Dutch display tables are in :mod:`zgwlib.verkenning.display`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from zgwlib.core import nl
from zgwlib.core.errors import UsageError

#: Transition kinds: the next step in the sequence, a jump over one or more steps, back (or the same status again).
VOORUIT, SPRONG, TERUG = "vooruit", "sprong", "terug"

#: A status fewer than this share of the zaken that got past it had is optional.
OPTIONEEL_ONDER = 0.5

_DAG = pd.Timedelta(days=1)


# --------------------------------------------------------------------------- helpers


def isin(values: pd.Series | pd.Index, pool: pd.Series | pd.Index | Iterable[str]) -> np.ndarray:
    """``values.isin(pool)`` for text columns, fast on millions of rows.

    pandas' own ``isin`` on its Arrow-backed ``str`` dtype walks the values as
    Python objects (seconds per million rows); pyarrow's ``is_in`` does not.
    Missing values are never in the pool.

    Returns
    -------
    numpy.ndarray of bool
    """
    left = pa.array(values, from_pandas=True)
    if isinstance(left, pa.ChunkedArray):
        left = left.combine_chunks()
    right = pd.Series(pool if isinstance(pool, (pd.Series, pd.Index)) else list(pool), dtype="str")
    if not pa.types.is_string(left.type) and not pa.types.is_large_string(left.type):
        left = left.cast(pa.large_string())  # an all-missing column arrives as type null
    value_set = pa.array(right.dropna().unique(), from_pandas=True).cast(left.type)
    return pc.is_in(left, value_set=value_set).to_numpy(zero_copy_only=False)


# --------------------------------------------------------------------------- selection


def periode(van: object = None, tot: object = None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Turn the notebook's ``periode_van``/``periode_tot`` into inclusive day bounds.

    A month (``"2025-03"``) means its first day for ``van`` and its last day for
    ``tot``; a date (``"2025-03-15"``, ``datetime.date``, ``Timestamp``) means that day.

    Raises
    ------
    UsageError
        When a value is not a month or a date, or ``van`` lies after ``tot``.
    """

    def one(value: object, name: str, einde: bool) -> pd.Timestamp | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}", value.strip()):
            p = pd.Period(value.strip(), freq="M")
            return (p.end_time if einde else p.start_time).normalize()
        try:
            ts = pd.Timestamp(value)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            raise UsageError(f"{name} = {value!r} is not a month (2025-03) or a date (2025-03-15).") from None
        return ts.normalize()

    a, b = one(van, "periode_van", False), one(tot, "periode_tot", True)
    if a is not None and b is not None and a > b:
        raise UsageError(f"periode_van ({a.date()}) lies after periode_tot ({b.date()}).")
    return a, b


def choose_zaaktype(zaaktypen: pd.DataFrame, zaken: pd.DataFrame, zaaktype: str | None = None) -> pd.Series:
    """Find the zaaktype a user means.

    Parameters
    ----------
    zaaktypen : DataFrame
        The ``zaaktypen`` table.
    zaken : DataFrame
        Zaken to choose from when ``zaaktype`` is None (already filtered on afdeling
        when the user chose one).
    zaaktype : str, optional
        Identificatie (``ZT-MOR``) or omschrijving, case-insensitive. None: the
        zaaktype with the most zaken in ``zaken``.

    Returns
    -------
    pandas.Series
        The zaaktype's row of ``zaaktypen``.
    """
    if zaaktype is None or not str(zaaktype).strip():
        if zaken.empty:
            raise UsageError("there are no zaken to choose a zaaktype from (check afdeling and periode).")
        grootste = zaken["zaaktype"].value_counts()
        # Ties broken by identificatie so the choice does not depend on row order.
        top = grootste[grootste == grootste.max()].sort_index().index[0]
        rows = zaaktypen[zaaktypen["identificatie"] == top]
        if rows.empty:
            raise UsageError(f"zaaktype {top!r} of the zaken is not in the zaaktypen table.")
        return rows.iloc[0]
    wanted = str(zaaktype).strip().casefold()
    for col in ("identificatie", "omschrijving"):
        hit = zaaktypen[zaaktypen[col].str.strip().str.casefold() == wanted]
        if len(hit):
            return hit.iloc[0]
    known = ", ".join(f"{i} ({o})" for i, o in zaaktypen[["identificatie", "omschrijving"]].itertuples(index=False))
    raise UsageError(f"unknown zaaktype {zaaktype!r}; choose an identificatie or omschrijving from: {known}")


@dataclass
class Selectie:
    """The zaken a user chose in the notebook's parameters cell.

    Attributes
    ----------
    zaaktype : pandas.Series
        Row of the ``zaaktypen`` table.
    zaken : DataFrame
        Zaken of that zaaktype, afdeling and period of registration.
    afdeling : str or None
    van, tot : Timestamp or None
        Inclusive bounds on ``registratiedatum``.
    """

    zaaktype: pd.Series
    zaken: pd.DataFrame
    afdeling: str | None
    van: pd.Timestamp | None
    tot: pd.Timestamp | None

    def beschrijving(self) -> str:
        """One Dutch sentence saying what was selected (plain text; escape before HTML)."""
        zt = self.zaaktype
        deel = f"{nl.getal(len(self.zaken))} zaken van zaaktype {zt['omschrijving']} ({zt['identificatie']})"
        if self.afdeling:
            deel += f", afdeling {self.afdeling}"
        if self.van is not None or self.tot is not None:
            deel += ", geregistreerd " + (
                f"van {nl.datum(self.van)} " if self.van is not None else ""
            ) + (f"tot en met {nl.datum(self.tot)}" if self.tot is not None else "")
        return deel.strip() + "."


def select(
    zaken: pd.DataFrame,
    zaaktypen: pd.DataFrame,
    zaaktype: str | None = None,
    afdeling: str | None = None,
    periode_van: object = None,
    periode_tot: object = None,
) -> Selectie:
    """Select the zaken of one zaaktype (and optionally one afdeling and period of registration).

    Raises
    ------
    UsageError
        Unknown zaaktype or afdeling, a bad period, or nothing left to look at.
    """
    van, tot = periode(periode_van, periode_tot)
    keep = pd.Series(True, index=zaken.index)
    if afdeling:
        if not (zaken["afdeling"] == afdeling).any():
            known = ", ".join(sorted(zaken["afdeling"].dropna().unique()))
            raise UsageError(f"afdeling {afdeling!r} has no zaken; afdelingen with zaken: {known}")
        keep &= zaken["afdeling"] == afdeling
    if van is not None:
        keep &= zaken["registratiedatum"] >= van
    if tot is not None:
        keep &= zaken["registratiedatum"] <= tot
    gekozen = zaken[keep]
    zt = choose_zaaktype(zaaktypen, gekozen, zaaktype)
    gekozen = gekozen[gekozen["zaaktype"] == zt["identificatie"]]
    if gekozen.empty:
        raise UsageError(
            f"zaaktype {zt['identificatie']} has no zaken"
            + (f" in afdeling {afdeling}" if afdeling else "")
            + (" in the chosen period" if van is not None or tot is not None else "")
            + "."
        )
    return Selectie(zt, gekozen, afdeling or None, van, tot)


# --------------------------------------------------------------------------- event log


@dataclass
class EventLog:
    """The status history of a set of zaken, sorted and enriched for analysis.

    Attributes
    ----------
    events : DataFrame
        One row per status, sorted by zaak and time, with columns ``zaak``,
        ``statustype``, ``volgnummer``, ``datum_status_gezet``, ``is_eindstatus``,
        ``stap`` (0 = the zaak's first status), ``volgende`` (next statustype,
        missing for the last) and ``wachttijd_dagen`` (days until the next status).
    statustypen : DataFrame
        The statustypes in sequence order: ``statustype``, ``volgnummer``,
        ``is_eindstatus``, ``positie`` (0, 1, ...), ``aandeel_gehad`` (share of
        the zaken that got past it that had it) and ``optioneel``.
    zaken : pandas.Index
        Zaak identificaties, in the order of the internal zaak codes.
    """

    events: pd.DataFrame
    statustypen: pd.DataFrame
    zaken: pd.Index
    # Internal integer views of events, same row order: zaak code, statustype code (= positie), next code (-1 = none).
    _zaak: np.ndarray
    _st: np.ndarray
    _next: np.ndarray
    # Per zaak code: which statuses it had (zaken x statustypen) and the furthest position it reached.
    _visited: np.ndarray
    _furthest: np.ndarray

    @property
    def aantal_zaken(self) -> int:
        """Number of zaken with at least one status."""
        return len(self.zaken)

    def _starts(self) -> np.ndarray:
        # Index of each zaak's first event (events are sorted by zaak code).
        return np.flatnonzero(np.r_[True, self._zaak[1:] != self._zaak[:-1]]) if len(self._zaak) else np.array([], int)


def event_log(statussen: pd.DataFrame, zaken: pd.DataFrame | pd.Index | None = None) -> EventLog:
    """Build the event log of one zaaktype's zaken.

    Parameters
    ----------
    statussen : DataFrame
        The ``statussen`` table (may hold other zaaktypes; see ``zaken``).
    zaken : DataFrame or Index, optional
        Only the statussen of these zaken (a frame with ``identificatie`` or an
        index of identificaties). Default: all statussen given.
    """
    st = _select_statussen(statussen, zaken)
    typen = _order_statustypen(st)
    order, zaak_code, zaak_ids, st_code, ts = _sort_events(st, typen)
    nxt, wait, starts, stap = _link_events(zaak_code, st_code, ts)
    visited, furthest = _find_optional(typen, zaak_code, st_code, starts, len(zaak_ids))
    cats = pd.CategoricalDtype(typen["statustype"].tolist(), ordered=True)
    base = st.iloc[order]
    events = pd.DataFrame(
        {
            # .array keeps the contract dtypes (str, Int64, boolean) where .to_numpy() would give objects.
            "zaak": base["zaak"].array,
            "statustype": pd.Categorical.from_codes(st_code, dtype=cats),
            "volgnummer": base["volgnummer"].array,
            "datum_status_gezet": base["datum_status_gezet"].array,
            "is_eindstatus": base["is_eindstatus"].array,
            "stap": stap,
            "volgende": pd.Categorical.from_codes(nxt, dtype=cats),
            "wachttijd_dagen": wait,
        }
    )
    return EventLog(events, typen, pd.Index(zaak_ids, dtype="str"), zaak_code, st_code, nxt, visited, furthest)


def _select_statussen(statussen: pd.DataFrame, zaken: pd.DataFrame | pd.Index | None) -> pd.DataFrame:
    """The statussen of ``zaken`` (all when None), with only the columns the event log needs."""
    st = statussen
    if zaken is not None:
        ids = zaken["identificatie"] if isinstance(zaken, pd.DataFrame) else pd.Series(zaken)
        st = st[isin(st["zaak"], ids)]
    cols = ["zaak", "statustype", "volgnummer", "datum_status_gezet", "is_eindstatus"]
    return st[cols]


def _order_statustypen(st: pd.DataFrame) -> pd.DataFrame:
    """The statustypes in sequence order (``positie``), with their typical ``volgnummer`` and ``is_eindstatus``."""
    # Sequence order of statustypes: by (typical) volgnummer, ties by name.
    typen = (
        st.groupby("statustype", observed=True)
        .agg(volgnummer=("volgnummer", "median"), is_eindstatus=("is_eindstatus", "max"))
        .reset_index()
    )
    typen["volgnummer"] = typen["volgnummer"].round().astype("Int64")
    typen["is_eindstatus"] = typen["is_eindstatus"].astype("boolean")
    typen = typen.sort_values(["volgnummer", "statustype"], kind="stable").reset_index(drop=True)
    typen["positie"] = np.arange(len(typen), dtype=np.int64)
    return typen


def _sort_events(st: pd.DataFrame, typen: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The events by zaak and time as codes: the order, zaak codes, zaak identificaties, statustype codes, times."""
    st_code = pd.Categorical(st["statustype"], categories=typen["statustype"]).codes.astype(np.int64)
    zaak_code, zaak_ids = pd.factorize(st["zaak"], sort=False)
    ts = st["datum_status_gezet"].to_numpy(dtype="datetime64[us]").astype(np.int64)
    vn = st["volgnummer"].to_numpy(dtype=np.int64, na_value=0)
    # Same timestamp: the lower volgnummer happened first (a status set twice in one click keeps its order).
    order = np.lexsort((vn, ts, zaak_code))
    return order, zaak_code[order], zaak_ids, st_code[order], ts[order]


def _link_events(zaak_code: np.ndarray, st_code: np.ndarray, ts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per sorted event: the next status of its zaak (-1: none), the wait until it (days), zaak starts, step."""
    n = len(zaak_code)
    same_next = np.zeros(n, dtype=bool)
    if n:
        same_next[:-1] = zaak_code[1:] == zaak_code[:-1]
    nxt = np.full(n, -1, dtype=np.int64)
    nxt[:-1][same_next[:-1]] = st_code[1:][same_next[:-1]]
    wait = np.full(n, np.nan)
    wait[:-1][same_next[:-1]] = (ts[1:] - ts[:-1])[same_next[:-1]] / 86_400e6  # microseconds -> days
    starts = np.flatnonzero(np.r_[True, zaak_code[1:] != zaak_code[:-1]]) if n else np.array([], int)
    stap = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n])) if n else np.array([], int)
    return nxt, wait, starts, stap


def _find_optional(typen: pd.DataFrame, zaak_code: np.ndarray, st_code: np.ndarray, starts: np.ndarray,
                   n_zaken: int) -> tuple[np.ndarray, np.ndarray]:
    """Add ``aandeel_gehad`` and ``optioneel`` to ``typen``; returns the statuses each zaak had and its furthest."""
    k = len(typen)
    visited = np.zeros((n_zaken, k), dtype=bool)
    visited[zaak_code, st_code] = True
    furthest = np.maximum.reduceat(st_code, starts) if len(st_code) else np.array([], dtype=np.int64)
    voorbij = furthest[:, None] > np.arange(k)[None, :]  # zaak got past the status
    n_voorbij = voorbij.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gehad = np.where(n_voorbij > 0, (visited & voorbij).sum(axis=0) / np.maximum(n_voorbij, 1), np.nan)
    typen["aandeel_gehad"] = gehad
    # Nothing lies beyond the final status, so it can never be optional; neither can a status nobody got past.
    typen["optioneel"] = (gehad < OPTIONEEL_ONDER) & ~np.isnan(gehad)
    return visited, furthest


# --------------------------------------------------------------------------- discovery


def _soort(log: EventLog, van: np.ndarray, naar: np.ndarray) -> np.ndarray:
    """Kind of each transition van -> naar (positions): forward, a jump past a non-optional status, or back."""
    verplicht = np.cumsum(~log.statustypen["optioneel"].to_numpy(dtype=bool))  # non-optional up to and incl. each
    tussen = verplicht[np.maximum(naar - 1, 0)] - verplicht[van]  # non-optional strictly between van and naar
    return np.where(naar <= van, TERUG, np.where(tussen > 0, SPRONG, VOORUIT))


def overgangen(log: EventLog) -> pd.DataFrame:
    """The directly-follows graph: every status-to-status transition.

    Returns
    -------
    DataFrame
        ``van``, ``naar``, ``aantal`` (transitions), ``zaken`` (zaken with it at
        least once), ``mediane_wachttijd_dagen`` (time in ``van`` before moving
        to ``naar``) and ``soort`` (``vooruit``, ``sprong`` or ``terug``), most
        frequent first.
    """
    has = log._next >= 0
    k = len(log.statustypen)
    pair = log._st[has] * k + log._next[has]
    frame = pd.DataFrame({"pair": pair, "zaak": log._zaak[has], "wacht": log.events["wachttijd_dagen"].to_numpy()[has]})
    g = frame.groupby("pair", sort=True)
    out = pd.DataFrame(
        {
            "aantal": g.size(),
            "zaken": g["zaak"].nunique(),
            "mediane_wachttijd_dagen": g["wacht"].median(),
        }
    )
    van, naar = out.index.to_numpy() // k, out.index.to_numpy() % k
    names = log.statustypen["statustype"].to_numpy()
    out.insert(0, "naar", names[naar])
    out.insert(0, "van", names[van])
    out["soort"] = _soort(log, van, naar)
    out = out.sort_values(["aantal", "van", "naar"], ascending=[False, True, True], kind="stable")
    out["van"] = out["van"].astype("str")
    out["naar"] = out["naar"].astype("str")
    return out.reset_index(drop=True)


def wachttijden(log: EventLog) -> pd.DataFrame:
    """Waiting time per status: how long zaken stay in it before their next status.

    Returns
    -------
    DataFrame
        One row per statustype in sequence order: ``statustype``, ``volgnummer``,
        ``is_eindstatus``, ``optioneel``, ``zaken`` (zaken that had it), ``aantal`` (completed
        stays), ``mediaan_dagen``, ``p90_dagen``, ``gemiddeld_dagen`` and
        ``nu_in_status`` (open zaken whose latest status it is: their wait is still
        running and not in the figures).
    """
    ev = log.events
    k = len(log.statustypen)
    done = log._next >= 0
    wacht = pd.Series(ev["wachttijd_dagen"].to_numpy()[done])
    g = wacht.groupby(log._st[done])
    out = log.statustypen[["statustype", "volgnummer", "is_eindstatus", "optioneel"]].copy()
    out["statustype"] = out["statustype"].astype("str")
    out["zaken"] = log._visited.sum(axis=0)
    out["aantal"] = np.bincount(log._st[done], minlength=k)
    out["mediaan_dagen"] = g.median().reindex(range(k)).to_numpy()
    out["p90_dagen"] = g.quantile(0.9).reindex(range(k)).to_numpy()
    out["gemiddeld_dagen"] = g.mean().reindex(range(k)).to_numpy()
    last = ~done
    eind = ev["is_eindstatus"].to_numpy(dtype=bool, na_value=False)
    out["nu_in_status"] = np.bincount(log._st[last & ~eind], minlength=k)
    return out.reset_index(drop=True)


def knelpunt(wacht: pd.DataFrame, aantal_zaken: int, min_aandeel: float = 0.05) -> pd.Series | None:
    """The bottleneck: the status zaken wait longest in (median).

    Parameters
    ----------
    wacht : DataFrame
        Result of :func:`wachttijden`.
    aantal_zaken : int
        Zaken in the log (for ``min_aandeel``).
    min_aandeel : float
        Only statuses at least this share of the zaken passed through count, so a
        rare detour with three slow zaken is not called the bottleneck.

    Returns
    -------
    pandas.Series or None
        The row of ``wacht``, with an extra ``factor``: its median divided by the
        median of the next slowest status (how much it stands out). None when no
        status qualifies.
    """
    kand = wacht[
        ~wacht["is_eindstatus"].fillna(False).astype(bool)
        & (wacht["zaken"] >= max(1, min_aandeel * aantal_zaken))
        & wacht["mediaan_dagen"].notna()
    ]
    if kand.empty:
        return None
    kand = kand.sort_values(["mediaan_dagen", "volgnummer"], ascending=[False, True], kind="stable")
    top = kand.iloc[0].copy()
    tweede = kand["mediaan_dagen"].iloc[1] if len(kand) > 1 else np.nan
    top["factor"] = top["mediaan_dagen"] / tweede if tweede and tweede > 0 else np.nan
    return top


def _paden(log: EventLog) -> np.ndarray:
    """Per zaak its statuses in order, as a row of statustype codes padded with -1."""
    starts = log._starts()
    lengths = np.diff(np.r_[starts, len(log._zaak)])
    width = int(lengths.max()) if len(lengths) else 0
    pad = np.full((log.aantal_zaken, width), -1, dtype=np.int16 if len(log.statustypen) < 32_000 else np.int32)
    pad[log._zaak, log.events["stap"].to_numpy()] = log._st
    return pad


def _doorlooptijd(zaken: pd.DataFrame) -> pd.Series:
    """Doorlooptijd in days (``einddatum - startdatum``) of closed zaken, by identificatie."""
    d = (zaken["einddatum"] - zaken["startdatum"]) / _DAG
    return pd.Series(d.to_numpy(dtype=float, na_value=np.nan), index=pd.Index(zaken["identificatie"], dtype="str"))


def varianten(log: EventLog, zaken: pd.DataFrame | None = None) -> pd.DataFrame:
    """The variants: distinct complete paths through the statuses, most common first.

    Parameters
    ----------
    log : EventLog
    zaken : DataFrame, optional
        The zaken of the log, for the doorlooptijd (``einddatum - startdatum``).
        Without it, lead time is first to last status.

    Returns
    -------
    DataFrame
        ``variant`` (statustypes joined by " → "), ``stappen``, ``aantal``,
        ``aandeel`` (of all zaken in the log), ``cumulatief_aandeel``,
        ``afgerond`` (ends in an eindstatus), ``mediane_doorlooptijd_dagen`` and
        ``p90_doorlooptijd_dagen`` (closed zaken of the variant).
    """
    cols = ["variant", "stappen", "aantal", "aandeel", "cumulatief_aandeel", "afgerond",
            "mediane_doorlooptijd_dagen", "p90_doorlooptijd_dagen"]
    if log.aantal_zaken == 0:
        return pd.DataFrame({c: [] for c in cols})
    pad = _paden(log)
    base = len(log.statustypen) + 1
    if pad.shape[1] * np.log2(base) < 62:
        # Each path as one integer (digits in base k+1), so grouping is a 1-D factorize instead of a row sort.
        key = ((pad.astype(np.int64) + 1) * base ** np.arange(pad.shape[1], dtype=np.int64)).sum(axis=1)
        inverse = pd.factorize(key)[0]
        counts = np.bincount(inverse)
        first = np.zeros(len(counts), dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # a zaak of each variant, to read its path
        uniq = pad[first]
    else:  # very long paths (many steps back): sort the rows themselves
        uniq, inverse, counts = np.unique(pad, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
    if zaken is not None:
        lead = _doorlooptijd(zaken).reindex(log.zaken).to_numpy()
    else:
        ts = log.events["datum_status_gezet"].to_numpy(dtype="datetime64[us]").astype(np.int64)
        starts = log._starts()
        first = ts[starts]
        last = ts[np.r_[starts[1:], len(ts)] - 1]
        lead = (last - first) / 86_400e6
    g = pd.Series(lead).groupby(inverse)
    names = log.statustypen["statustype"].to_numpy()
    eind = log.statustypen["is_eindstatus"].to_numpy(dtype=bool, na_value=False)
    labels, steps, ends = [], [], []
    for row in uniq:  # one iteration per distinct variant, not per zaak
        codes = row[row >= 0]
        labels.append(" → ".join(names[codes]))
        steps.append(len(codes))
        ends.append(bool(eind[codes[-1]]))
    out = pd.DataFrame(
        {
            "variant": pd.array(labels, dtype="str"),
            "stappen": steps,
            "aantal": counts,
            "afgerond": ends,
            "mediane_doorlooptijd_dagen": g.median().reindex(range(len(uniq))).to_numpy(),
            "p90_doorlooptijd_dagen": g.quantile(0.9).reindex(range(len(uniq))).to_numpy(),
        }
    )
    out = out.sort_values(["aantal", "variant"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["aandeel"] = out["aantal"] / log.aantal_zaken
    out["cumulatief_aandeel"] = out["aandeel"].cumsum()
    return out[cols]


def overgeslagen_stappen(log: EventLog) -> pd.DataFrame:
    """Zaken that skipped a status: they got further in the sequence without ever having it.

    Optional statuses (see :data:`OPTIONEEL_ONDER`) are not listed: passing them
    by is the normal way.

    Returns
    -------
    DataFrame
        One row per non-optional statustype that is skipped at least once:
        ``statustype``, ``volgnummer``, ``overgeslagen`` (zaken), ``aandeel`` (of
        the zaken that got past it), ``zonder_tussenstatus`` (of those, zaken that
        had no intermediate status at all: only a first and a final status, the
        pattern of registering a zaak afterwards).
    """
    cols = ["statustype", "volgnummer", "overgeslagen", "aandeel", "zonder_tussenstatus"]
    if log.aantal_zaken == 0:
        return pd.DataFrame({c: [] for c in cols})
    visited, furthest, typen = log._visited, log._furthest, log.statustypen
    eind = typen["is_eindstatus"].to_numpy(dtype=bool, na_value=False)
    tussen = ~eind.copy()
    tussen[0] = False  # the first status is not intermediate
    geen_tussen = ~visited[:, tussen].any(axis=1) & visited[:, eind].any(axis=1)
    rows = []
    for pos in np.flatnonzero(~typen["optioneel"].to_numpy(dtype=bool)):  # a handful; vectorised over zaken
        voorbij = furthest > pos
        skip = voorbij & ~visited[:, pos]
        n = int(skip.sum())
        if n:
            rows.append(
                (str(typen["statustype"].iat[pos]), typen["volgnummer"].iat[pos], n, n / int(voorbij.sum()),
                 int((skip & geen_tussen).sum()))
            )
    out = pd.DataFrame(rows, columns=cols)
    out["statustype"] = out["statustype"].astype("str")
    out["volgnummer"] = out["volgnummer"].astype("Int64")
    return out


def zaken_met_overgeslagen_stap(log: EventLog, statustype: str) -> pd.Index:
    """Identificaties of the zaken that got past ``statustype`` without having it."""
    names = log.statustypen["statustype"].astype("str").tolist()
    if statustype not in names:
        raise UsageError(f"statustype {statustype!r} does not occur in this log; it has: {', '.join(names)}")
    pos = names.index(statustype)
    return log.zaken[(log._furthest > pos) & ~log._visited[:, pos]]


def terugstappen(log: EventLog, ov: pd.DataFrame | None = None) -> tuple[pd.DataFrame, int]:
    """Steps back: transitions to the same or an earlier status.

    Parameters
    ----------
    log : EventLog
    ov : DataFrame, optional
        :func:`overgangen` of ``log`` when already computed.

    Returns
    -------
    (DataFrame, int)
        The backward rows of :func:`overgangen`, and the number of zaken with at
        least one step back.
    """
    ov = overgangen(log) if ov is None else ov
    back = ov[ov["soort"] == TERUG].reset_index(drop=True)
    has = log._next >= 0
    is_back = np.zeros(len(log._st), dtype=bool)
    is_back[has] = log._next[has] <= log._st[has]
    return back, int(len(np.unique(log._zaak[is_back])))


@dataclass
class Procesanalyse:
    """Everything the exploration notebook shows about one zaaktype's process."""

    log: EventLog
    overgangen: pd.DataFrame
    wachttijden: pd.DataFrame
    knelpunt: pd.Series | None
    varianten: pd.DataFrame
    overgeslagen: pd.DataFrame
    terugstappen: pd.DataFrame
    zaken_met_terugstap: int


def analyse(statussen: pd.DataFrame, zaken: pd.DataFrame) -> Procesanalyse:
    """Run every process analysis on the statussen of ``zaken`` (one zaaktype)."""
    log = event_log(statussen, zaken)
    wacht = wachttijden(log)
    ov = overgangen(log)
    back, n_back = terugstappen(log, ov)
    return Procesanalyse(
        log=log,
        overgangen=ov,
        wachttijden=wacht,
        knelpunt=knelpunt(wacht, log.aantal_zaken),
        varianten=varianten(log, zaken),
        overgeslagen=overgeslagen_stappen(log),
        terugstappen=back,
        zaken_met_terugstap=n_back,
    )


# --------------------------------------------------------------------------- lead time


def doorlooptijden(zaken: pd.DataFrame) -> pd.DataFrame:
    """Per zaak: month of registration, doorlooptijd and whether it closed within term and norm.

    Returns
    -------
    DataFrame
        ``identificatie``, ``registratiemaand`` (Period), ``afgesloten``,
        ``doorlooptijd_dagen`` (closed zaken), ``binnen_termijn`` (einddatum on or
        before ``uiterlijke_einddatum_afdoening``, the legal deadline including any
        extension) and ``binnen_servicenorm`` (on or before ``einddatum_gepland``);
        both missing while open or when the zaak has no such date.
    """
    z = zaken.reset_index(drop=True)
    eind = z["einddatum"]
    afgesloten = eind.notna()

    def binnen(grens: pd.Series) -> pd.Series:
        ok = pd.array(eind.to_numpy() <= grens.to_numpy(), dtype="boolean")
        ok[~(afgesloten & grens.notna()).to_numpy()] = pd.NA
        return pd.Series(ok)

    return pd.DataFrame(
        {
            "identificatie": z["identificatie"],
            "registratiemaand": z["registratiedatum"].dt.to_period("M"),
            "afgesloten": afgesloten,
            "doorlooptijd_dagen": ((eind - z["startdatum"]) / _DAG).astype("float64"),
            "binnen_termijn": binnen(z["uiterlijke_einddatum_afdoening"]),
            "binnen_servicenorm": binnen(z["einddatum_gepland"]),
        }
    )


def doorlooptijd_per_maand(zaken: pd.DataFrame) -> pd.DataFrame:
    """Lead-time distribution per month of registration.

    Recent months only contain the zaken that already closed (the slow ones are
    still open), so their medians are too low; ``open`` shows how many are left.

    Returns
    -------
    DataFrame
        Indexed by ``registratiemaand``: ``zaken``, ``afgesloten``, ``open``,
        ``p10``, ``p25``, ``mediaan``, ``p75``, ``p90`` (days, closed zaken),
        ``binnen_termijn`` and ``binnen_servicenorm`` (share of closed zaken with
        that date).
    """
    d = doorlooptijden(zaken)
    # Group on the integer month number: grouping Period objects is many times slower.
    d["registratiemaand"] = d["registratiemaand"].array.asi8
    g = d.groupby("registratiemaand", sort=True)
    dl = g["doorlooptijd_dagen"]
    out = pd.DataFrame(
        {
            "zaken": g.size(),
            "afgesloten": g["afgesloten"].sum().astype(int),
            "p10": dl.quantile(0.1),
            "p25": dl.quantile(0.25),
            "mediaan": dl.median(),
            "p75": dl.quantile(0.75),
            "p90": dl.quantile(0.9),
            # Nullable means give NA for a month without any such date; the charts want NaN.
            "binnen_termijn": g["binnen_termijn"].mean().to_numpy(dtype=float, na_value=np.nan),
            "binnen_servicenorm": g["binnen_servicenorm"].mean().to_numpy(dtype=float, na_value=np.nan),
        }
    )
    out.index = pd.PeriodIndex.from_ordinals(out.index.to_numpy(), freq="M", name="registratiemaand")
    out.insert(2, "open", out["zaken"] - out["afgesloten"])
    return out
