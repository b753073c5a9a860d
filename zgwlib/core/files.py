"""Writing files and folders so that nobody ever reads half of one.

The mechanism for every output of the kit (snapshots, exports, index pages,
appendices): write beside the target, then rename into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zgwlib.core.terms import BIJLAGEN_ENV


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


def replace_dir(tmp: str | os.PathLike[str], out: str | os.PathLike[str]) -> None:
    """Move the finished folder ``tmp`` to ``out``, replacing an earlier ``out`` in two renames.

    The caller decides whether ``out`` may be replaced (a snapshot, an earlier export); readers see the
    old folder or the new one, never a mix, and the old one is removed only after the new one is in place.
    """
    tmp, out = Path(tmp), Path(out)
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


# --------------------------------------------------------------------------- appendices of a report


def standaard_uitvoermap(werkmap: str | os.PathLike[str] | None = None) -> Path:
    """The folder a notebook's files go to by default: the project's ``outputs`` folder.

    Under ``zgw run`` it is the folder the runner names in ``ZGW_BIJLAGEN_MAP``,
    so the file is published beside the report. Otherwise: a kernel runs in its
    notebook's folder (JupyterLab, ``pytest --nbval``), and files written there
    would end up among the notebooks. So from a folder in or below
    ``notebooks/`` it is the ``outputs`` folder beside that ``notebooks/``; from
    anywhere else ``outputs`` in that folder (the project root when papermill
    runs from there).

    Parameters
    ----------
    werkmap : path, optional
        The folder to start from (default the current working directory).
    """
    if werkmap is None and os.environ.get(BIJLAGEN_ENV):  # under zgw run: beside the published report
        return Path(os.environ[BIJLAGEN_ENV])
    start = Path(werkmap if werkmap is not None else Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if folder.name == "notebooks":
            return folder.parent / "outputs"
    return start / "outputs"


def plek(pad: str | os.PathLike[str]) -> str:
    """Where a written file is, in Dutch for the report: under ``zgw run`` its name beside the report
    (the runner's temporary folder means nothing to a reader), otherwise its full path."""
    pad = Path(pad)
    bijlagen = os.environ.get(BIJLAGEN_ENV)
    if bijlagen and pad.parent.resolve() == Path(bijlagen).resolve():
        return f"{pad.name} (naast dit rapport)"
    return str(pad.resolve())


def _cell(v: Any) -> Any:
    """A value as openpyxl writes it: missing as an empty cell, numpy and pandas types as Python's."""
    import numpy as np
    import pandas as pd

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


def write_workbook(sheets: Mapping[str, Any], target: str | os.PathLike[str],
                   procent: Callable[[str], bool] = lambda kop: "aandeel" in kop) -> Path:
    """Write DataFrames as the sheets of one ``.xlsx`` file, atomically (a failed write keeps the old file).

    Headers bold, the first row frozen, numbers kept as numbers (a float column whose header ``procent``
    accepts as a percentage), dates as dates, and text from the data always as text: a cell such as
    ``=SUM(A1)`` is never a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    target = Path(target)
    wb = Workbook()
    wb.remove(wb.active)
    for naam, frame in sheets.items():
        ws = wb.create_sheet(str(naam)[:31])  # Excel's longest sheet name
        ws.append([str(c) for c in frame.columns])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for col in ws.iter_cols(min_row=2):
            for c in col:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text such as "=SUM(...)" from the data stays text
                elif isinstance(c.value, float):
                    c.number_format = "0.0%" if procent(str(ws.cell(1, c.column).value)) else "0.0"
        for i, kolom in enumerate(frame.columns, start=1):
            breed = max([len(str(kolom))] + [len(str(v)) for v in frame[kolom].head(200)])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(10, breed + 2), 60)
        ws.freeze_panes = "A2"
    with atomic_file(target) as tmp:
        wb.save(tmp)
    return target
