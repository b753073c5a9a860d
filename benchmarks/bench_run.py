"""Benchmark: ``zgw run`` against the naive shell loop a user would write, on the same data.

The naive way, per department one after the other::

    papermill NOTEBOOK out/<afdeling>.ipynb -p afdeling ... -p periode ... -p data ...
    jupyter nbconvert --to html --no-input out/<afdeling>.ipynb

against ``zgw run NOTEBOOK --data ... --periode ...`` for every department and
the organisation (default workers: the number of cores). Both run in this
process's run, on the same snapshot; the figures are printed, with the ratio,
a check that both made the same reports (every output of every cell equal),
and where the time of one naive department goes.

Usage: ``python benchmarks/bench_run.py [--zaken N] [--notebook PATH] [--keep DIR]``.
Target: ``zgw run`` at least 3x faster on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = 3.0


def timed(cmd: list[str] | str, **kw: Any) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def outputs_of(path: Path) -> list[tuple[int, str, str]]:
    """What a reader sees of an executed notebook: every output of every code cell."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                found.append((i, "stream:" + out.get("name", ""), out.get("text", "")))
            for mime, value in sorted((out.get("data") or {}).items()):
                found.append((i, mime, value if isinstance(value, str) else repr(value)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaken", type=int, default=None, help="sample size (default: the built-in sample's)")
    parser.add_argument("--notebook", type=Path, default=None, help="report notebook (default: maandrapportage)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

    from zgwlib.core import terms
    from zgwlib.publish.runner import default_workers
    from zgwlib.core.periods import last_complete_month
    from zgwlib.data.sample import build_sample
    from zgwlib.data.sources import afdelingen
    from zgwlib.data.snapshot import read_meta

    notebook = args.notebook or ROOT / "notebooks" / "maandrapportage.ipynb"
    if not notebook.exists():
        notebook = ROOT / "tests" / "notebooks" / "rapport_ok.ipynb"
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    try:
        t = time.perf_counter()
        data = build_sample(work / "data" / "voorbeeld", zaken=args.zaken)
        meta = read_meta(data)
        periode = last_complete_month(meta["periode_tot"])
        depts = [terms.ORGANISATIE, *afdelingen(data)]
        print(f"data: {meta['gemeente']}, {meta['aantallen']['zaken']:,} zaken ({time.perf_counter() - t:.1f} s to build)")
        print(f"notebook: {notebook.relative_to(ROOT) if notebook.is_relative_to(ROOT) else notebook}, "
              f"periode {periode}, {len(depts)} runs (every department + organisatie), "
              f"{os.cpu_count()} cores, zgw run workers {default_workers()}")

        # The naive way: a shell loop, one process per step, one department after the other.
        naive = work / "naive"
        naive.mkdir()
        loop = "\n".join(
            f"{BIN / 'papermill'} {shlex.quote(str(notebook))} {naive / terms.slug(a)}.ipynb "
            f"-p afdeling {shlex.quote(a)} -p periode {periode} -p data {shlex.quote(str(data))} --no-progress-bar "
            f"&& {BIN / 'jupyter'} nbconvert --to html --no-input {naive / terms.slug(a)}.ipynb"
            for a in depts
        )
        t_naive = timed(["bash", "-e", "-c", loop], cwd=notebook.parent)

        t_zgw = timed(
            [str(BIN / "zgw"), "run", str(notebook), "--data", str(data), "--periode", periode,
             "--out", str(work / "zgw")],
            cwd=ROOT,
        )

        same, compared = True, 0
        for a in depts:
            theirs = outputs_of(naive / f"{terms.slug(a)}.ipynb")
            ours = outputs_of(work / "zgw" / periode / terms.slug(a) / f"{notebook.stem}.ipynb")
            compared += len(ours)
            if theirs != ours:
                same = False
                print(f"  differs: {a}")
        html_ok = all((naive / f"{terms.slug(a)}.html").exists() for a in depts) and all(
            (work / "zgw" / periode / terms.slug(a) / f"{notebook.stem}.html").exists() for a in depts
        )

        print(f"naive shell loop (papermill + jupyter nbconvert per department): {t_naive:7.1f} s "
              f"({t_naive / len(depts):.1f} s per department)")
        print(f"zgw run (all departments, index included):                       {t_zgw:7.1f} s "
              f"({t_zgw / len(depts):.1f} s per department)")
        ratio = t_naive / t_zgw
        print(f"ratio: {ratio:.1f}x faster (target >= {TARGET:.0f}x) {'OK' if ratio >= TARGET else 'BELOW TARGET'}")
        print(f"same reports: {'yes' if same and html_ok else 'NO'} ({compared} cell outputs in {len(depts)} "
              "executed notebooks compared; HTML made by both)")

        # Where one naive department's time goes.
        py = str(BIN / "python")
        t_py = timed([py, "-c", "pass"])
        t_pm = timed([py, "-c", "import papermill"])
        t_nbc = timed([py, "-c", "import nbconvert"])
        one = naive / f"{terms.slug(depts[0])}.ipynb"
        t_convert_cli = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--output",
                               str(work / "again.html"), str(one)])
        probe = (
            "import time, os\n"
            "from jupyter_client.manager import start_new_kernel\n"
            "t = time.perf_counter(); km, kc = start_new_kernel(kernel_name='python3'); t1 = time.perf_counter()\n"
            "kc.execute_interactive('import pandas, matplotlib.pyplot, zgwlib, zgwlib.publish.pages', timeout=120, "
            "output_hook=lambda m: None)\n"
            "t2 = time.perf_counter(); kc.stop_channels(); km.shutdown_kernel(now=True)\n"
            "print(f'{t1 - t:.2f} {t2 - t1:.2f}')\n"
        )
        kernel_start, kernel_imports = (float(x) for x in subprocess.run(
            [py, "-c", probe], check=True, capture_output=True, text=True).stdout.split())
        import nbformat

        from zgwlib.publish.pages import ReportPage, render_report

        executed = nbformat.read(one, as_version=4)
        render_report(executed, ReportPage("x", depts[0], periode, {}))  # compile the template once
        t = time.perf_counter()
        for _ in range(5):
            render_report(executed, ReportPage("x", depts[0], periode, {}))
        t_convert_inproc = (time.perf_counter() - t) / 5
        per_naive = t_naive / len(depts)
        print("where one naive department's time goes (s):")
        print(f"  python start {t_py:.2f}; + import papermill {t_pm - t_py:.2f}; + import nbconvert {t_nbc - t_py:.2f}")
        print(f"  kernel start {kernel_start:.2f}; imports in the kernel (pandas, matplotlib, zgwlib) {kernel_imports:.2f}")
        print(f"  jupyter nbconvert CLI {t_convert_cli:.2f} vs in-process conversion {t_convert_inproc:.2f}")
        rest = per_naive - (t_pm - t_py) - t_convert_cli - kernel_start - kernel_imports - t_py
        print(f"  notebook's own work (data, figures, tables) about {max(rest, 0):.2f} of {per_naive:.2f}")
        print("zgw run pays python/papermill/nbconvert imports and template compilation once, converts "
              "in-process, resolves the data once, and runs departments in parallel.")
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
            print(f"outputs kept in {args.keep}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
