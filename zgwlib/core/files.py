"""Writing files and folders so that nobody ever reads half of one, and nothing is ever destroyed.

The mechanism for every output of the kit (snapshots, exports, index pages,
appendices): write beside the target, then rename into place.

Every command that writes a folder (``zgw import``, ``zgw export``, ``zgw sample``,
``zgw fetch``) goes through :func:`check_out` and :func:`new_dir`:

* it replaces only a folder it wrote itself, of its own kind (an import replaces
  an import, the sample the sample); a folder of other files is never replaced,
  a different kind only with ``force`` (``--force``);
* it refuses an ``--out`` that is its own source, lies inside it or holds it;
* with ``force`` the replaced folder is kept as ``<out>.vorige`` until the next
  good write, so one bad import can be undone;
* a full disk, a read-only place or a file where a folder should be give an
  :class:`~zgwlib.core.errors.OutputError` that says so, and nothing is replaced.

Files and folders get the permissions the umask allows (0644 and 0755 with the
usual umask 022), not the 0600/0700 of :mod:`tempfile`, so a web server serving
``outputs/`` can read them.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zgwlib.core import xlsx
from zgwlib.core.terms import BIJLAGEN_ENV

from zgwlib.core.errors import OutputError

#: Suffix of the folder that keeps what ``--force`` replaced, until the next good write.
PREVIOUS_SUFFIX = ".vorige"

#: What each kind of output is, for messages; the kind of a snapshot is its meta.json ``bron`` up to the colon.
KIND_WORDS = {
    "voorbeeld": "the sample municipality (zgw sample)",
    "import": "an imported snapshot (zgw import)",
    "zgw-api": "a snapshot fetched from the ZGW APIs (zgw fetch)",
    "export": "an export (zgw export)",
}


def current_umask() -> int:
    """The process's umask: from /proc where there is one, else by setting it and straight back."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    # Setting it is process-wide: another thread could create a file in between, hence /proc first.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_readable(path: Path, directory: bool) -> None:
    os.chmod(path, (0o777 if directory else 0o666) & ~current_umask())


def make_temp_dir(out: str | os.PathLike[str]) -> Path:
    """A new, empty hidden folder beside ``out`` with the permissions the umask gives a new folder."""
    out = Path(out)
    # Same folder as the target: a rename is only atomic within one file system.
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    _make_readable(tmp, directory=True)
    return tmp


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    The file gets the permissions the umask gives a new file (0644 with umask 022).

    Examples
    --------
    >>> with atomic_file(target) as tmp:          # doctest: +SKIP
    ...     workbook.save(tmp)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _make_readable(tmp, directory=False)  # mkstemp makes 0600: nobody else could read the result
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- what is at --out


def kind_of_bron(bron: object) -> str:
    """The kind of a snapshot from its meta.json ``bron``: ``import: /x`` -> ``import``, ``voorbeeld``."""
    return str(bron or "").split(":", 1)[0].strip()


def folder_kind(path: str | os.PathLike[str]) -> str | None:
    """What the kit wrote in folder ``path``: a snapshot's kind (see :func:`kind_of_bron`), ``export``, or None.

    None means the folder holds something the kit did not write (no readable meta.json). An export holds
    the snapshot's own meta.json beside CSV files; a snapshot holds Parquet files.
    """
    p = Path(path)
    try:
        meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    if not any(p.glob("*.parquet")) and any(p.glob("*.csv")):
        return "export"
    return kind_of_bron(meta.get("bron")) or None


def _is_export_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook written by ``zgw export`` (it has the ``meta`` sheet)."""
    try:
        with zipfile.ZipFile(path) as z:
            return 'name="meta"' in z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def previous_path(out: str | os.PathLike[str]) -> Path:
    """Where ``--force`` keeps what it replaced: ``<out>.vorige`` (``<stem>.vorige<suffix>`` for a file)."""
    out = Path(out)
    if out.suffix and not out.is_dir():
        return out.with_name(f"{out.stem}{PREVIOUS_SUFFIX}{out.suffix}")
    return out.with_name(out.name + PREVIOUS_SUFFIX)


def check_out(
    out: str | os.PathLike[str],
    *,
    kind: str,
    sources: Iterable[str | os.PathLike[str] | None] = (),
    force: bool = False,
    file: bool = False,
) -> None:
    """Refuse an output that would destroy something; the one guard of every command that writes.

    Parameters
    ----------
    out : path
        The folder (or with ``file`` the file) to write.
    kind : str
        What the command writes: ``import``, ``voorbeeld``, ``zgw-api``, ``export``.
    sources : paths
        What the command reads; ``out`` may not be one of them, lie inside one or hold one.
    force : bool
        Replace an output of another kind (``--force``); the replaced one is kept as ``<out>.vorige``.
    file : bool
        ``out`` is a single file (an Excel export) instead of a folder.

    Raises
    ------
    OutputError
        With a message that says what is at ``out`` and what to do.
    """
    out = Path(out)
    where = out.resolve()
    for source in sources:
        if source is None or str(source) == "":
            continue
        src = Path(source).resolve()
        if where == src:
            raise OutputError(f"--out {out} is the source itself; choose another --out.")
        if _inside(where, src):
            raise OutputError(f"--out {out} lies inside the source {source}; choose an --out outside it.")
        if _inside(src, where):
            raise OutputError(
                f"the source {source} lies inside --out {out}; replacing {out} would delete it. Choose another --out.")
    if not out.exists():
        for parent in where.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(f"cannot write {out}: {parent} is a file, not a folder.")
                break
        return
    word = KIND_WORDS.get(kind, kind)
    if file:
        if out.is_dir():
            raise OutputError(f"{out} is a folder; give the name of the file to write.")
        if kind == "export" and _is_export_workbook(out):
            return
        if not force:
            raise OutputError(f"{out} exists and is not {word}; refusing to replace it. Choose another --out, "
                              f"or add --force to replace it (the old file is kept as {previous_path(out)}).")
        return
    if not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder; choose another --out.")
    if not any(out.iterdir()):
        return
    found = folder_kind(out)
    if found is None:
        # Not even --force: a typo in --out could point at $HOME.
        raise OutputError(f"{out} holds files the kit did not write (no meta.json); refusing to replace it, "
                          "also with --force. Choose another --out, or move those files away yourself.")
    if found != kind and not force:
        raise OutputError(
            f"{out} holds {KIND_WORDS.get(found, found)}, not {word}; refusing to replace it. Choose another "
            f"--out, or add --force to replace it (the old one is then kept as {previous_path(out)}).")
    keep = previous_path(out)
    if force and keep.exists() and folder_kind(keep) is None:
        raise OutputError(f"{keep} holds files the kit did not write, so --force cannot keep {out} there; "
                          "move it away first.")


def describe_os_error(exc: OSError, out: str | os.PathLike[str]) -> str:
    """A message for an operating-system error while writing ``out``: what happened, where, and that nothing changed."""
    out = Path(out)
    text = str(exc)
    if exc.errno == errno.ENOSPC or "No space left" in text:
        return f"no space left on the disk of {out.parent.resolve()} while writing {out}; nothing was replaced."
    if exc.errno == errno.EDQUOT:
        return f"disk quota exceeded while writing {out}; nothing was replaced."
    if exc.errno == errno.EROFS:
        return f"cannot write {out}: {out.parent} is on a read-only file system; nothing was replaced."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {out}: permission denied on {exc.filename or out.parent}; nothing was replaced."
    if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return f"cannot write {out}: {exc.filename or out} is in the way ({exc.strerror}); nothing was replaced."
    return f"cannot write {out}: {exc.strerror or text}; nothing was replaced."


# --------------------------------------------------------------------------- writing


def _remove_previous(out: Path) -> None:
    """After a good write the copy ``--force`` kept is no longer needed (only ever one the kit wrote)."""
    keep = previous_path(out)
    if keep.is_dir() and folder_kind(keep) is not None:
        shutil.rmtree(keep, ignore_errors=True)


def replace_dir(tmp: str | os.PathLike[str], out: str | os.PathLike[str], *, keep_previous: bool = False) -> None:
    """Move the finished folder ``tmp`` to ``out``, replacing an earlier ``out`` in two renames.

    The caller decides whether ``out`` may be replaced (see :func:`check_out`); readers see the
    old folder or the new one, never a mix. The old one is removed only after the new one is in
    place; with ``keep_previous`` it is kept as ``<out>.vorige`` instead (replacing an older one).
    """
    tmp, out = Path(tmp), Path(out)
    keep = previous_path(out)
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        try:
            tmp.rename(out)
        except BaseException:
            old.rename(out)
            raise
        if keep_previous:
            if keep.exists():
                shutil.rmtree(keep)
            old.rename(keep)
            return
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
    _remove_previous(out)


@contextmanager
def new_dir(
    out: str | os.PathLike[str],
    *,
    kind: str,
    sources: Iterable[str | os.PathLike[str] | None] = (),
    force: bool = False,
) -> Iterator[Path]:
    """Yield an empty temporary folder to fill; on success it replaces ``out``, on failure it is removed.

    Checks ``out`` first (:func:`check_out`). Errors of the operating system (full disk, read-only,
    permissions) become an :class:`~zgwlib.core.errors.OutputError`; ``out`` is then unchanged.

    Examples
    --------
    >>> with new_dir("data/snapshot", kind="import", sources=["export/"]) as tmp:  # doctest: +SKIP
    ...     frame.to_parquet(tmp / "zaken.parquet")
    """
    out = Path(out)
    sources = list(sources)
    check_out(out, kind=kind, sources=sources, force=force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = make_temp_dir(out)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out)) from None
    try:
        yield tmp
        replace_dir(tmp, out, keep_previous=force)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(describe_os_error(exc, out)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextmanager
def new_file(
    out: str | os.PathLike[str],
    *,
    kind: str,
    sources: Iterable[str | os.PathLike[str] | None] = (),
    force: bool = False,
) -> Iterator[Path]:
    """Like :func:`new_dir` for one file (an Excel export): a temporary path that replaces ``out`` on success.

    With ``force`` a file of another kind at ``out`` is kept as ``<stem>.vorige<suffix>``.
    """
    out = Path(out)
    check_out(out, kind=kind, sources=list(sources), force=force, file=True)
    keep = previous_path(out)
    try:
        with atomic_file(out) as tmp:
            yield tmp
            if force and out.exists():
                shutil.copy2(out, keep)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out)) from None


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


def write_workbook(sheets: Mapping[str, Any], target: str | os.PathLike[str],
                   procent: Callable[[str], bool] = lambda kop: "aandeel" in kop) -> Path:
    """Write DataFrames as the sheets of one ``.xlsx`` file, atomically (a failed write keeps the old file).

    Headers bold, the first row frozen, numbers kept as numbers (a float column whose header ``procent``
    accepts as a percentage), dates as dates, and text from the data always as text: a cell such as
    ``=SUM(A1)`` is never a formula. Written by :mod:`zgwlib.core.xlsx`, a million rows in seconds.
    """
    target = Path(target)
    with atomic_file(target) as tmp:
        xlsx.write_xlsx(dict(sheets), tmp, procent)
    return target
