"""Scheduled publication: run every report notebook per department and publish the HTML.

``zgw run`` executes each publishable notebook (notebook metadata
``"zgw": {"publish": true, "titel": ...}``) once per department and once for
the whole organisation with papermill, converts every executed notebook to a
self-contained HTML page (:mod:`zgwlib.publish.pages`) and rebuilds the index pages.

How it stays fast: papermill and nbconvert are imported once, the HTML is
made in-process with one compiled template, the data is resolved once (the
built-in sample is generated at most once, not by every kernel), kernels talk
over local IPC sockets (no port race on TCP) and departments run in parallel.

Reports published on purpose (``"op_verzoek": true``, the evaluation): the
default run never runs them; ``zgw run notebooks/evaluatie.ipynb --peildatum
2026-07-01`` runs the named notebook once per department into
``<out>/<peildatum>/`` (a folder named after the day, listed on the site index
under that day, not under a month), under the notebook's own name. Such a run
takes only reports published on purpose, and they need ``--peildatum``.

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

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zgwlib.core.errors import OutputError, RunError, UsageError
from zgwlib.core import nl
from zgwlib.core.files import describe_os_error, kind_of_bron
from zgwlib.core.periods import (
    check_peildatum, check_periode, check_week, last_complete_month, last_complete_week, maand_einde, week_end,
    week_start,
)
from zgwlib.core.terms import ORGANISATIE, SAMPLE_NAME, folder_names
from zgwlib.data.snapshot import read_meta
from zgwlib.data.sources import afdelingen as data_afdelingen, resolve
from zgwlib.publish import forkserver, intranet, pages
from zgwlib.publish.execute import Outcome, RunContext, execute_isolated, one_line, published_path
from zgwlib.publish.notebooks import (
    FREQUENTIES, NOTEBOOK_DIR, ReportNotebook, check_notebook, discover, load_parameters, parameters_file,
    read_report_notebook, teksten_file,
)
from zgwlib.publish.secrets import kernel_environment, redact, secret_values

log = logging.getLogger(__name__)

#: Longest time one cell may run before the run counts as failed (seconds).
CELL_TIMEOUT = 1800

#: Name of the run log in each period folder.
LOG_NAME = "zgw-run.log"


def default_workers() -> int:
    """Reports made at the same time by default: one more than the cores this process may use.

    A report's kernel spends part of its time waiting (starting, exchanging messages with the run), so one run
    more than there are cores keeps them busy: the sample's 60 monthly reports took 43 s with 2 runs on 2 cores and
    35 s with 3 (``benchmarks/bench_publication.py --workers``).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores) + 1


@dataclass
class RunResult:
    """Everything one ``zgw run`` did.

    Attributes
    ----------
    periode : str
        The period reported on: a month ``YYYY-MM``, for a weekly run an ISO week ``YYYY-Www``, or the day of a
        report published on request (``YYYY-MM-DD``): the name of the folder the run published into.
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
        """The period's index page."""
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
        """Raise :class:`~zgwlib.core.errors.RunError` when any run failed."""
        if self.failed:
            which = "; ".join(f"{o.rapport}/{o.afdeling}: {o.error}" for o in self.failed[:5])
            more = f"; and {len(self.failed) - 5} more" if len(self.failed) > 5 else ""
            raise RunError(
                f"{len(self.failed)} of {len(self.outcomes)} runs failed ({which}{more}). The other reports were "
                f"published and no earlier good report was replaced. See {self.index} and "
                f"{self.out / self.periode / LOG_NAME}."
            )


@dataclass
class Plan:
    """What one ``zgw run`` will do, decided before any kernel starts.

    Attributes
    ----------
    reports : list of ReportNotebook
        The notebooks to run.
    afdelingen : list of str
        The departments (and :data:`~zgwlib.core.terms.ORGANISATIE`), the organisation first.
    context : RunContext
        What every run shares (month, data, parameters, environment).
    notes : list of str
        Things the user should know that are not errors.
    """

    reports: list[ReportNotebook]
    afdelingen: list[str]
    context: RunContext
    notes: list[str] = field(default_factory=list)

    @property
    def jobs(self) -> list[tuple[ReportNotebook, str]]:
        """Every (notebook, department) run; the organisation's first, as they read the most data."""
        return [(nb, a) for a in self.afdelingen for nb in self.reports]


def _choose_reports(notebooks: Sequence[str | os.PathLike[str]] | None, notebook_dir: str | os.PathLike[str],
                    frequentie: str | None = None, peildatum: str | None = None) -> tuple[list[ReportNotebook], str]:
    """The notebooks to run and the run's cadence.

    Without named notebooks: the publishable ones of ``frequentie`` (default ``"maand"``: a monthly run never runs
    a weekly report, and ``--frequentie week`` runs only the weekly ones); a report published on request (the
    evaluation, ``op_verzoek``) only when named, with ``peildatum``. Named notebooks must share one cadence,
    which is then the run's (and must be ``frequentie`` when that is given): a month and a week are different
    periods and folders.
    """
    if frequentie is not None and frequentie not in FREQUENTIES:
        raise UsageError(f"--frequentie {frequentie!r}: expected one of {', '.join(FREQUENTIES)}.")
    reports = [read_report_notebook(p) for p in notebooks] if notebooks else discover(notebook_dir)
    if not reports:
        raise UsageError(
            f"no notebook in {notebook_dir} is marked for publication "
            '(notebook metadata "zgw": {"publish": true, "titel": ...}).'
        )
    op_verzoek = [nb for nb in reports if nb.op_verzoek]
    if op_verzoek and peildatum is None:
        first = op_verzoek[0]
        raise UsageError(
            f"{first.path} is published on request, for one day: name the day with --peildatum YYYY-MM-DD "
            f"(zgw run {first.path} --peildatum 2026-07-01)."
        )
    if peildatum is not None and len(op_verzoek) < len(reports):
        monthly = ", ".join(str(nb.path) for nb in reports if not nb.op_verzoek)
        raise UsageError(
            f"--peildatum is for reports published on request (notebook metadata \"op_verzoek\": true); "
            f"{monthly} {'is a monthly report' if len(reports) - len(op_verzoek) == 1 else 'are monthly reports'}: "
            "run it with --periode, or name only the report published on request."
        )
    for nb in reports:
        check_notebook(nb)
    if peildatum is not None:
        pass  # a report on request is published for its day, whatever its cadence
    elif notebooks:
        cadences = sorted({nb.frequentie for nb in reports})
        if len(cadences) > 1:
            raise UsageError("the named notebooks are published per " + " and per ".join(cadences) + "; run them "
                             "separately (zgw run --frequentie maand ..., zgw run --frequentie week ...).")
        if frequentie is not None and cadences[0] != frequentie:
            raise UsageError(f"{reports[0].path} is published per {cadences[0]}, not per {frequentie} "
                             '(notebook metadata "zgw": {"frequentie": ...}).')
        frequentie = cadences[0]
    else:
        frequentie = frequentie or "maand"
        reports = [nb for nb in reports if nb.frequentie == frequentie]
        if not reports:
            raise UsageError(f"no notebook in {notebook_dir} is published per {frequentie} "
                             f'(notebook metadata "zgw": {{"frequentie": "{frequentie}"}}).')
    if len({nb.name for nb in reports}) != len(reports):
        raise UsageError("two notebooks have the same file name; their reports would overwrite each other.")
    return reports, frequentie


def _choose_afdelingen(afdelingen: Sequence[str] | None, data_path: Path) -> list[str]:
    known = data_afdelingen(data_path)
    if afdelingen:
        chosen = list(dict.fromkeys(afdelingen))
        unknown = [a for a in chosen if a != ORGANISATIE and a not in known]
        if unknown:
            raise UsageError(
                f"--afdeling {', '.join(unknown)}: not in the data ({data_path}). Departments: "
                f"{', '.join(known)}; or '{ORGANISATIE}' for the whole organisation."
            )
    else:
        chosen = [ORGANISATIE, *known]
    return chosen


def _choose_periode(periode: str | None, periode_tot: Any, frequentie: str = "maand") -> tuple[str, str]:
    """The report month (a weekly run: ISO week) and why it was chosen; one that starts after the data is refused."""
    week = frequentie == "week"
    word = "week" if week else "month"
    check, last_complete = (check_week, last_complete_week) if week else (check_periode, last_complete_month)
    if not periode_tot:
        if not periode:
            raise UsageError("the snapshot's meta.json has no periode_tot (the day its data is complete up to); "
                             f"name the {word} with --periode.")
        return check(periode), f"{word} {periode}: as asked (the snapshot does not say up to which day it is complete)."
    tot, tot_day = nl.datum(str(periode_tot)[:10]), str(periode_tot)[:10]
    if not periode:
        chosen = last_complete(periode_tot)
        return chosen, f"{word} {chosen}: the last complete {word} of the data (complete up to {tot})."
    periode = check(periode)
    first, end = (week_start(periode), week_end(periode)) if week else (pd.Period(periode, "M").start_time,
                                                                         maand_einde(periode))
    if first.date().isoformat() > tot_day:
        raise UsageError(f"--periode {periode}: the data is complete up to {tot}, so it has nothing about that {word}; "
                         f"the last complete {word} is {last_complete(periode_tot)}.")
    if end.date().isoformat() > tot_day:
        return periode, f"{word} {periode}: as asked; NOTE the data is complete only up to {tot}, so the {word} is partial."
    return periode, f"{word} {periode}: as asked (the data is complete up to {tot})."


def plan(
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
    frequentie: str | None = None,
    peildatum: str | None = None,
) -> Plan:
    """Check every option and decide what to run; nothing is written yet.

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
        One parameters file for every report (notebook parameters and settings); default each report's own
        ``parameters/<report>.yaml`` beside the notebooks' folder, when it exists.
    notebook_dir : path
        Where to look for notebooks when none are named.
    kernel_name : str, optional
        Kernel for every notebook instead of the one in its metadata.
    timeout : int
        Longest a cell may run, in seconds.

    Returns
    -------
    Plan
        The reports, departments and shared context of the run.
    """
    params = load_parameters(config) if config is not None else {}
    data = data or params.pop("data", None) or SAMPLE_NAME
    params.pop("data", None)
    periode = periode or params.pop("periode", None)
    params.pop("periode", None)
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1.")
    if peildatum is not None:
        peildatum = check_peildatum(peildatum)
        if periode:
            raise UsageError("give either --periode (a month) or --peildatum (a day of a report on request), not both.")
    reports, frequentie = _choose_reports(notebooks, notebook_dir, frequentie, peildatum)
    # Resolved once here, so parallel kernels never each generate the sample.
    data_path = resolve(data).resolve()
    meta = read_meta(data_path)
    chosen = _choose_afdelingen(afdelingen, data_path)
    if peildatum is not None:
        periode, why = peildatum, f"day {peildatum}: a report published on request."  # the run's folder is the day
    else:
        periode, why = _choose_periode(periode, meta.get("periode_tot"), frequentie)

    _check_out(Path(out), data_path, periode)

    # Each report reads its own parameters file (parameters/<report>.yaml), unless one file is named for all.
    config_files: dict[str, Path | None] = {}
    report_parameters: dict[str, dict[str, Any]] = {}
    for nb in reports:
        own = parameters_file(nb, config)
        config_files[nb.name] = own.resolve() if own is not None else None
        if own is not None and config is None:
            # Read here: a secret or a department in it is refused before any kernel starts.
            report_parameters[nb.name] = {k: v for k, v in load_parameters(own).items() if k not in ("data", "periode")}
    notes = [why]
    declared = {p for nb in reports for p in nb.parameters}
    # Keys of a file that a notebook reads itself (it has a `config` parameter) are used there, not here.
    unused = [] if "config" in declared else sorted(k for k in params if k not in declared and k != "config")
    if unused:
        notes.append(f"{config}: {', '.join(unused)} is not a parameter of any notebook run; ignored.")
    data_meta = {k: meta.get(k) for k in ("gemeente", "bron", "periode_van", "periode_tot", "aangemaakt_op")}
    # Published in every index entry: the kind of source and the folder's name, never a path or address on the server
    # ("import: /srv/export" -> "import").
    data_meta.update(bron=kind_of_bron(meta.get("bron")) or None, map=data_path.name)
    teksten = {nb.name: teksten_file(nb) for nb in reports}
    context = RunContext(
        out=Path(out), periode=periode, data_path=data_path, data_meta=data_meta, config=params,
        config_files=config_files, report_parameters=report_parameters, folders=folder_names(chosen),
        kernel_name=kernel_name, timeout=timeout, env=kernel_environment(), secrets=secret_values(),
        workers=workers or default_workers(), teksten_files=teksten,
    )
    return Plan(reports, chosen, context, notes)


def _check_out(out: Path, data_path: Path, periode: str) -> None:
    """Refuse an ``--out`` where publishing would write into or over what the kit did not write there.

    A run adds to a site: it writes ``<out>/<periode>/`` and rewrites the index pages. So ``--out`` may not be a
    file, nor the snapshot it reads (or a folder inside it), nor a folder that holds a snapshot or an export; and
    an ``index.html`` there that the kit did not write (a web server's own landing page) is never replaced. A
    snapshot inside ``--out`` is fine (``zgw demo`` keeps the sample in ``outputs/voorbeeld``): nothing of it is
    written.

    Raises
    ------
    OutputError
        Saying what is in the way and what to do.
    """
    where = out.resolve()
    if where == data_path or data_path in where.parents:
        raise OutputError(f"--out {out} is the snapshot --data {data_path}, or lies inside it; choose an --out "
                          "outside it.")
    for p in (where, *where.parents):
        if p.exists():
            if not p.is_dir():
                raise OutputError(f"cannot write reports to {out}: {p} is a file, not a folder; choose another --out.")
            break
    if (out / "meta.json").exists():
        raise OutputError(f"{out} holds a snapshot or an export (meta.json), not published reports; choose another "
                          "--out.")
    for index in (out / "index.html", out / periode / "index.html"):
        if index.exists() and not pages.written_by_zgw(index):
            raise OutputError(f"{index} was not written by zgw; refusing to replace it. Choose another --out, or move "
                              "that file away yourself.")


def execute_all(plan: Plan, progress: bool | None = None,
                on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run every job of ``plan`` in parallel; each publishes its own report. Ctrl-C stops every kernel."""
    ctx, jobs = plan.context, plan.jobs
    try:
        (ctx.out / ctx.periode).mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # read-only, full, no permission: said before any kernel starts, not as a traceback
        raise OutputError(describe_os_error(exc, ctx.out / ctx.periode)) from None
    _cleanup_stale_temp(ctx.out / ctx.periode)
    # The figures every department shares, computed by the first kernel that needs them (zgwlib.core.cache); a
    # folder of this run only, so no later run (new code, same data) ever reads them.
    ctx.cache = Path(tempfile.mkdtemp(prefix=".tmp-cache-", dir=ctx.out / ctx.periode)).resolve()
    try:
        _start_forkserver(ctx, plan.reports)
        return _execute_jobs(ctx, jobs, progress, on_done)
    finally:
        if ctx.forkserver is not None:
            ctx.forkserver.close()
            ctx.forkserver = None
        shutil.rmtree(ctx.cache, ignore_errors=True)
        ctx.cache = None


def _start_forkserver(ctx: RunContext, reports: Sequence[ReportNotebook]) -> None:
    """One fork server for the run's kernels when they all use one kernel that can be forked here
    (:mod:`zgwlib.publish.forkserver`); otherwise, or when it does not start, kernels start the usual way."""
    names = {ctx.kernel_name or nb.kernel_name for nb in reports}
    argv = forkserver.kernel_argv(names.pop()) if len(names) == 1 else None
    if argv is None or not forkserver.usable(argv, ctx.env):
        return
    server = forkserver.ForkServer()
    if server.start(argv, ctx.env, forkserver.modules_of(nb.path for nb in reports), ctx.data_path):
        ctx.forkserver = server
    else:
        log.warning("kernels start the usual way: the fork server did not start (%s)", server.reason)


def _execute_jobs(ctx: RunContext, jobs: list[tuple[ReportNotebook, str]], progress: bool | None,
                  on_done: Callable[[Outcome], None] | None) -> list[Outcome]:
    outcomes: dict[int, Outcome] = {}
    pm_logger = logging.getLogger("papermill")
    old_level = pm_logger.level
    # We validate parameters ourselves; papermill's notes would only mix with the progress bar.
    pm_logger.setLevel(logging.ERROR)
    import papermill  # noqa: F401  - import once here, not racing in the worker threads
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), desc=f"zgw run {ctx.periode}", unit="rapport",
               disable=None if progress is None else not progress)
    pool = ThreadPoolExecutor(max_workers=ctx.workers, thread_name_prefix="zgw-run")
    futures: dict[Future[Outcome], int] = {pool.submit(execute_isolated, nb, a, ctx): i
                                           for i, (nb, a) in enumerate(jobs)}
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
                    outcome = Outcome(nb.name, a, False, 0.0, None, one_line(exc), 1, traceback.format_exc())
                outcomes[i] = outcome
                bar.update(1)
                if on_done is not None:
                    on_done(outcome)
    except BaseException:
        _stop(ctx)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        bar.close()
        pm_logger.setLevel(old_level)
    pool.shutdown(wait=True)
    return [outcomes[i] for i in range(len(jobs))]


def _stop(ctx: RunContext) -> None:
    """Ctrl-C or similar: stop the kernels; no run moves anything into place after this."""
    ctx.stop.set()
    with ctx.lock:
        for pid in ctx.pids:
            try:
                os.kill(pid, 9)
            except OSError:
                pass


def publish(plan: Plan, outcomes: list[Outcome], started: float, config: Any = None) -> RunResult:
    """Write the month's intranet pieces, rebuild the month's and the site's index pages, append to the run log."""
    ctx = plan.context
    # The intranet article and the key-user agenda come from the organisation's summaries, before the index links them.
    intranet.write_month_pieces(ctx.out / ctx.periode)
    pages.write_period_index(ctx.out / ctx.periode)
    pages.write_site_index(ctx.out)
    result = RunResult(ctx.periode, ctx.out, outcomes, time.perf_counter() - started, plan.notes)
    _write_log(result, ctx, _argv_text(plan.reports, plan.afdelingen, ctx.data_path, ctx.periode, config))
    return result


def run(
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    *,
    progress: bool | None = None,
    on_done: Callable[[Outcome], None] | None = None,
    **options: Any,
) -> RunResult:
    """Run report notebooks per department and publish them with the index pages: plan, execute, publish.

    Parameters
    ----------
    notebooks : list of paths, optional
        As :func:`plan`.
    progress : bool, optional
        Show a progress bar; default only on a terminal.
    on_done : callable, optional
        Called with each :class:`Outcome` as it finishes.
    **options
        ``periode``, ``afdelingen``, ``data``, ``out``, ``workers``, ``config``, ``notebook_dir``,
        ``kernel_name``, ``timeout``, ``frequentie``, ``peildatum``: as :func:`plan`.

    Returns
    -------
    RunResult
        Call :meth:`RunResult.raise_for_failures` to turn failures into a :class:`~zgwlib.core.errors.RunError`.
    """
    started = time.perf_counter()
    the_plan = plan(notebooks, **options)
    outcomes = execute_all(the_plan, progress, on_done)
    return publish(the_plan, outcomes, started, options.get("config"))


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


def _write_log(result: RunResult, ctx: RunContext, argv: str) -> None:
    lines = [f"== {dt.datetime.now().replace(microsecond=0).isoformat()} zgw run {argv}".rstrip()]
    lines += [f"   {line}" for line in result.table().splitlines()]
    for o in result.outcomes:
        if o.log:
            lines += [f"   {line}" for line in o.log.splitlines()]
    text = redact("\n".join(lines) + "\n", ctx.secrets)[0]
    with open(ctx.out / ctx.periode / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(text)


def _argv_text(reports: Iterable[ReportNotebook], afdelingen: list[str], data: Path, periode: str, config: Any) -> str:
    # The log lies in the published month's folder: paths as the published notebooks name them, not the server's.
    which = "--peildatum" if any(nb.op_verzoek for nb in reports) else "--periode"
    parts = [" ".join(published_path(nb.path) for nb in reports), f"{which} {periode}",
             f"--data {published_path(data)}"]
    parts += [f"--afdeling {a!r}" for a in afdelingen]
    if config:
        parts.append(f"--config {published_path(config)}")
    return " ".join(parts)
