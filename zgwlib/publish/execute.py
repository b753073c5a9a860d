"""One report for one department: parameterise, execute, check for secrets, render, publish atomically.

:func:`execute_report` is the runner's unit of work, a short list of named
steps (as papermill's ``execute.py``):

1. :func:`parameterise` - the run's parameters (department, month, data, the report's parameters file);
2. :func:`run_kernel` - papermill in a kernel with a clean environment, over IPC, retried once when
   the kernel did not start;
3. :func:`redact_outputs` - the values of secret-looking environment variables are removed, and the run
   then counts as failed;
4. :func:`write_files` - the notebook, its HTML page and its index entry, into a temporary folder;
5. :func:`move_into_place` - the files replace the previous ones only now, the index entry last.

A failed run is published as ``<rapport>.mislukt.*`` beside the last good report and never replaces it. A run
whose department folder cannot be made or written (a file in its place, no permission, a full disk) has nowhere to
put those files: its index entry goes to :data:`zgwlib.publish.pages.NO_FOLDER` instead, so the failure still
shows on the index, and the other departments' runs go on.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zgwlib.core.files import write_text_atomic
from zgwlib.core.terms import BIJLAGEN_ENV, CACHE_MAP_ENV
from zgwlib.publish import pages
from zgwlib.publish.forkserver import ForkServer
from zgwlib.publish.notebooks import ReportNotebook
from zgwlib.publish.secrets import redact
from zgwlib.publish.summary import read_summary


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
class RunContext:
    """What every run of one ``zgw run`` shares."""

    out: Path
    periode: str
    data_path: Path
    data_meta: dict[str, Any]
    config: dict[str, Any]
    config_files: dict[str, Path | None]
    report_parameters: dict[str, dict[str, Any]]
    folders: dict[str, str]
    kernel_name: str | None
    timeout: int
    env: dict[str, str]
    secrets: dict[str, str]
    workers: int = 1
    #: Per notebook name, its texts file (``<notebook>.teksten.yaml`` beside it), given as the ``teksten`` parameter.
    teksten_files: dict[str, Path | None] = field(default_factory=dict)
    #: The run's folder of figures every department shares (:mod:`zgwlib.core.cache`), given to each kernel.
    cache: Path | None = None
    #: The run's fork server (:mod:`zgwlib.publish.forkserver`); None: kernels start the usual way.
    forkserver: ForkServer | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    pids: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _kernel_manager_class(ctx: RunContext, log_file: Any, pids: list[int], sockets: list[Path],
                          bijlagen: Path | None = None) -> type:
    """A kernel manager that starts kernels with a clean environment, over IPC, logging to ``log_file``."""
    # Kept long: two small nested classes whose methods close over this run's ctx, pids, sockets.
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    class ZgwKernelClient(AsyncKernelClient):  # type: ignore[misc]
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            # Ready when a kernel_info request is answered on the shell channel and its status message arrives
            # on IOPub, so both are connected. IOPub drops what the kernel sends before the subscription reaches
            # it, so the first status message is often lost: jupyter_client then waits 0.2 s before it asks
            # again, and ends with 0.2 s of IOPub silence to drop the start's messages, for each of a month's 60
            # reports. Here it asks again after 20 ms, and drops nothing: nbclient reads only the messages of
            # its own requests (by their parent's id), so the start's leftovers cannot reach a cell.
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                    if reply["msg_type"] == "kernel_info_reply":
                        await self.iopub_channel.get_msg(timeout=0.02)
                        self._handle_kernel_info_reply(reply)
                        return
                except queue.Empty:
                    pass  # not connected yet: ask again
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    class ZgwKernelManager(AsyncKernelManager):  # type: ignore[misc]
        client_factory = ZgwKernelClient

        async def _async_finish_shutdown(self, waittime: float | None = None, pollinterval: float = 0.1,
                                         restart: bool = False) -> None:
            # A kernel that was asked to stop is gone within milliseconds; looking every 0.1 s cost each report
            # a tenth of a second after its last cell.
            await super()._async_finish_shutdown(waittime, min(pollinterval, 0.01), restart)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            cmd = super().format_kernel_cmd(extra_arguments)
            forked = ctx.forkserver is not None and self.kernel_spec is not None
            if forked and ctx.forkserver.serves(self.kernel_spec.argv):
                return ctx.forkserver.kernel_cmd(cmd)  # a fork of the run's server, not a fresh interpreter
            return cmd

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
            if ctx.cache is not None:
                kw["env"][CACHE_MAP_ENV] = str(ctx.cache)
            kw["stdout"] = log_file
            kw["stderr"] = log_file
            await super().start_kernel(**kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                pids.append(process.pid)
                with ctx.lock:
                    ctx.pids.add(process.pid)

    return ZgwKernelManager


def one_line(exc: BaseException) -> str:
    """A failed run's reason in one line, without papermill's traceback."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue}".strip().rstrip(":")
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def move_into_place(tmp: Path, dest: Path, stem: str, ok: bool) -> None:
    failed_stem = stem + pages.FAILED_INFIX
    final = stem if ok else failed_stem
    dest.mkdir(parents=True, exist_ok=True)
    # The .json last: it is what the index reads, so a page is listed only once it is complete.
    if ok and (tmp / "bijlagen").is_dir():  # before the .json, so the listed report is complete
        for file in sorted((tmp / "bijlagen").iterdir()):
            if file.is_file():
                os.replace(file, dest / file.name)
    for ext in (".ipynb", ".html", ".json"):
        os.replace(tmp / f"{final}{ext}", dest / f"{final}{ext}")
    # The folder works again: an earlier failure to write it is resolved, or this run's own failure replaces it.
    pages.no_folder_entry(dest.parent, dest.name, stem).unlink(missing_ok=True)
    if ok:
        for ext in (".json", ".html", ".ipynb"):  # the failure is resolved
            (dest / f"{failed_stem}{ext}").unlink(missing_ok=True)


def folder_problem(folder: str, exc: OSError, done: str = "gemaakt") -> str:
    """Why a department's ``folder`` could not be ``done`` (made, written), in short Dutch for the index page.

    Names the folder, never the path on the server: the index is read by every employee.
    """
    why = {
        errno.EEXIST: "er staat een bestand met die naam", errno.ENOTDIR: "er staat een bestand met die naam",
        errno.EACCES: "geen toestemming", errno.EPERM: "geen toestemming",
        errno.EROFS: "de schijf is alleen-lezen", errno.ENOSPC: "de schijf is vol", errno.EDQUOT: "de schijf is vol",
        errno.ENAMETOOLONG: "de naam is te lang",
    }.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"de map {folder} kon niet worden {done}: {why}"


@dataclass
class _Job:
    """The state of one report run while its steps execute."""

    nb: ReportNotebook
    afdeling: str
    ctx: RunContext
    tmp: Path
    dest: Path
    started_at: float = field(default_factory=time.perf_counter)
    parameters: dict[str, Any] = field(default_factory=dict)
    executed: Any = None
    error: str | None = None
    attempts: int = 0
    log: list[str] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)
    sockets: list[Path] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.nb.name}/{self.afdeling}"

    @property
    def executed_path(self) -> Path:
        return self.tmp / "uitgevoerd.ipynb"

    @property
    def kernel_log(self) -> Path:
        return self.tmp / "kernel.log"


def parameterise(job: _Job) -> None:
    """The run's parameters: what the file gives that the notebook declares, then department, month and data."""
    ctx, nb = job.ctx, job.nb
    given = {**ctx.config, **ctx.report_parameters.get(nb.name, {})}
    job.parameters = {k: v for k, v in given.items() if k in nb.parameters}
    own = ctx.config_files.get(nb.name)
    if own is not None and "config" in nb.parameters:
        job.parameters["config"] = str(own)
    teksten = ctx.teksten_files.get(nb.name)
    if teksten is not None and "teksten" in nb.parameters:
        job.parameters["teksten"] = str(teksten)
    if nb.op_verzoek:
        # A report on request is about one day: the notebook gets it as peildatum, its month as periode.
        job.parameters.update(afdeling=job.afdeling, periode=ctx.periode[:7], data=str(ctx.data_path))
        if "peildatum" in nb.parameters:
            job.parameters["peildatum"] = ctx.periode
        return
    job.parameters.update(afdeling=job.afdeling, periode=ctx.periode, data=str(ctx.data_path))


def run_kernel(job: _Job) -> None:
    """Execute the notebook with papermill; a kernel that did not start is retried once."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    ctx, nb = job.ctx, job.nb
    while True:
        job.attempts += 1
        kernel_started = threading.Event()
        with open(job.kernel_log, "ab") as log_file:
            try:
                job.executed = pm.execute_notebook(
                    str(nb.path),
                    str(job.executed_path),
                    parameters=job.parameters,
                    kernel_name=ctx.kernel_name or nb.kernel_name,
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    log_output=False,
                    start_timeout=60,
                    execution_timeout=ctx.timeout,
                    kernel_manager_class=_kernel_manager_class(
                        ctx, log_file, job.pids, job.sockets, (job.tmp / "bijlagen").resolve()),  # kernel cwd differs
                    resources={"metadata": {"path": str(nb.path.parent.resolve())}},
                    on_notebook_start=lambda **_: kernel_started.set(),
                )
                job.error = None
            except PapermillExecutionError as exc:
                job.error = one_line(exc)
                job.log.append(f"{job.where}: cell {exc.exec_count} failed: {job.error}")
            except Exception as exc:  # noqa: BLE001 - any failure of one run must not stop the others
                job.error = one_line(exc)
                if not kernel_started.is_set() and job.attempts == 1 and not ctx.stop.is_set():
                    # papermill's known race: the kernel's ports were taken before it bound them.
                    job.log.append(f"{job.where}: kernel did not start ({job.error}); retrying once.")
                    continue
                if not kernel_started.is_set():
                    job.error = f"de kernel startte niet ({job.error})"
                job.log.append(f"{job.where}: {traceback.format_exc(limit=3).strip()}")
        break
    if ctx.stop.is_set():
        job.error = job.error or "afgebroken"
    if job.executed is None:
        if job.executed_path.exists():
            job.executed = nbformat.read(job.executed_path, as_version=4)
        else:  # never got as far as a kernel: keep the parameterised input as "the executed notebook"
            job.executed = pm.execute_notebook(
                str(nb.path), None, parameters=job.parameters, prepare_only=True, progress_bar=False,
                kernel_name=ctx.kernel_name or nb.kernel_name,
            )


def redact_outputs(job: _Job) -> None:
    """Remove the values of secret-looking environment variables; a run that showed one has failed."""
    import nbformat

    text, leaked = redact(nbformat.writes(job.executed), job.ctx.secrets)
    if leaked:
        job.error = (
            f"de uitvoer bevatte de waarde van {', '.join(leaked)} uit de omgeving; die is verwijderd "
            "en het rapport is niet gepubliceerd"
        )
        job.executed = nbformat.reads(text, as_version=4)


def write_files(job: _Job) -> tuple[str, float]:
    """The executed notebook, its page and its index entry in the temporary folder; returns the stem and seconds."""
    import nbformat

    ctx, nb = job.ctx, job.nb
    ok = job.error is None
    page = pages.ReportPage(
        nb.titel, job.afdeling, ctx.periode, ctx.data_meta, fout=job.error,
        eerder_gelukt=(job.dest / f"{nb.name}.html").exists(),
    )
    page_html = redact(pages.render_report(job.executed, page), ctx.secrets)[0]
    stem = nb.name if ok else nb.name + pages.FAILED_INFIX
    text = nbformat.writes(job.executed)
    if job.executed.metadata.get("papermill") is not None:  # say where the notebook ends up, not the temporary folder
        text = _replace_path(text, job.executed_path, str(job.dest / f"{stem}.ipynb"))
    (job.tmp / f"{stem}.ipynb").write_text(redact(_without_server_paths(text, job), ctx.secrets)[0], encoding="utf-8")
    (job.tmp / f"{stem}.html").write_text(page_html, encoding="utf-8")
    seconds = time.perf_counter() - job.started_at
    record = pages.entry(
        rapport=nb.name,
        page=page,
        status=pages.OK if ok else pages.FAILED,
        gemaakt_op=dt.datetime.now().replace(microsecond=0).isoformat(),
        duur_s=seconds,
        notebook=published_path(nb.path),
        samenvatting=read_summary(job.executed) if ok else None,
    )
    (job.tmp / f"{stem}.json").write_text(_entry_text(record, ctx), encoding="utf-8")
    if job.kernel_log.exists() and job.kernel_log.stat().st_size and not ok:
        tail = job.kernel_log.read_text(encoding="utf-8", errors="replace")[-4000:]
        job.log.append(f"{job.where}: kernel output:\n{tail.rstrip()}")
    return stem, seconds


def _entry_text(record: dict[str, Any], ctx: RunContext) -> str:
    return redact(json.dumps(record, indent=2, ensure_ascii=False) + "\n", ctx.secrets)[0]


def publish_folder_problem(nb: ReportNotebook, afdeling: str, ctx: RunContext, exc: OSError, started_at: float,
                           done: str = "gemaakt", attempts: int = 0, log: str = "") -> Outcome:
    """A run whose department folder could not be made or written: its failure as an index entry in
    :data:`~zgwlib.publish.pages.NO_FOLDER`, so the index lists it under the failed runs like any other."""
    folder = ctx.folders[afdeling]
    reason = folder_problem(folder, exc, done)
    page = pages.ReportPage(nb.titel, afdeling, ctx.periode, ctx.data_meta, fout=reason)
    seconds = time.perf_counter() - started_at
    record = pages.entry(rapport=nb.name, page=page, status=pages.FAILED, duur_s=seconds,
                         gemaakt_op=dt.datetime.now().replace(microsecond=0).isoformat(),
                         notebook=published_path(nb.path), samenvatting=None)
    record.update(html=None, ipynb=None)  # nowhere to write them
    write_text_atomic(pages.no_folder_entry(ctx.out / ctx.periode, folder, nb.name), _entry_text(record, ctx))
    line = f"{nb.name}/{afdeling}: could not write into {ctx.out / ctx.periode / folder}: {exc}"  # the log: the path
    log = "\n".join(filter(None, [log, line]))
    return Outcome(nb.name, afdeling, False, seconds, None, reason, attempts, log)


def execute_report(nb: ReportNotebook, afdeling: str, ctx: RunContext) -> Outcome:
    """Run one notebook for one department and publish it (or its failure): the steps of the module docstring."""
    started_at = time.perf_counter()
    period_dir = ctx.out / ctx.periode
    period_dir.mkdir(parents=True, exist_ok=True)
    folder = ctx.folders[afdeling]
    try:  # before the kernel: a report that cannot be published is not worth its minutes
        (period_dir / folder).mkdir(exist_ok=True)
    except OSError as exc:
        return publish_folder_problem(nb, afdeling, ctx, exc, started_at)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{nb.name}-{folder}-", dir=period_dir))
    job = _Job(nb, afdeling, ctx, tmp, period_dir / folder, started_at)
    try:
        parameterise(job)
        run_kernel(job)
        redact_outputs(job)
        stem, seconds = write_files(job)
        log = "\n".join(job.log)
        if ctx.stop.is_set():
            return Outcome(nb.name, afdeling, False, seconds, None, "afgebroken", job.attempts, log)
        ok = job.error is None
        try:
            move_into_place(tmp, job.dest, nb.name, ok)
        except OSError as exc:  # the folder became unwritable, or the disk full, while the kernel ran
            return publish_folder_problem(nb, afdeling, ctx, exc, started_at, "bijgewerkt", job.attempts, log)
        return Outcome(nb.name, afdeling, ok, seconds, job.dest / f"{stem}.html", job.error, job.attempts, log)
    finally:
        with ctx.lock:
            ctx.pids.difference_update(job.pids)
        for folder in job.sockets:
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


def execute_isolated(nb: ReportNotebook, afdeling: str, ctx: RunContext) -> Outcome:
    """:func:`execute_report` in a fresh context, closing the event loop papermill makes for this thread.

    nbclient runs its coroutines on a loop it keeps in a context variable per thread
    and never closes; a long scheduled run would otherwise leak one per worker.
    """
    import asyncio
    import contextvars

    context = contextvars.Context()
    try:
        return context.run(execute_report, nb, afdeling, ctx)
    finally:
        for value in context.values():
            if isinstance(value, asyncio.AbstractEventLoop) and not value.is_closed() and not value.is_running():
                value.run_until_complete(value.shutdown_asyncgens())
                value.close()


def published_path(path: str | os.PathLike[str]) -> str:
    """How a published file names a path on the server: relative to the working directory when it lies inside it
    (``parameters/archief.yaml``), else only its last name (``zaakdata``, not ``/srv/zaakdata``).

    The published files (the executed notebook and the index entry beside each page) are read by every employee;
    the run itself uses the real path.
    """
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def _replace_path(text: str, path: str | os.PathLike[str], by: str) -> str:
    """``text`` (a notebook's JSON) with ``path`` replaced by ``by`` wherever it is a whole path or the start of one
    (``/srv/zaakdata/zaken.parquet`` too, ``/srv/zaakdata2`` not)."""
    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)[1:-1]  # as nbformat writes it (no \u escapes)

    return re.sub(re.escape(quoted(str(path))) + r"(?![\w.-])", lambda _: quoted(by), text)


def _without_server_paths(text: str, job: _Job) -> str:
    """The executed notebook ``text`` with every absolute path the run gave it (its parameters: data, config,
    teksten; papermill's input path, and its output path in the department's folder) written as
    :func:`published_path` does."""
    candidates = [*job.parameters.values(), job.nb.path, job.dest]
    paths = {str(v) for v in candidates if isinstance(v, (str, os.PathLike)) and os.path.isabs(v) and Path(v).name}
    for path in sorted(paths, key=len, reverse=True):  # the longest first: a folder's own files before the folder
        text = _replace_path(text, path, published_path(path))
    return text
