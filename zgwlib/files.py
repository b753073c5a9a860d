"""Writing single files so that nobody ever reads half of one.

Snapshots (folders) are replaced atomically by :func:`zgwlib.snapshot.write_snapshot`;
this module does the same for one file: write beside the target, then rename.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    Examples
    --------
    >>> with atomic_file(target) as tmp:          # doctest: +SKIP
    ...     workbook.save(tmp)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the target: os.replace is only atomic within one file system.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
