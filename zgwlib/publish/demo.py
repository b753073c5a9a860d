"""``zgw demo``: what ``make demo`` does, in Python only, so it runs on any laptop (Windows too, no make or shell).

Build the sample municipality into ``<out>/voorbeeld/``, validate it, publish every monthly report and the
weekly report(s) for every department and the organisation, and return where the index is. Every path is a
:class:`pathlib.Path`; nothing is run through a shell.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zgwlib.core.errors import ValidationError
from zgwlib.core.terms import SAMPLE_NAME
from zgwlib.data.sample import build_sample
from zgwlib.data.validate import validate_snapshot
from zgwlib.publish.notebooks import discover, find_notebook_dir
from zgwlib.publish.runner import RunResult, run


@dataclass
class DemoResult:
    """What one ``zgw demo`` made.

    Attributes
    ----------
    sample : pathlib.Path
        The validated sample snapshot (``<out>/voorbeeld``).
    notebooks : pathlib.Path
        The folder the report notebooks were taken from (see
        :func:`zgwlib.publish.notebooks.find_notebook_dir`).
    runs : list of RunResult
        The monthly run, then the weekly run (when a weekly report exists).
    warnings : int
        Validation warnings of the sample (errors stop the demo).
    """

    sample: Path
    notebooks: Path
    runs: list[RunResult]
    warnings: int

    @property
    def index(self) -> Path:
        """The site's index page, listing every period."""
        return self.runs[0].out / "index.html"


def make_demo(
    out: str | os.PathLike[str] = "outputs",
    *,
    zaken: int | None = None,
    afdelingen: Sequence[str] | None = None,
    notebook_dir: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    on_step: Callable[[str], None] | None = None,
) -> DemoResult:
    """Build and validate the sample and publish every report for it.

    Parameters
    ----------
    out : path
        Output root; the sample goes to ``<out>/voorbeeld``, the reports to ``<out>/<periode>/...``.
    zaken : int, optional
        Number of zaken of the sample (default about 60,000; fewer is faster).
    afdelingen : list of str, optional
        Only these departments (``"organisatie"``: the whole organisation); default every one plus it.
    notebook_dir : path, optional
        Folder of the report notebooks; default as :func:`~zgwlib.publish.notebooks.find_notebook_dir`.
    workers : int, optional
        Reports made at the same time; default the number of cores.
    progress : bool, optional
        Show progress bars; default only on a terminal.
    on_step : callable, optional
        Called with a short English line before each step.

    Returns
    -------
    DemoResult
        Check each run with :meth:`RunResult.raise_for_failures`.
    """
    say = on_step or (lambda _line: None)
    out = Path(out)
    notebooks = find_notebook_dir(notebook_dir)
    sample = out / SAMPLE_NAME
    say(f"Building the sample municipality in {sample} ...")
    build_sample(sample, zaken=zaken)
    problems = validate_snapshot(sample)
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems, str(sample))
    say(f"Sample validated ({len(problems)} warnings). Publishing every report from {notebooks} ...")
    options = {"data": sample, "out": out, "afdelingen": afdelingen, "workers": workers, "notebook_dir": notebooks}
    runs = [run(progress=progress, **options)]
    if any(nb.frequentie == "week" for nb in discover(notebooks)):
        runs.append(run(progress=progress, frequentie="week", **options))
    return DemoResult(sample, notebooks, runs, len(problems))
