"""Scheduled publication: run every report notebook per department and publish the HTML.

``zgw run`` executes each publishable notebook (notebook metadata
``"zgw": {"publish": true, "titel": ...}``) once per department and once for
the whole organisation with papermill, converts every executed notebook to a
self-contained HTML page (:mod:`zgwlib.publish`) and rebuilds the index pages.

How it stays fast: papermill and nbconvert are imported once, the HTML is
made in-process with one compiled template, the data is resolved once (the
built-in sample is generated at most once, not by every kernel), kernels talk
over local IPC sockets (no port race on TCP) and departments run in parallel.

How it stays safe:

- every run writes into a temporary folder beside its destination and its files
  are moved into place only when complete; a failed run is published as
  ``<rapport>.mislukt.html``/``.ipynb`` and never replaces the last good report;
- kernels start with an environment stripped of every variable whose name looks
  like a secret, parameters whose name looks like a secret are refused, and
  every output is searched for the values of those variables before it is moved
  into place (a hit is removed and the run counts as failed).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import publish
from .errors import RunError, UsageError

#: Parameters every publishable notebook declares; the runner sets them per run.
REQUIRED_PARAMETERS = ("afdeling", "periode", "data")

#: Default folder with the report notebooks, relative to the working directory.
NOTEBOOK_DIR = "notebooks"

#: Longest time one cell may run before the run counts as failed (seconds).
CELL_TIMEOUT = 1800

#: Name of the run log in each period folder.
LOG_NAME = "zgw-run.log"

_SECRET_WORDS = frozenset(
    {"secret", "secrets", "password", "passwd", "wachtwoord", "token", "tokens", "key", "apikey",
     "credential", "credentials", "auth", "geheim", "sleutel", "private", "privatekey", "jwt", "bearer", "cookie"}
)
_SECRET_PARTS = ("secret", "password", "passwd", "wachtwoord", "token", "apikey", "api_key", "credential", "privatekey")
_PERIODE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: Secrets shorter than this are not searched for in outputs (too many false hits, not a real secret).
_MIN_SECRET_LENGTH = 6


# --------------------------------------------------------------------------- secrets


def looks_secret(name: str) -> bool:
    """Whether a parameter or environment variable name looks like it holds a secret.

    ``client_secret``, ``ZGW_CLIENT_SECRET``, ``api_key``, ``accessToken``,
    ``wachtwoord`` do; ``afdeling``, ``toon_namen`` do not.
    """
    lowered = name.lower()
    if any(part in lowered for part in _SECRET_PARTS):
        return True
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())
    return any(w in _SECRET_WORDS for w in words)


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a report kernel gets: everything except variables that look like secrets."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if not looks_secret(k)}


def secret_values(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Values of the environment's secret-looking variables that no output may contain, by name."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if looks_secret(k) and len(v) >= _MIN_SECRET_LENGTH}


def _redact(text: str, secrets: Mapping[str, str]) -> tuple[str, list[str]]:
    """Remove every form a secret may take in JSON or HTML; return the text and the names found."""
    import html as _html

    found = []
    for name, value in secrets.items():
        forms = {value, json.dumps(value)[1:-1], _html.escape(value), _html.escape(value, quote=False)}
        hit = False
        for form in forms:
            if form and form in text:
                text = text.replace(form, "[geheim verwijderd]")
                hit = True
        if hit:
            found.append(name)
    return text, found


# --------------------------------------------------------------------------- notebooks


@dataclass(frozen=True)
class ReportNotebook:
    """A report notebook as the runner sees it.

    Attributes
    ----------
    path : pathlib.Path
        The ``.ipynb`` file.
    titel : str
        Report name for titles (``zgw.titel``; the file name when missing).
    publish : bool
        Whether it is marked for publication (``zgw.publish``).
    parameters : tuple of str
        Names assigned in its ``parameters`` cell.
    kernel_name : str
        Kernel from its metadata (``python3`` when missing).
    """

    path: Path
    titel: str
    publish: bool
    parameters: tuple[str, ...]
    kernel_name: str

    @property
    def name(self) -> str:
        """File name without ``.ipynb``; also the report's file name in the output."""
        return self.path.stem


def _parameter_names(source: str, where: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise UsageError(f"{where}: the parameters cell is not valid Python (line {exc.lineno}: {exc.msg}).") from None
    names: list[str] = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return tuple(names)


def read_report_notebook(path: str | os.PathLike[str]) -> ReportNotebook:
    """Read what the runner needs from a notebook file (metadata and parameter names)."""
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such notebook.")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for a damaged file
        raise UsageError(f"{path}: cannot be read as a notebook ({exc}).") from None
    meta = nb.metadata.get("zgw") or {}
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    parameters = _parameter_names(cells[0].source, str(path)) if cells else ()
    kernel = (nb.metadata.get("kernelspec") or {}).get("name") or "python3"
    titel = str(meta.get("titel") or path.stem.replace("_", " ").capitalize())
    return ReportNotebook(path, titel, bool(meta.get("publish")), parameters, kernel)


def discover(notebook_dir: str | os.PathLike[str] = NOTEBOOK_DIR) -> list[ReportNotebook]:
    """Every notebook in ``notebook_dir`` that is marked for publication, by file name."""
    folder = Path(notebook_dir)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no notebook folder here; run zgw from the kit's folder or name the notebooks.")
    found = [read_report_notebook(p) for p in sorted(folder.glob("*.ipynb"))]
    return [nb for nb in found if nb.publish]


def _check_notebook(nb: ReportNotebook) -> None:
    missing = [p for p in REQUIRED_PARAMETERS if p not in nb.parameters]
    if missing:
        raise UsageError(
            f"{nb.path}: its parameters cell (a code cell tagged 'parameters') lacks {', '.join(missing)}; "
            f"a report notebook needs {', '.join(REQUIRED_PARAMETERS)}."
        )
    secret = [p for p in nb.parameters if looks_secret(p)]
    if secret:
        raise UsageError(
            f"{nb.path}: parameter {', '.join(secret)} looks like a secret. Secrets are never notebook "
            "parameters (they would be written into the executed notebook); read them from the environment "
            "in the command that fetches the data instead."
        )


# --------------------------------------------------------------------------- options


def load_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a parameters file (YAML mapping of notebook parameter to value)."""
    import yaml

    path = Path(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such parameters file.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UsageError(f"{path}: not valid YAML{where}.") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise UsageError(f"{path}: expected a mapping of parameter names to values, like 'toon_namen: false'.")
    secret = [k for k in loaded if looks_secret(k)]
    if secret:
        raise UsageError(
            f"{path}: parameter {', '.join(secret)} looks like a secret and is refused. Secrets are never "
            "notebook parameters; put them in the environment of the command that needs them (zgw fetch)."
        )
    if "afdeling" in loaded or "afdelingen" in loaded:
        raise UsageError(f"{path}: choose departments with --afdeling, not in the parameters file.")
    return loaded


def last_complete_month(periode_tot: str | dt.date | None, today: dt.date | None = None) -> str:
    """The last month the data covers completely, ``YYYY-MM``.

    Data up to and including 31 October covers October; data up to 15 November
    covers October too. Without a date: the month before ``today``.
    """
    if periode_tot is None:
        day = (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)
    else:
        day = dt.date.fromisoformat(str(periode_tot)[:10])
        if (day + dt.timedelta(days=1)).month == day.month:
            day = day.replace(day=1) - dt.timedelta(days=1)
    return f"{day.year:04d}-{day.month:02d}"


def check_periode(periode: str) -> str:
    """Refuse anything but ``YYYY-MM``."""
    if not _PERIODE.match(str(periode)):
        raise UsageError(f"--periode {periode!r}: expected a month as YYYY-MM, for example 2026-10.")
    return str(periode)


def default_workers() -> int:
    """Number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- jobs


@dataclass
class Outcome:
    """How one run (one notebook for one department) ended.

    Attributes
    ----------
    rapport, afdeling : str
        Notebook name and department.
    ok : bool
        Whether a good report was published.
    seconds : float
        Wall time of the run.
    html : pathlib.Path, optional
        The published page (the good one, or the ``.mislukt`` one).
    error : str, optional
        Why it failed, in one line.
    attempts : int
        Kernel starts it took (2 after a retry).
    """

    rapport: str
    afdeling: str
    ok: bool
    seconds: float
    html: Path | None = None
    error: str | None = None
    attempts: int = 1
    log: str = ""


@dataclass
class RunResult:
    """Everything one ``zgw run`` did.

    Attributes
    ----------
    periode : str
        The month reported on.
    out : pathlib.Path
        Output root.
    outcomes : list of Outcome
        One per run, in the order they were planned.
    seconds : float
        Wall time of the whole command.
    notes : list of str
        Things the user should know that are not errors (unused parameters, ...).
    """

    periode: str
    out: Path
    outcomes: list[Outcome]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        """The runs that failed."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def index(self) -> Path:
        """The month's index page."""
        return self.out / self.periode / "index.html"

    def table(self) -> str:
        """The summary table printed at the end: report, afdeling, result, seconds."""
        rows = [("report", "afdeling", "result", "seconds")]
        for o in self.outcomes:
            result = "done" if o.ok else "FAILED"
            if o.attempts > 1:
                result += " (retried)"
            rows.append((o.rapport, o.afdeling, result, f"{o.seconds:.1f}"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        done = len(self.outcomes) - len(self.failed)
        lines.append(f"{done} done, {len(self.failed)} failed, {self.seconds:.1f} s")
        return "\n".join(lines)

    def raise_for_failures(self) -> None:
        """Raise :class:`~zgwlib.errors.RunError` when any run failed."""
        if self.failed:
            which = "; ".join(f"{o.rapport}/{o.afdeling}: {o.error}" for o in self.failed[:5])
            more = f"; and {len(self.failed) - 5} more" if len(self.failed) > 5 else ""
            raise RunError(
                f"{len(self.failed)} of {len(self.outcomes)} runs failed ({which}{more}). The other reports were "
                f"published and no earlier good report was replaced. See {self.index} and "
                f"{self.out / self.periode / LOG_NAME}."
            )


@dataclass
class _Context:
    """What every run of one ``zgw run`` shares."""

    out: Path
    periode: str
    data_path: Path
    data_meta: dict[str, Any]
    config: dict[str, Any]
    kernel_name: str | None
    timeout: int
    env: dict[str, str]
    secrets: dict[str, str]
    stop: threading.Event = field(default_factory=threading.Event)
    pids: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


#: Environment variable a report kernel gets: the folder for files it makes besides the report (the
#: evaluation's Excel appendix). They are published beside the report, and only when the run succeeds.
BIJLAGEN_ENV = "ZGW_BIJLAGEN_MAP"


def _kernel_manager_class(ctx: _Context, log_file: Any, pids: list[int], sockets: list[Path],
                          bijlagen: Path | None = None) -> type:
    """A kernel manager that starts kernels with a clean environment, over IPC, logging to ``log_file``."""
    from jupyter_client.manager import AsyncKernelManager

    class ZgwKernelManager(AsyncKernelManager):  # type: ignore[misc]
        async def start_kernel(self, **kw: Any) -> None:
            if os.name == "posix":
                # Unix sockets in a private folder: no TCP port to race for or to expose. The path is
                # absolute because kernel and client run in different working directories.
                self.transport = "ipc"
                self.ip = os.path.join(tempfile.mkdtemp(prefix="zgw-kernel-"), "k")
                sockets.append(Path(self.ip).parent)
            kw["env"] = dict(ctx.env)
            if bijlagen is not None:
                kw["env"][BIJLAGEN_ENV] = str(bijlagen)
            kw["stdout"] = log_file
            kw["stderr"] = log_file
            await super().start_kernel(**kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                pids.append(process.pid)
                with ctx.lock:
                    ctx.pids.add(process.pid)

    return ZgwKernelManager


def _one_line(exc: BaseException) -> str:
    """A failed run's reason in one line, without papermill's traceback."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue}".strip().rstrip(":")
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _move_into_place(tmp: Path, dest: Path, stem: str, ok: bool) -> None:
    failed_stem = stem + publish.FAILED_INFIX
    final = stem if ok else failed_stem
    dest.mkdir(parents=True, exist_ok=True)
    # The .json last: it is what the index reads, so a page is listed only once it is complete.
    if ok and (tmp / "bijlagen").is_dir():  # before the .json, so the listed report is complete
        for file in sorted((tmp / "bijlagen").iterdir()):
            if file.is_file():
                os.replace(file, dest / file.name)
    for ext in (".ipynb", ".html", ".json"):
        os.replace(tmp / f"{final}{ext}", dest / f"{final}{ext}")
    if ok:
        for ext in (".json", ".html", ".ipynb"):  # the failure is resolved
            (dest / f"{failed_stem}{ext}").unlink(missing_ok=True)


def _execute(nb: ReportNotebook, afdeling: str, ctx: _Context) -> Outcome:
    """Run one notebook for one department and publish it (or its failure)."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    started_at = time.perf_counter()
    period_dir = ctx.out / ctx.periode
    dest = period_dir / publish.slug(afdeling)
    period_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{nb.name}-{publish.slug(afdeling)}-", dir=period_dir))
    log_lines: list[str] = []
    pids: list[int] = []
    sockets: list[Path] = []
    try:
        parameters = {k: v for k, v in ctx.config.items() if k in nb.parameters}
        parameters.update(afdeling=afdeling, periode=ctx.periode, data=str(ctx.data_path))
        executed_path = tmp / "uitgevoerd.ipynb"
        error: str | None = None
        executed = None
        attempts = 0
        kernel_log = tmp / "kernel.log"
        while True:
            attempts += 1
            kernel_started = threading.Event()
            with open(kernel_log, "ab") as log_file:
                try:
                    executed = pm.execute_notebook(
                        str(nb.path),
                        str(executed_path),
                        parameters=parameters,
                        kernel_name=ctx.kernel_name or nb.kernel_name,
                        progress_bar=False,
                        request_save_on_cell_execute=False,
                        log_output=False,
                        start_timeout=60,
                        execution_timeout=ctx.timeout,
                        kernel_manager_class=_kernel_manager_class(
                            ctx, log_file, pids, sockets, (tmp / "bijlagen").resolve()),  # kernel cwd differs
                        resources={"metadata": {"path": str(nb.path.parent.resolve())}},
                        on_notebook_start=lambda **_: kernel_started.set(),
                    )
                    error = None
                except PapermillExecutionError as exc:
                    error = _one_line(exc)
                    log_lines.append(f"{nb.name}/{afdeling}: cell {exc.exec_count} failed: {error}")
                except Exception as exc:  # noqa: BLE001 - any failure of one run must not stop the others
                    error = _one_line(exc)
                    if not kernel_started.is_set() and attempts == 1 and not ctx.stop.is_set():
                        # papermill's known race: the kernel's ports were taken before it bound them.
                        log_lines.append(f"{nb.name}/{afdeling}: kernel did not start ({error}); retrying once.")
                        continue
                    if not kernel_started.is_set():
                        error = f"de kernel startte niet ({error})"
                    log_lines.append(f"{nb.name}/{afdeling}: {traceback.format_exc(limit=3).strip()}")
            break
        if ctx.stop.is_set():
            error = error or "afgebroken"
        if executed is None:
            if executed_path.exists():
                executed = nbformat.read(executed_path, as_version=4)
            else:  # never got as far as a kernel: keep the parameterised input as "the executed notebook"
                executed = pm.execute_notebook(
                    str(nb.path), None, parameters=parameters, prepare_only=True, progress_bar=False,
                    kernel_name=ctx.kernel_name or nb.kernel_name,
                )

        text = nbformat.writes(executed)
        text, leaked = _redact(text, ctx.secrets)
        if leaked:
            error = (
                f"de uitvoer bevatte de waarde van {', '.join(leaked)} uit de omgeving; die is verwijderd "
                "en het rapport is niet gepubliceerd"
            )
            executed = nbformat.reads(text, as_version=4)
        ok = error is None
        summary = publish.read_summary(executed) if ok else None
        page = publish.ReportPage(
            nb.titel, afdeling, ctx.periode, ctx.data_meta, fout=error,
            eerder_gelukt=(dest / f"{nb.name}.html").exists(),
        )
        page_html, leaked_html = _redact(publish.render_report(executed, page), ctx.secrets)
        stem = nb.name if ok else nb.name + publish.FAILED_INFIX
        pm_meta = executed.metadata.get("papermill")
        text = nbformat.writes(executed)
        if pm_meta is not None:  # say where the notebook ends up, not the temporary folder
            text = text.replace(json.dumps(str(executed_path))[1:-1], json.dumps(str(dest / f"{stem}.ipynb"))[1:-1])
        (tmp / f"{stem}.ipynb").write_text(_redact(text, ctx.secrets)[0], encoding="utf-8")
        (tmp / f"{stem}.html").write_text(page_html, encoding="utf-8")
        seconds = time.perf_counter() - started_at
        record = publish.entry(
            rapport=nb.name,
            page=page,
            status=publish.OK if ok else publish.FAILED,
            gemaakt_op=dt.datetime.now().replace(microsecond=0).isoformat(),
            duur_s=seconds,
            notebook=_display_path(nb.path),
            samenvatting=summary,
        )
        record_text = _redact(json.dumps(record, indent=2, ensure_ascii=False) + "\n", ctx.secrets)[0]
        (tmp / f"{stem}.json").write_text(record_text, encoding="utf-8")
        if kernel_log.exists() and kernel_log.stat().st_size and not ok:
            tail = kernel_log.read_text(encoding="utf-8", errors="replace")[-4000:]
            log_lines.append(f"{nb.name}/{afdeling}: kernel output:\n{tail.rstrip()}")
        if ctx.stop.is_set():
            return Outcome(nb.name, afdeling, False, seconds, None, "afgebroken", attempts, "\n".join(log_lines))
        _move_into_place(tmp, dest, nb.name, ok)
        return Outcome(nb.name, afdeling, ok, seconds, dest / f"{stem}.html", error, attempts, "\n".join(log_lines))
    finally:
        with ctx.lock:
            ctx.pids.difference_update(pids)
        for folder in sockets:
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


def _execute_isolated(nb: ReportNotebook, afdeling: str, ctx: _Context) -> Outcome:
    """:func:`_execute` in a fresh context, closing the event loop papermill makes for this thread.

    nbclient runs its coroutines on a loop it keeps in a context variable per thread
    and never closes; a long scheduled run would otherwise leak one per worker.
    """
    import asyncio
    import contextvars

    context = contextvars.Context()
    try:
        return context.run(_execute, nb, afdeling, ctx)
    finally:
        for value in context.values():
            if isinstance(value, asyncio.AbstractEventLoop) and not value.is_closed() and not value.is_running():
                value.run_until_complete(value.shutdown_asyncgens())
                value.close()


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _cleanup_stale_temp(period_dir: Path, older_than_s: float = 12 * 3600) -> None:
    # Left behind only by a killed process; never touch a temp folder a run may still be using.
    if not period_dir.is_dir():
        return
    now = time.time()
    for p in period_dir.glob(".tmp-*"):
        try:
            if now - p.stat().st_mtime > older_than_s:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _write_log(result: RunResult, ctx: _Context, argv: str) -> None:
    lines = [f"== {dt.datetime.now().replace(microsecond=0).isoformat()} zgw run {argv}".rstrip()]
    lines += [f"   {line}" for line in result.table().splitlines()]
    for o in result.outcomes:
        if o.log:
            lines += [f"   {line}" for line in o.log.splitlines()]
    text = _redact("\n".join(lines) + "\n", ctx.secrets)[0]
    with open(ctx.out / ctx.periode / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(text)


def run(
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    *,
    periode: str | None = None,
    afdelingen: Sequence[str] | None = None,
    data: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "outputs",
    workers: int | None = None,
    config: str | os.PathLike[str] | None = None,
    notebook_dir: str | os.PathLike[str] = NOTEBOOK_DIR,
    kernel_name: str | None = None,
    timeout: int = CELL_TIMEOUT,
    progress: bool | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> RunResult:
    """Run report notebooks per department and publish them with the index pages.

    Parameters
    ----------
    notebooks : list of paths, optional
        Notebooks to run; default every notebook in ``notebook_dir`` marked for publication.
    periode : str, optional
        Month ``YYYY-MM``; default the last month the data covers completely.
    afdelingen : list of str, optional
        Departments (``"organisatie"`` for the whole organisation); default every
        department in the data plus the organisation.
    data : path, optional
        Snapshot folder; default ``"voorbeeld"``, the built-in sample.
    out : path
        Output root (``outputs``).
    workers : int, optional
        Runs at the same time; default the number of cores.
    config : path, optional
        YAML file of notebook parameters (given to the notebooks that declare them).
    notebook_dir : path
        Where to look for notebooks when none are named.
    kernel_name : str, optional
        Kernel for every notebook instead of the one in its metadata.
    timeout : int
        Longest a cell may run, in seconds.
    progress : bool, optional
        Show a progress bar; default only on a terminal.
    on_done : callable, optional
        Called with each :class:`Outcome` as it finishes.

    Returns
    -------
    RunResult
        Call :meth:`RunResult.raise_for_failures` to turn failures into a :class:`~zgwlib.errors.RunError`.
    """
    from .snapshot import SAMPLE_NAME, afdelingen as data_afdelingen, read_meta, resolve

    t0 = time.perf_counter()
    params = load_config(config) if config is not None else {}
    if config is not None:
        # A notebook with a `config` parameter reads its thresholds from the file itself (metrics.laad_instellingen).
        params.setdefault("config", str(Path(config).resolve()))
    if data is None:
        data = params.pop("data", None) or SAMPLE_NAME
    else:
        params.pop("data", None)
    config_periode = params.pop("periode", None)
    periode = periode or config_periode
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1.")

    reports = [read_report_notebook(p) for p in notebooks] if notebooks else discover(notebook_dir)
    if not reports:
        raise UsageError(
            f"no notebook in {notebook_dir} is marked for publication "
            '(notebook metadata "zgw": {"publish": true, "titel": ...}).'
        )
    for nb in reports:
        _check_notebook(nb)
    if len({nb.name for nb in reports}) != len(reports):
        raise UsageError("two notebooks have the same file name; their reports would overwrite each other.")

    # Resolved once here, so parallel kernels never each generate the sample.
    data_path = resolve(data).resolve()
    meta = read_meta(data_path)
    known = data_afdelingen(data_path)
    if afdelingen:
        chosen = list(dict.fromkeys(afdelingen))
        unknown = [a for a in chosen if a != publish.ORGANISATIE and a not in known]
        if unknown:
            raise UsageError(
                f"--afdeling {', '.join(unknown)}: not in the data ({data_path}). Departments: "
                f"{', '.join(known)}; or '{publish.ORGANISATIE}' for the whole organisation."
            )
    else:
        chosen = [publish.ORGANISATIE, *known]
    slugs: dict[str, str] = {}
    for a in chosen:
        other = slugs.setdefault(publish.slug(a), a)
        if other != a:
            raise UsageError(f"departments {other!r} and {a!r} would share the folder {publish.slug(a)!r}.")
    periode = check_periode(periode) if periode else last_complete_month(meta.get("periode_tot"))

    notes = []
    declared = {p for nb in reports for p in nb.parameters}
    # Keys of a file that a notebook reads itself (it has a `config` parameter) are used there, not here.
    unused = [] if "config" in declared else sorted(k for k in params if k not in declared and k != "config")
    if unused:
        notes.append(f"{config}: {', '.join(unused)} is not a parameter of any notebook run; ignored.")

    out = Path(out)
    data_meta = {k: meta.get(k) for k in ("gemeente", "bron", "periode_van", "periode_tot", "aangemaakt_op")}
    data_meta["map"] = data_path.name
    ctx = _Context(
        out=out,
        periode=periode,
        data_path=data_path,
        data_meta=data_meta,
        config=params,
        kernel_name=kernel_name,
        timeout=timeout,
        env=kernel_environment(),
        secrets=secret_values(),
    )
    (out / periode).mkdir(parents=True, exist_ok=True)
    _cleanup_stale_temp(out / periode)

    # The organisation's runs first: they read the most data, so the slowest start first.
    jobs = [(nb, a) for a in chosen for nb in reports]
    outcomes: dict[int, Outcome] = {}
    pm_logger = logging.getLogger("papermill")
    old_level = pm_logger.level
    # We validate parameters ourselves; papermill's notes would only mix with the progress bar.
    pm_logger.setLevel(logging.ERROR)
    import papermill  # noqa: F401  - import once here, not racing in the worker threads
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), desc=f"zgw run {periode}", unit="rapport", disable=None if progress is None else not progress)
    pool = ThreadPoolExecutor(max_workers=workers or default_workers(), thread_name_prefix="zgw-run")
    futures: dict[Future[Outcome], int] = {pool.submit(_execute_isolated, nb, a, ctx): i for i, (nb, a) in enumerate(jobs)}
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                i = futures[f]
                nb, a = jobs[i]
                try:
                    outcome = f.result()
                except Exception as exc:  # noqa: BLE001 - a bug in one run still must not stop the others
                    outcome = Outcome(nb.name, a, False, 0.0, None, _one_line(exc), 1, traceback.format_exc())
                outcomes[i] = outcome
                bar.update(1)
                if on_done is not None:
                    on_done(outcome)
    except BaseException:
        # Ctrl-C or similar: stop the kernels; no run moves anything into place after this.
        ctx.stop.set()
        with ctx.lock:
            for pid in ctx.pids:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        bar.close()
        pm_logger.setLevel(old_level)
    pool.shutdown(wait=True)

    publish.write_period_index(out / periode)
    publish.write_site_index(out)
    result = RunResult(periode, out, [outcomes[i] for i in range(len(jobs))], time.perf_counter() - t0, notes)
    _write_log(result, ctx, _argv_text(reports, chosen, data_path, periode, config))
    return result


def _argv_text(reports: Iterable[ReportNotebook], afdelingen: list[str], data: Path, periode: str, config: Any) -> str:
    parts = [" ".join(str(nb.path) for nb in reports), f"--periode {periode}", f"--data {data}"]
    parts += [f"--afdeling {a!r}" for a in afdelingen]
    if config:
        parts.append(f"--config {config}")
    return " ".join(parts)
