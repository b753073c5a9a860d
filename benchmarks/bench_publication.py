"""Benchmark: the full publication (``zgw run``, every report for every department) and where its time goes.

Runs ``zgw run`` on one snapshot, optionally first with the code of an earlier commit (``--baseline REF``,
extracted with ``git archive`` into a temporary folder and put first on ``PYTHONPATH``, so its kernels import
that code), in the same run of this script, so the ratio holds on a machine shared with others. Then, per report,
where the time went, from the executed notebooks papermill writes (each cell's duration is in its metadata) and
from the index entries (``duur_s``, one run's wall time):

- ``kernel+conv``: the job's wall time minus its cells: starting (forking) the kernel, papermill, the HTML
  conversion;
- ``imports``: the notebook's import lines, timed once in a fresh interpreter (with the modules loaded first when
  the kernels are forked from a server that has them, as they are then);
- ``load+shared``: the rest of the first code cell after the parameters: reading the snapshot and computing the
  figures every department shares (the month table, the champion scores, ...);
- ``figures``: the other cells without a chart;
- ``charts``: the other cells that draw a chart (an ``image/png`` output).

All in seconds, summed over departments (the organisation included), with the number of runs. The run log
(``<out>/<periode>/zgw-run.log``) has the per-run seconds too. Peak memory is the largest sum, sampled every
0.2 s, of the proportional set size (PSS) of ``zgw run`` and every process under it (kernels, fork server): a
page that forked kernels share with their server counts once, as the machine holds it.

Usage: ``python benchmarks/bench_publication.py [--data DIR | --zaken N] [--baseline REF] [--frequentie week]
[--workers N] [--keep DIR] [other zgw run arguments]``, e.g. ``--peildatum 2026-10-31 evaluatie`` for the
evaluation, which is published on request only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("kernel+conv", "imports", "load+shared", "figures", "charts")


def extract(ref: str, into: Path) -> Path:
    """The tree of ``ref`` in ``into`` (only committed files; nothing of the worktree)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _tree_memory(root: int) -> int:
    """Memory in bytes of process ``root`` and all its descendants (Linux ``/proc``; 0 elsewhere).

    Per process its proportional set size (PSS, ``smaps_rollup``): a page shared by n processes counts 1/n in
    each, so the forked kernels' shared code is counted once, as the machine holds it. Where PSS cannot be read,
    the resident size (an upper bound).
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid and child not in tree)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError, IndexError):
            total += rss.get(pid, 0)
    return total


def zgw_run(tree: Path, data: Path, out: Path, extra: list[str]) -> tuple[float, float, str]:
    """``zgw run`` with the code of ``tree`` (its notebooks, parameters and zgwlib): wall seconds, the peak of the
    summed memory (PSS) of the command and all its kernels (GB, sampled every 0.2 s), and its output."""
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-c", "import sys; from zgwlib.cli import main; sys.exit(main())", "run",
           "--data", str(data), "--out", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.2):
            peak[0] = max(peak[0], _tree_memory(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t
    finished.set()
    sampler.join()
    if proc.returncode != 0:
        print(stdout[-3000:], stderr[-3000:], sep="\n")
        raise SystemExit(f"zgw run in {tree} failed (exit {proc.returncode})")
    return wall, peak[0] / 1e9, stdout


_IMPORT = re.compile(r"^(import |from \S+ import )")


def import_seconds(cell_source: str, tree: Path, cache: dict[tuple[str, bool], float]) -> float:
    """The import lines of a notebook's set-up cell, timed in a fresh interpreter (minus the interpreter's start).

    When the code of ``tree`` forks its kernels from a server that imported every module the notebooks import
    (``zgwlib/publish/forkserver.py``, Linux), a kernel runs these lines with the modules loaded already: the
    probe then imports them once before it starts the clock.
    """
    lines = [ln for ln in cell_source.splitlines() if _IMPORT.match(ln)]
    code = "\n".join(lines)
    forked = ((tree / "zgwlib" / "publish" / "forkserver.py").exists() and sys.platform.startswith("linux")
              and os.environ.get("ZGW_FORK_KERNELS", "").strip() != "0")
    if (code, forked) not in cache:
        env = {**os.environ, "PYTHONPATH": str(tree), "MPLBACKEND": "agg"}
        # A kernel has IPython and its display machinery loaded before the first cell: not the notebook's cost.
        before = "import IPython.display\n" + (code if forked else "")
        probe = f"{before}\nimport time; t = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"
        out = subprocess.run([sys.executable, "-c", probe], cwd=tree, env=env, check=True, capture_output=True, text=True)
        cache[(code, forked)] = float(out.stdout.split()[-1])
    return cache[(code, forked)]


def profile(out: Path, tree: Path) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """Per report the seconds of :data:`PARTS`, summed over its departments, and the number of runs."""
    import nbformat

    parts: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(PARTS, 0.0))
    runs: dict[str, int] = defaultdict(int)
    imports: dict[tuple[str, bool], float] = {}
    for entry in sorted(out.glob("*/*/*.json")):
        record = json.loads(entry.read_text(encoding="utf-8"))
        if not isinstance(record, dict) or "duur_s" not in record or record.get("status") != "ok":
            continue
        nb = nbformat.read(entry.with_suffix(".ipynb"), as_version=4)
        rapport = entry.stem
        p = parts[rapport]
        runs[rapport] += 1
        cells = [c for c in nb.cells if c.cell_type == "code"]
        first = next(i for i, c in enumerate(cells) if not {"parameters", "injected-parameters"}
                     & set(c.metadata.get("tags", [])))
        total = 0.0
        for i, c in enumerate(cells):
            d = float((c.metadata.get("papermill") or {}).get("duration") or 0.0)
            total += d
            if i < first:
                p["load+shared"] += d  # the parameters cells: nothing to speak of
            elif i == first:
                imp = min(import_seconds(c.source, tree, imports), d)
                p["imports"] += imp
                p["load+shared"] += d - imp
            elif any("image/png" in (o.get("data") or {}) for o in c.get("outputs", [])):
                p["charts"] += d
            else:
                p["figures"] += d
        p["kernel+conv"] += max(float(record["duur_s"]) - total, 0.0)
    return parts, runs


def show(title: str, wall: float, peak_gb: float, parts: dict[str, dict[str, float]], runs: dict[str, int]) -> None:
    print(f"\n{title}: {wall:.1f} s wall for {sum(runs.values())} runs; peak memory {peak_gb:.2f} GB "
          "(the command and its kernels together)")
    print(f"  {'report':16} {'runs':>4} " + " ".join(f"{p:>12}" for p in PARTS) + f" {'sum':>9}")
    for rapport in sorted(parts):
        row = parts[rapport]
        print(f"  {rapport:16} {runs[rapport]:4d} " + " ".join(f"{row[p]:12.1f}" for p in PARTS)
              + f" {sum(row.values()):9.1f}")
    tot = {p: sum(r[p] for r in parts.values()) for p in PARTS}
    print(f"  {'all':16} {sum(runs.values()):4d} " + " ".join(f"{tot[p]:12.1f}" for p in PARTS)
          + f" {sum(tot.values()):9.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="snapshot folder (default: build the sample)")
    ap.add_argument("--zaken", type=int, default=None, help="sample size when building (default: the sample's)")
    ap.add_argument("--baseline", default=None, help="git ref to time first in the same run, e.g. HEAD~3")
    ap.add_argument("--frequentie", default=None, help="week: the weekly reports")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="publish into this folder (kept) instead of a temp one")
    args, passed = ap.parse_known_args()  # the rest goes to zgw run as it is, e.g. --peildatum 2026-10-31 evaluatie
    extra = [*passed, *(["--frequentie", args.frequentie] if args.frequentie else []),
             *(["--workers", str(args.workers)] if args.workers else [])]

    with tempfile.TemporaryDirectory(prefix="bench-publication-") as tmp:
        work = args.keep or Path(tmp)
        data = args.data
        if data is None:
            from zgwlib.data.sample import build_sample

            data = build_sample(Path(tmp) / "data" / "voorbeeld", zaken=args.zaken)
        data = Path(data).resolve()
        meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
        print(f"data: {data} ({meta['aantallen']['zaken']:,} zaken); cores {os.cpu_count()}; load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        results = []
        if args.baseline:
            base = extract(args.baseline, Path(tmp) / "baseline")
            wall, peak, _ = zgw_run(base, data, work / "baseline", extra)
            results.append((f"baseline {args.baseline}", wall, peak, *profile(work / "baseline", base)))
            show(*results[-1])
        wall, peak, _ = zgw_run(ROOT, data, work / "current", extra)
        results.append(("this worktree", wall, peak, *profile(work / "current", ROOT)))
        show(*results[-1])
        if len(results) == 2:
            (_, w0, _, p0, _), (_, w1, _, p1, _) = results
            print(f"\nfull publication: {w0:.1f} s -> {w1:.1f} s = {w0 / w1:.2f}x faster (load average now "
                  + " ".join(f"{x:.1f}" for x in os.getloadavg()) + ")")
            for rapport in sorted(p1):
                a, b = sum(p0.get(rapport, {}).values()), sum(p1[rapport].values())
                if a and b:
                    print(f"  {rapport:16} {a:7.1f} s -> {b:7.1f} s = {a / b:.2f}x")


if __name__ == "__main__":
    main()
