"""Where a snapshot comes from: ``"voorbeeld"`` (the built-in sample, generated once) or a folder.

Every report and command resolves its ``data`` parameter here, so "voorbeeld"
means the same sample everywhere and it is generated at most once per cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from zgwlib.core.terms import SAMPLE_NAME
from zgwlib.data import contract
from zgwlib.data.sample import DEFAULT_SEED, build_sample
from zgwlib.data.snapshot import Snapshot, read_snapshot

#: Environment variable naming the folder where the built-in sample is cached.
#: Default: ``$XDG_CACHE_HOME/zgwlib`` or ``~/.cache/zgwlib``.
CACHE_ENV = "ZGW_CACHE_DIR"


def cache_dir() -> Path:
    """Folder where the built-in sample municipality is generated on first use."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zgwlib"


def resolve(data: str | os.PathLike[str] | None) -> Path:
    """Turn a notebook's ``data`` parameter into a snapshot directory.

    ``None``, ``""`` or ``"voorbeeld"`` mean the built-in sample municipality,
    generated (default size and seed) into :func:`cache_dir` the first time.
    Anything else is a path to a snapshot directory.
    """
    if data is None or str(data) in ("", SAMPLE_NAME):
        target = cache_dir() / f"{SAMPLE_NAME}-seed{DEFAULT_SEED}-v{contract.CONTRACT_VERSION}"
        if not (target / "meta.json").exists():
            build_sample(target)
        return target
    return Path(data)


def load_snapshot(
    data: str | os.PathLike[str] | None = None,
    tables: Iterable[str] | None = None,
    *,
    columns: Mapping[str, list[str]] | None = None,
) -> Snapshot:
    """Load a snapshot: ``None`` or ``"voorbeeld"`` for the built-in sample, else a snapshot folder.

    ``tables`` and ``columns`` select what is read, as in :func:`zgwlib.data.snapshot.read_snapshot`.
    """
    return read_snapshot(resolve(data), tables, columns=columns)


def afdelingen(data: str | os.PathLike[str] | None = None) -> list[str]:
    """Every department in a snapshot: the ``afdeling`` values of zaken and medewerkers, sorted.

    Reads only those two columns, so it is cheap even on a large snapshot.
    """
    snap = load_snapshot(data, ["zaken", "medewerkers"], columns={"zaken": ["afdeling"], "medewerkers": ["afdeling"]})
    names: set[str] = set()
    for frame in snap.tables.values():
        names.update(str(v).strip() for v in frame["afdeling"].dropna().unique())
    return sorted((n for n in names if n), key=str.lower)
