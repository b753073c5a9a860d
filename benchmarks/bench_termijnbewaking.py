"""Benchmark: the weekly Termijnbewaking figures for every department on a 2,000,000-zaak sample.

Target (issue 14): the weekly run's figures for every department of a 2,000,000-zaak snapshot in at most 60 s on
2 cores. Timed, from a snapshot on disk:

1. ``figures.load``: read the columns the report needs; day numbers, legal deadline, team, categoricals;
2. ``kandidaten`` + ``trend``: every department's open zaken on the list (late, within the horizon, suspended) in
   one pass, and the 13-week trend of late zaken per department and zaaktype as one interval count;
3. per department and for the organisation: the worklist, counts per zaaktype and team, the trend and the
   zaaktypen that keep coming back, with links and the dwangsom risk (the shipped parameters file's zaaktypen).

The sample is built once with :func:`zgwlib.data.sample.build_sample` into a cache folder and reused (the same
folder as ``bench_metrics.py``). A baseline measured in the same run, just reading the same Parquet columns with
pandas, puts the figures in proportion to the machine; next to each wall time the CPU time of this process.

With ``--run`` it also times the whole ``zgw run --frequentie week`` on the snapshot (a kernel per department and
the organisation, each reading the snapshot, then the HTML pages and the index), in a temporary output folder.

Usage: ``python benchmarks/bench_termijnbewaking.py [--zaken 2000000] [--cache DIR] [--herhaal 2] [--peildatum D]
[--run]``
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import cached_sample, timed  # noqa: E402  (benchmarks/common.py)

from zgwlib.core import periods, terms  # noqa: E402
from zgwlib.core.settings import load_settings  # noqa: E402
from zgwlib.data.snapshot import read_meta  # noqa: E402
from zgwlib.data.sources import load_snapshot  # noqa: E402
from zgwlib.termijnbewaking import figures  # noqa: E402

TARGET_S = 60.0


def _lees(folder: Path) -> Any:
    return load_snapshot(folder, list(figures.KOLOMMEN), columns=figures.KOLOMMEN)


def _per_afdeling(basis: figures.Basis, peil: Any, inst: figures.Instellingen) -> tuple[int, int]:
    """Everything the report shows per department and for the organisation; returns (rows made, late zaken)."""
    rows = late = 0
    for afdeling in [terms.ORGANISATIE, *basis.afdelingen]:
        lijst = figures.werklijst(basis, peil, inst, afdeling)
        rows += len(lijst.zaken) + len(lijst.opgeschort)
        rows += len(figures.telling(lijst, "zaaktype")) + len(figures.telling(lijst, "team"))
        rows += len(figures.trend_frame(basis, peil, inst.trend_weken, afdeling))
        rows += len(figures.terugkerend(basis, peil, inst, afdeling))
        if afdeling == terms.ORGANISATIE:
            late = len(lijst.te_laat)
    return rows, late


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zaken", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=None, help="snapshot folder to build or reuse")
    ap.add_argument("--peildatum", default=None, help="default: the end of the last complete week of the data")
    ap.add_argument("--herhaal", type=int, default=2, help="runs; the fastest counts (others share the machine)")
    ap.add_argument("--run", action="store_true", help="also time the whole zgw run --frequentie week")
    args = ap.parse_args()

    folder = cached_sample(args.zaken, args.seed, args.cache)
    meta = read_meta(folder)
    print(f"snapshot {folder}: zaken {meta['aantallen']['zaken']:,}, medewerkers {meta['aantallen']['medewerkers']:,}")
    print(f"cores available: {len(os.sched_getaffinity(0))}; load average now: "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    inst = load_settings(figures.Instellingen, ROOT / "parameters" / "termijnbewaking.yaml",
                         zaak_url="https://zaken.example.nl/zaken/{identificatie}")
    week = periods.last_complete_week(meta["periode_tot"])
    len(_lees(folder).tables)  # warm the page cache, so baseline and report read the same way

    runs = []
    for i in range(max(1, args.herhaal)):
        _, base_wall, base_cpu = timed(lambda: len(_lees(folder).tables))
        basis, laad_wall, laad_cpu = timed(lambda: figures.load(folder, inst))
        peil = figures.choose_peildatum(basis, None if args.peildatum else week, args.peildatum)

        def alles() -> tuple[int, int]:
            n = len(figures.kandidaten(basis, peil, inst))
            figures.trend(basis, peil, max(inst.trend_weken, inst.terugkerend_venster))
            return n, 0

        (kand, _), org_wall, org_cpu = timed(alles)
        (rows, late), afd_wall, afd_cpu = timed(lambda: _per_afdeling(basis, peil, inst))
        total_wall, total_cpu = laad_wall + org_wall + afd_wall, laad_cpu + org_cpu + afd_cpu
        runs.append(total_wall)
        print(f"\nrun {i + 1}: week {periods.week_of(peil)}, peildatum {peil.date()}, {len(basis.afdelingen)} "
              "departments + the organisation")
        print(f"  baseline: read the Parquet columns        {base_wall:6.2f} s wall {base_cpu:6.2f} s cpu")
        print(f"  1 laad (read + days, deadline, team)      {laad_wall:6.2f} s wall {laad_cpu:6.2f} s cpu  "
              f"({len(basis.zaken):,} zaken)")
        print(f"  2 all departments: list + 13-week trend   {org_wall:6.2f} s wall {org_cpu:6.2f} s cpu  "
              f"({kand:,} zaken on some list)")
        print(f"  3 per department and organisation         {afd_wall:6.2f} s wall {afd_cpu:6.2f} s cpu  "
              f"({rows:,} rows of lists, counts, trends; {late:,} zaken past the legal term)")
        print(f"  total                                     {total_wall:6.2f} s wall {total_cpu:6.2f} s cpu  "
              f"= {total_wall / base_wall:.1f} x the baseline")
        del basis
    best = min(runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"\nfastest run: {best:.2f} s against the target of {TARGET_S:.0f} s -> "
          f"{'OK' if best <= TARGET_S else 'TOO SLOW'}; peak memory {peak:.1f} GB")
    if args.run:
        with tempfile.TemporaryDirectory(prefix="zgw-bench-week-") as out:
            cmd = [sys.executable, "-c", "import sys; from zgwlib.cli import main; sys.exit(main())", "run",
                   "--frequentie", "week", "--data", str(folder), "--out", out]
            env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
            t = time.perf_counter()
            done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - t
            print(done.stdout.strip().splitlines()[-3] if done.stdout.strip() else done.stderr[-2000:])
            print(f"zgw run --frequentie week, every department and the organisation: {wall:.1f} s wall "
                  f"(exit {done.returncode}) against the target of {TARGET_S:.0f} s -> "
                  f"{'OK' if wall <= TARGET_S and done.returncode == 0 else 'TOO SLOW or FAILED'}")


if __name__ == "__main__":
    main()
