"""Reading and writing snapshots: one Parquet file per contract table plus ``meta.json``.

A snapshot is written to a temporary directory beside its destination and
renamed into place only when complete, so a failed write never leaves half a
snapshot and never replaces a good one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from zgwlib.core.errors import SnapshotError
from zgwlib.core.files import kind_of_bron, new_dir
from zgwlib.core.nl import AMSTERDAM
from zgwlib.data import contract

@dataclass
class Snapshot:
    """The tables of one snapshot, loaded in memory.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        Every contract table, with contract dtypes (optional tables may be empty).
    meta : dict
        Contents of ``meta.json``.
    path : pathlib.Path, optional
        Directory it was read from.
    """

    tables: dict[str, pd.DataFrame]
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def __getattr__(self, name: str) -> pd.DataFrame:
        # snap.zaken, snap.statussen, ...: convenient in notebooks.
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def gemeente(self) -> str:
        """Name of the municipality the data is from."""
        return str(self.meta.get("gemeente", "onbekende gemeente"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def build_meta(tables: Mapping[str, pd.DataFrame], gemeente: str, bron: str, **extra: Any) -> dict[str, Any]:
    """Compose ``meta.json`` for a set of tables.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The snapshot's tables.
    gemeente : str
        Municipality name.
    bron : str
        Where the data came from (``voorbeeld``, ``import: <path>``, ``zgw-api: <url>``).
    **extra
        Further keys (for example ``invoeringsdatum``, ``sinds``, ``sample``).
    """
    zaken = tables.get("zaken")
    van = tot = None
    if zaken is not None and len(zaken):
        van = zaken["registratiedatum"].min()
        tot = max(zaken["registratiedatum"].max(), zaken["einddatum"].max() if zaken["einddatum"].notna().any() else van)
    meta: dict[str, Any] = {
        "gemeente": gemeente,
        "bron": bron,
        # Dutch local time, whatever the machine's time zone.
        "aangemaakt_op": dt.datetime.now(AMSTERDAM).replace(microsecond=0, tzinfo=None).isoformat(),
        "periode_van": van.date().isoformat() if van is not None else None,
        "periode_tot": tot.date().isoformat() if tot is not None else None,
        "aantallen": {name: int(len(df)) for name, df in tables.items()},
        "contract_versie": contract.CONTRACT_VERSION,
    }
    meta.update(extra)
    return meta


def write_snapshot(
    tables: Mapping[str, pd.DataFrame],
    out: str | os.PathLike[str],
    meta: Mapping[str, Any],
    *,
    overwrite: bool = True,
    force: bool = False,
    sources: Iterable[str | os.PathLike[str] | None] = (),
) -> Path:
    """Write ``tables`` as a snapshot to ``out``, atomically.

    Missing optional tables are written empty. The tables are conformed to the
    contract's columns and dtypes; they are not validated here (callers do that
    first, see :func:`zgwlib.data.validate.validate`).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Contract tables.
    out : path
        Destination directory. Replaced as a whole when it exists and
        ``overwrite`` is true, and only when it holds a snapshot of the same kind
        (its ``bron``: an import replaces an import, the sample the sample), see
        :func:`zgwlib.core.files.check_out`.
    meta : mapping
        Contents of ``meta.json`` (see :func:`build_meta`).
    overwrite : bool
        Whether an existing snapshot may be replaced.
    force : bool
        Also replace a snapshot of another kind; the old one is kept as ``<out>.vorige``.
    sources : paths
        What the snapshot was made from; ``out`` may not be, hold or lie inside one of them.

    Raises
    ------
    OutputError
        ``out`` holds something else, or cannot be written (full disk, read-only, a file).

    Returns
    -------
    pathlib.Path
        The snapshot directory.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise SnapshotError(f"{out} already exists; choose another --out or remove it first.")
    missing = [t.name for t in contract.TABLES.values() if t.required and t.name not in tables]
    if missing:
        raise SnapshotError(f"cannot write a snapshot without table(s): {', '.join(missing)}")
    with new_dir(out, kind=kind_of_bron(meta.get("bron")), sources=sources, force=force) as tmp:
        for name, spec in contract.TABLES.items():
            frame = tables.get(name)
            frame = spec.empty() if frame is None else contract.conform(name, frame)
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "meta.json").write_text(
            json.dumps(dict(meta), indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
        )
    return out


#: meta.json keys that hold a day (``YYYY-MM-DD``) and a moment (``YYYY-MM-DDTHH:MM:SS``).
META_DAYS = ("periode_van", "periode_tot", "invoeringsdatum", "sinds")
META_MOMENTS = ("aangemaakt_op", "opgehaald_op", "laatste_volledige_fetch")
#: Days before this are not plausible in any snapshot (systems write 0001-01-01 for "no date").
FIRST_PLAUSIBLE_DAY = dt.date(1900, 1, 1)


def meta_mistakes(meta: object) -> list[str]:
    """What is wrong with the contents of a meta.json: not an object, a day or moment that is not one."""
    if not isinstance(meta, dict):
        kind = {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true/false"}.get(
            type(meta), "null" if meta is None else type(meta).__name__)
        return [f"is not a JSON object with keys (it holds {kind})"]
    mistakes = []
    for keys, parse in ((META_DAYS, dt.date.fromisoformat), (META_MOMENTS, dt.datetime.fromisoformat)):
        for key in keys:
            value = meta.get(key)
            if value is None:
                continue
            try:
                day = parse(value) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None:
                mistakes.append(f"{key} is not a {'day (YYYY-MM-DD)' if keys is META_DAYS else 'moment'}: "
                                f"{_short(value)}")
            elif (day.date() if isinstance(day, dt.datetime) else day) < FIRST_PLAUSIBLE_DAY:
                mistakes.append(f"{key} lies before 1900: {value!r}")
    return mistakes


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text):,} characters)"


def data_until(meta: Mapping[str, Any]) -> dt.date | None:
    """The last day a snapshot's data may hold, from its meta.json; None when it does not say.

    That is ``periode_tot``, the day up to which the data is complete. A fetch records the day
    before it read as complete (the day it read is not over yet), so its data may also reach
    the day it read (``opgehaald_op``).
    """
    days = [dt.date.fromisoformat(str(meta[k])[:10]) for k in ("periode_tot", "opgehaald_op") if meta.get(k)]
    return max(days) if days else None


def read_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read ``meta.json`` of the snapshot at ``path``.

    Raises
    ------
    SnapshotError
        No meta.json, not JSON, not a JSON object, a date in it that is not one, or a
        contract version this kit cannot read.
    """
    p = Path(path) / "meta.json"
    if not p.exists():
        raise SnapshotError(f"{path} is not a snapshot: it has no meta.json (make one with 'zgw sample' or 'zgw import').")
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{p}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise SnapshotError(f"{p}: not UTF-8 text.") from None
    mistakes = meta_mistakes(meta)
    if mistakes:
        raise SnapshotError(f"{p}: " + "; ".join(mistakes))
    version = str(meta.get("contract_versie", ""))
    if version.split(".")[0] != contract.CONTRACT_VERSION.split(".")[0]:
        raise SnapshotError(
            f"{p}: contract version {version or '(none)'} cannot be read by this kit "
            f"(contract {contract.CONTRACT_VERSION}); make the snapshot again."
        )
    return meta


#: Tables read once by :func:`preload`: per Parquet file, its (size, modification time) then and every column.
_PRELOADED: dict[Path, tuple[tuple[int, int], pd.DataFrame]] = {}


def _stamp(file: Path) -> tuple[int, int]:
    st = file.stat()
    return st.st_size, st.st_mtime_ns


def preload(path: str | os.PathLike[str]) -> None:
    """Read every table of the snapshot at ``path`` into this process, for the processes forked from it.

    ``zgw run``'s fork server (:mod:`zgwlib.publish.forkserver`) calls this before it forks the report kernels.
    :func:`read_snapshot` in a kernel then takes its tables from memory it shares with the server instead of
    reading and decoding the files again, which cost every kernel seconds on a 2,000,000-zaak snapshot, and the
    machine holds the tables once instead of once per kernel. Sharing is safe: a fork's pages are copied when
    written (copy-on-write), and pandas copies a frame's data before changing it when another frame was taken
    from it. A file changed since (size or modification time) is read from disk as usual; one that cannot be
    read is left to :func:`read_snapshot` to report.

    Read without Arrow's reading threads, so nothing is running when the server forks (the idle threads Arrow
    keeps are started anew in a forked child by Arrow itself).
    """
    for file in sorted(Path(path).glob("*.parquet")):
        try:
            stamp = _stamp(file)
            frame = pd.read_parquet(file, use_threads=False, pre_buffer=False,
                                    to_pandas_kwargs={"use_threads": False})
        except Exception:  # noqa: BLE001 - the kernel reads it again and says what is wrong
            continue
        _PRELOADED[file.resolve()] = (stamp, frame)


def _read_table(file: Path, columns: list[str] | None) -> pd.DataFrame:
    """``pd.read_parquet(file, columns=columns)``, from :func:`preload`'s tables when the file is unchanged."""
    found = _PRELOADED.get(file.resolve())
    if found is not None and found[0] == _stamp(file):
        return found[1][columns] if columns is not None else found[1].copy(deep=False)
    return pd.read_parquet(file, columns=columns)


def read_snapshot(
    path: str | os.PathLike[str],
    tables: Iterable[str] | None = None,
    *,
    columns: Mapping[str, list[str]] | None = None,
) -> Snapshot:
    """Read the snapshot in folder ``path`` (:func:`zgwlib.data.sources.load_snapshot` also knows the sample).

    Parameters
    ----------
    path : path
        Snapshot directory.
    tables : iterable of str, optional
        Only these tables (default all).
    columns : mapping of table to column list, optional
        Only these columns of the named tables (saves memory on large data).

    Returns
    -------
    Snapshot
    """
    path = Path(path)
    meta = read_meta(path)
    names = list(tables) if tables is not None else list(contract.TABLES)
    loaded: dict[str, pd.DataFrame] = {}
    for name in names:
        if name not in contract.TABLES:
            raise SnapshotError(f"unknown table {name!r}; the contract has {', '.join(contract.TABLES)}")
        file = path / f"{name}.parquet"
        spec = contract.TABLES[name]
        if not file.exists():
            if spec.required:
                raise SnapshotError(f"{path}: table {name} is missing ({file.name} not found).")
            loaded[name] = spec.empty()
            continue
        cols = (columns or {}).get(name)
        try:
            # A snapshot of an older minor contract version lacks the optional columns added since: read as empty.
            present = set(pq.read_schema(file).names)
            absent = [c for c in (cols or spec.column_names) if c not in present and c in spec.optional_columns]
            frame = _read_table(file, [c for c in cols if c not in absent] if cols else None)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise SnapshotError(f"{file}: cannot be read as Parquet ({exc}).") from None
        for c in absent:
            frame[c] = contract.empty_column(spec.column(c), frame.index)
        if absent and not cols:
            frame = frame[[c for c in spec.column_names if c in frame.columns]
                          + [c for c in frame.columns if c not in spec.column_names]]
        loaded[name] = frame
    return Snapshot(loaded, meta, path)
