"""Per-zaak facts of the monthly report: the definitions every figure and signal is built from.

Each fact is a plain function on contract tables (has an intermediate status,
has documents, registered afterwards, open on a day, past the legal term, days
since the last status, staff never active); :func:`zgwlib.maandrapportage.figures.prepare`
applies them once per snapshot. Definitions: ``docs/metrics.md``, sections
*Maandrapportage* and *Signalen*. Also here: fast lookups of text values in a
pool (Arrow hash tables), which the figures use on millions of rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


# --------------------------------------------------------------------------- fast text lookups


def text_array(values: Any, combine: bool = True) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow ``large_string``.

    pandas' Arrow-backed ``str`` arrives in chunks; with ``combine`` they are
    joined once, because a ``take`` across dozens of chunks is many times
    slower than the copy. A plain lookup reads the chunks as they are.
    """
    arr = pa.array(values, from_pandas=True) if not isinstance(values, (pa.Array, pa.ChunkedArray)) else values
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())  # string, or null for an all-missing column
    if isinstance(arr, pa.ChunkedArray) and (combine or arr.num_chunks == 1):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    return arr


#: Pools larger than this are looked up run by run (their hash table no longer fits a CPU cache).
_GROTE_POOL = 65_536


def posities(pool: pd.Series | pd.Index | list[str], *kolommen: pd.Series) -> list[np.ndarray]:
    """For each text column, the position of every value in ``pool`` (``-1`` when absent or missing).

    Used to turn zaak and medewerker identificaties into row numbers once, so
    everything after is integer work. One hash table over ``pool`` serves
    every column. Runs of equal values (statuses and documents are usually
    stored zaak by zaak) are looked up once; when those runs are exactly
    ``pool`` in its own order, nothing is looked up at all.

    Returns
    -------
    list of numpy.ndarray of int64
        One array per column, aligned with it.
    """
    p = text_array(pool)
    out: list[np.ndarray | None] = []
    heads: list[pa.Array] = []
    runs: list[tuple[int, np.ndarray, int]] = []  # (column number, run starts, column length)
    for i, kolom in enumerate(kolommen):
        if len(p) <= _GROTE_POOL:
            found = pc.index_in(text_array(kolom, combine=False), value_set=p).fill_null(-1)
            out.append(found.to_numpy(zero_copy_only=False).astype(np.int64))
            continue
        a = text_array(kolom)
        n = len(a)
        if n == 0:
            out.append(np.zeros(0, dtype=np.int64))
            continue
        same = pc.equal(a.slice(1), a.slice(0, n - 1)).fill_null(False).to_numpy(zero_copy_only=False)
        starts = np.flatnonzero(np.r_[True, ~same])
        head = a.take(pa.array(starts)) if len(starts) < n else a
        if len(head) == len(p) and pc.all(pc.equal(head, p)).as_py() is True:
            out.append(np.repeat(np.arange(len(p), dtype=np.int64), np.diff(np.r_[starts, n])))
            continue
        out.append(None)
        heads.append(head)
        runs.append((i, starts, n))
    if heads:
        found = pc.index_in(pa.concat_arrays(heads), value_set=p)
        found = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        at = 0
        for i, starts, n in runs:
            part = found[at: at + len(starts)]
            at += len(starts)
            out[i] = part if len(starts) == n else np.repeat(part, np.diff(np.r_[starts, n]))
    return [o if o is not None else np.zeros(0, dtype=np.int64) for o in out]


def posities_kloppen(pool: pd.Series | pd.Index | list[str], kolom: pd.Series, rij: np.ndarray) -> bool:
    """Whether ``rij`` is what :func:`posities` gives for ``kolom`` in ``pool``, checked without a lookup.

    Every row number must point at its own value in ``pool``, and a value without a row (-1) must not be in
    ``pool``. Row numbers read from the run's cache are checked this way, so tables changed in memory after
    reading can never get another table's row numbers (a tenth of the time of computing them).
    """
    if len(rij) != len(kolom):
        return False
    p, k = text_array(pool), text_array(kolom)
    gevonden = rij >= 0
    if gevonden.any():
        if int(rij.max()) >= len(p):
            return False
        wijst = p.take(pa.array(rij[gevonden])).cast(pa.large_string())
        if not pc.all(pc.equal(wijst, k.filter(pa.array(gevonden)))).as_py():
            return False
    if (~gevonden).any():
        rest = k.filter(pa.array(~gevonden))
        if pc.any(pc.is_in(rest, value_set=p)).as_py():
            return False
    return True


def index_in(values: pd.Series | np.ndarray, pool: pd.Series | pd.Index | list[str]) -> np.ndarray:
    """Position of each text value in ``pool`` (``-1`` when absent or missing), fast on millions of rows."""
    return posities(pool, values)[0]


def _rijen(zaken: pd.DataFrame, kolom: pd.Series, rij: np.ndarray | None) -> np.ndarray:
    return posities(zaken["identificatie"], kolom)[0] if rij is None else np.asarray(rij)


def _markeer(n: int, rij: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rij[rij >= 0]] = True
    return out


# --------------------------------------------------------------------------- per-zaak definitions


def _dates(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[us]")


def heeft_tussenstatus(zaken: pd.DataFrame, statussen: pd.DataFrame, rij: np.ndarray | None = None) -> np.ndarray:
    """Whether each zaak has a status other than its first (volgnummer 1) and a final one.

    Parameters
    ----------
    zaken, statussen : DataFrame
        Contract tables.
    rij : array of int, optional
        Per status, the row of its zaak in ``zaken`` (:func:`posities`); computed when not given.

    Returns
    -------
    numpy.ndarray of bool
        Aligned with ``zaken``.
    """
    rij = _rijen(zaken, statussen["zaak"], rij)
    volgnummer = statussen["volgnummer"].to_numpy(dtype="float64", na_value=np.nan)
    eind = statussen["is_eindstatus"].to_numpy(dtype=bool, na_value=False)
    tussen = (volgnummer != 1) & ~eind
    return _markeer(len(zaken), rij[tussen])


def heeft_documenten(zaken: pd.DataFrame, documenten: pd.DataFrame, rij: np.ndarray | None = None) -> np.ndarray:
    """Whether each zaak has at least one row in ``documenten`` (``rij``: per document, its zaak's row)."""
    return _markeer(len(zaken), _rijen(zaken, documenten["zaak"], rij))


def achteraf_geregistreerd(zaken: pd.DataFrame, tussenstatus: np.ndarray) -> np.ndarray:
    """Closed zaken registered afterwards: ``einddatum == registratiedatum`` and no intermediate status.

    Parameters
    ----------
    zaken : DataFrame
        Contract zaken.
    tussenstatus : array of bool
        :func:`heeft_tussenstatus` of the same zaken.
    """
    eind, reg = _dates(zaken["einddatum"]), _dates(zaken["registratiedatum"])
    return ~np.isnat(eind) & (eind == reg) & ~np.asarray(tussenstatus, dtype=bool)


def _dag(peildatum: str | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(peildatum).normalize().to_datetime64(), "us")


def open_op(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Zaken open at the end of ``peildatum``: registered on or before it, not closed on or before it."""
    p = _dag(peildatum)
    eind, reg = _dates(zaken["einddatum"]), _dates(zaken["registratiedatum"])
    return (reg <= p) & (np.isnat(eind) | (eind > p))


def open_over_termijn(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Open at ``peildatum`` with ``uiterlijke_einddatum_afdoening`` before ``peildatum`` (strictly)."""
    uiterlijk = _dates(zaken["uiterlijke_einddatum_afdoening"])
    return open_op(zaken, peildatum) & ~np.isnat(uiterlijk) & (uiterlijk < _dag(peildatum))


def dagen_sinds_laatste_status(
    zaken: pd.DataFrame, statussen: pd.DataFrame, peildatum: str | pd.Timestamp, rij: np.ndarray | None = None,
    alleen: np.ndarray | None = None,
) -> np.ndarray:
    """Whole days from each zaak's last status set on or before ``peildatum`` to ``peildatum``.

    A zaak without any status by then counts from its registratiedatum. NaN for
    zaken registered after ``peildatum``.

    Parameters
    ----------
    rij : array of int, optional
        Per status, the row of its zaak in ``zaken`` (:func:`posities`).
    alleen : array of bool, optional
        Only these zaken (the others get NaN); saves work on large data.
    """
    p = _dag(peildatum)
    rij = _rijen(zaken, statussen["zaak"], rij)
    gezet = statussen["datum_status_gezet"].to_numpy(dtype="datetime64[us]")
    sel = (rij >= 0) & (gezet < p + np.timedelta64(1, "D"))  # NaT compares False
    if alleen is not None:
        alleen = np.asarray(alleen, dtype=bool)
        sel &= alleen[np.where(rij >= 0, rij, 0)]
    # The smallest int64 is NaT: zaken without a status keep it.
    last = np.full(len(zaken), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, rij[sel], gezet[sel].view(np.int64))
    last_d = last.view("datetime64[us]").astype("datetime64[D]")
    reg = _dates(zaken["registratiedatum"]).astype("datetime64[D]")
    last_d = np.where(np.isnat(last_d), reg, last_d)
    p_d = p.astype("datetime64[D]")
    days = (p_d - last_d).astype("float64")
    days[np.isnat(last_d) | (reg > p_d)] = np.nan
    if alleen is not None:
        days[~alleen] = np.nan
    return days


def nooit_actief(
    medewerkers: pd.DataFrame, zaken: pd.DataFrame, statussen: pd.DataFrame,
    behandelaar_rij: np.ndarray | None = None, gezet_door_rij: np.ndarray | None = None,
) -> np.ndarray:
    """Staff with empty ``actief_sinds`` who never appear as behandelaar or as gezet_door.

    ``behandelaar_rij`` / ``gezet_door_rij``: per zaak / status, the row of that
    person in ``medewerkers`` (:func:`posities`); computed when not given.
    """
    if behandelaar_rij is None or gezet_door_rij is None:
        behandelaar_rij, gezet_door_rij = posities(medewerkers["identificatie"], zaken["behandelaar"],
                                                   statussen["gezet_door"])
    gezien = _markeer(len(medewerkers), np.asarray(behandelaar_rij)) | _markeer(len(medewerkers),
                                                                                 np.asarray(gezet_door_rij))
    return medewerkers["actief_sinds"].isna().to_numpy() & ~gezien


# --------------------------------------------------------------------------- intake channel

#: Codes of :func:`kanaal_soort`.
DIGITAAL, NIET_DIGITAAL, KANAAL_ONBEKEND, ZONDER_KANAAL = 0, 1, 2, 3


def kanaal_naam(naam: str) -> str:
    """A channel name as it is compared: trimmed and case-folded (``"E-formulier "`` is ``"e-formulier"``)."""
    return str(naam).strip().casefold()


def kanaal_soort(kanalen: pd.Series, digitaal: tuple[str, ...], niet_digitaal: tuple[str, ...]) -> np.ndarray:
    """Per zaak whether its ``communicatiekanaal`` is digital (docs/metrics.md, *Digitaal binnengekomen*).

    Parameters
    ----------
    kanalen : Series
        ``zaken.communicatiekanaal`` (text or categorical).
    digitaal, niet_digitaal : tuple of str
        The municipality's channel names of each kind (compared by :func:`kanaal_naam`); a name in both counts
        as digital.

    Returns
    -------
    ndarray of int8
        :data:`DIGITAAL`, :data:`NIET_DIGITAAL`, :data:`KANAAL_ONBEKEND` (a name in neither list: the report
        names it rather than guess) or :data:`ZONDER_KANAAL` (empty).
    """
    cat = kanalen if isinstance(kanalen.dtype, pd.CategoricalDtype) else kanalen.astype("category")
    dig = {kanaal_naam(k) for k in digitaal}
    niet = {kanaal_naam(k) for k in niet_digitaal}
    per_cat = np.array([DIGITAAL if kanaal_naam(c) in dig else NIET_DIGITAAL if kanaal_naam(c) in niet
                        else KANAAL_ONBEKEND for c in cat.cat.categories] + [ZONDER_KANAAL], dtype=np.int8)
    return per_cat[cat.cat.codes.to_numpy()]  # code -1 (missing) takes the last slot
