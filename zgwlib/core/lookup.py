"""Fast lookups of text values in a pool (Arrow hash tables), for millions of rows.

Zaak, medewerker and document identificaties are text; matching them with pandas' ``isin`` or ``merge`` on
Arrow-backed strings costs seconds per report on a 2,000,000-zaak snapshot. :func:`posities` turns them into row
numbers once, so everything after is integer work. Used by every report that links statuses, documents or staff
to zaken.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


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


def index_in(values: pd.Series | np.ndarray, pool: pd.Series | pd.Index | list[str]) -> np.ndarray:
    """Position of each text value in ``pool`` (``-1`` when absent or missing), fast on millions of rows."""
    return posities(pool, values)[0]


def mark(n: int, rij: np.ndarray) -> np.ndarray:
    """``n`` flags, True at each row number in ``rij`` (``-1``, no row, is left out)."""
    out = np.zeros(n, dtype=bool)
    out[rij[rij >= 0]] = True
    return out


def pointed_at(pool: pd.Series | pd.Index | list[str], kolom: pd.Series) -> np.ndarray:
    """Per value of ``pool``, whether any value of ``kolom`` is it: which zaken have a document, for example."""
    return mark(len(pool), posities(pool, kolom)[0])
