"""Figures computed once and read many times: a folder of Parquet files keyed by the snapshot and the settings.

Every department's report needs some figures of the whole organisation (the month table of every department, the
cleanup's table per department, the archive's incomplete dossiers, the row numbers that link statuses and documents
to their zaak); ``zgw run`` starts one kernel per report and
department, and each would compute them again. Under ``zgw run`` the runner gives the kernels a cache folder in the
environment variable :data:`~zgwlib.core.terms.CACHE_MAP_ENV`; :func:`cached_frame` then computes a table once and
the other kernels read it. Outside ``zgw run`` (a notebook in JupyterLab) the variable is not set and
:func:`cached_frame` simply computes.

An entry's name holds a hash of

- the snapshot's content as the file system tells it: ``meta.json`` byte for byte and every Parquet file's name,
  size and modification time (nanoseconds), so any new import, fetch or sample gives new entries;
- the settings (their ``repr``: a frozen ``Instellingen`` dataclass shows every field) and the call's own arguments
  (month, department, ...).

Entries are written with :func:`zgwlib.core.files.atomic_file` (a temporary file beside it, then a rename), so a
kernel reading while another writes sees the whole entry or none. An entry that cannot be read (corrupt, cut off,
another format) counts as missing: it is computed again and replaced. A cache that cannot be written (full disk,
read-only folder) costs only time: the figures are computed and used all the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from zgwlib.core.files import atomic_file
from zgwlib.core.terms import CACHE_MAP_ENV

#: Bump when the way entries are stored changes, so old entries are never read.
FORMAT = 1


def cache_folder() -> Path | None:
    """The cache folder given by ``zgw run`` (:data:`~zgwlib.core.terms.CACHE_MAP_ENV`), or ``None``: no cache."""
    value = os.environ.get(CACHE_MAP_ENV, "").strip()
    return Path(value) if value else None


def snapshot_fingerprint(folder: str | os.PathLike[str]) -> str:
    """A hash of a snapshot folder's content: ``meta.json`` itself and each Parquet file's name, size and mtime."""
    folder = Path(folder)
    h = hashlib.sha256()
    meta = folder / "meta.json"
    h.update(meta.read_bytes() if meta.exists() else b"")
    for path in sorted(folder.glob("*.parquet")):
        st = path.stat()
        h.update(f"\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def entry_path(folder: Path, naam: str, snapshot: str | os.PathLike[str], *key: Any) -> Path:
    """Where the entry ``naam`` for this snapshot and key lives in ``folder``."""
    h = hashlib.sha256()
    h.update(json.dumps([FORMAT, naam, snapshot_fingerprint(snapshot), [repr(k) for k in key]]).encode())
    safe = re.sub(r"[^a-z0-9_]+", "-", naam.lower()).strip("-") or "tabel"
    return folder / f"{safe}-{h.hexdigest()[:40]}.parquet"


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - any unreadable entry (cut off, corrupt, not Parquet) is simply rebuilt
        return None


def cached_frame(naam: str, snapshot: str | os.PathLike[str] | None, key: tuple[Any, ...],
                 compute: Callable[[], pd.DataFrame], folder: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """``compute()``, stored once per snapshot and key in the cache folder and read from there afterwards.

    Parameters
    ----------
    naam : str
        What the table is (part of the file name), e.g. ``"maandcijfers"``.
    snapshot : path, optional
        The snapshot folder the table is computed from, its tables as read, unchanged: the entry belongs to the
        folder's files. ``None`` (data not from a folder, or changed in memory): no cache.
    key : tuple
        Everything else the result depends on: the settings, the month, the department, ...; compared by ``repr``.
    compute : callable
        Makes the table. It must return a DataFrame with a default index whose Parquet round trip gives the same
        frame (plain int, float, bool, string, datetime and category columns do).
    folder : path, optional
        The cache folder; default :func:`cache_folder` (only under ``zgw run``).

    Returns
    -------
    DataFrame
        The same frame with and without the cache.
    """
    where = Path(folder) if folder is not None else cache_folder()
    if where is None or snapshot is None or not Path(snapshot).is_dir():
        return compute()
    path = entry_path(where, naam, snapshot, *key)
    found = _read(path)
    if found is not None:
        return found
    frame = compute()
    try:
        with atomic_file(path) as tmp:
            frame.to_parquet(tmp, index=False)
    except OSError:
        pass  # no cache, only slower
    return frame
