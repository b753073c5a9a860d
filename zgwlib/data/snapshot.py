"""Reading and writing snapshots: one Parquet file per contract table plus ``meta.json``.

A snapshot is written to a temporary directory beside its destination and
renamed into place only when complete, so a failed write never leaves half a
snapshot and never replaces a good one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from zgwlib.data import contract
from zgwlib.core.errors import SnapshotError
from zgwlib.core.files import replace_dir

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
        "aangemaakt_op": dt.datetime.now().replace(microsecond=0).isoformat(),
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
        ``overwrite`` is true.
    meta : mapping
        Contents of ``meta.json`` (see :func:`build_meta`).
    overwrite : bool
        Whether an existing snapshot may be replaced.

    Returns
    -------
    pathlib.Path
        The snapshot directory.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise SnapshotError(f"{out} already exists; choose another --out or remove it first.")
    if out.exists() and any(out.iterdir()) and not (out / "meta.json").exists():
        # Never wipe a directory that is not a snapshot (a typo in --out could point at $HOME).
        raise SnapshotError(f"{out} exists and is not a snapshot (no meta.json); refusing to replace it.")
    missing = [t.name for t in contract.TABLES.values() if t.required and t.name not in tables]
    if missing:
        raise SnapshotError(f"cannot write a snapshot without table(s): {', '.join(missing)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        for name, spec in contract.TABLES.items():
            frame = tables.get(name)
            frame = spec.empty() if frame is None else contract.conform(name, frame)
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "meta.json").write_text(
            json.dumps(dict(meta), indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
        )
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def read_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read ``meta.json`` of the snapshot at ``path``."""
    p = Path(path) / "meta.json"
    if not p.exists():
        raise SnapshotError(f"{path} is not a snapshot: it has no meta.json (make one with 'zgw sample' or 'zgw import').")
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{p}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    version = str(meta.get("contract_versie", ""))
    if version.split(".")[0] != contract.CONTRACT_VERSION.split(".")[0]:
        raise SnapshotError(
            f"{p}: contract version {version or '(none)'} cannot be read by this kit "
            f"(contract {contract.CONTRACT_VERSION}); make the snapshot again."
        )
    return meta


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
            frame = pd.read_parquet(file, columns=[c for c in cols if c not in absent] if cols else None)
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise SnapshotError(f"{file}: cannot be read as Parquet ({exc}).") from None
        for c in absent:
            frame[c] = contract.empty_column(spec.column(c), frame.index)
        if absent and not cols:
            frame = frame[[c for c in spec.column_names if c in frame.columns]
                          + [c for c in frame.columns if c not in spec.column_names]]
        loaded[name] = frame
    return Snapshot(loaded, meta, path)
