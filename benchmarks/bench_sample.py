"""Benchmark: generating the sample municipality with 2,000,000 zaken, then loading and validating it.

Targets (issue 2): ``zgw sample --zaken 2000000`` finishes in at most 60 s on
2 cores with peak memory under 4 GB; loading plus validating that snapshot
takes at most 15 s.

Each step runs in a fresh child process that reports its own peak resident
memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at its end), so the
figure is that step's and not this script's. The child's CPU time (user + system) is printed next to the
wall time: on a machine shared with other work the wall time is inflated and
the CPU time shows what the step itself needed.

A baseline measured in the same run (the default 60,000-zaak sample) puts the
figures in proportion: the large build's time per zaak against the default's.

Usage: ``python benchmarks/bench_sample.py [--zaken 2000000] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATE_TARGET_S = 60.0
MEMORY_TARGET_GB = 4.0
LOAD_VALIDATE_TARGET_S = 15.0

_BUILD = """
import json, resource, sys, time
from zgwlib.data.sample import build_sample
t0 = time.perf_counter()
build_sample(sys.argv[1], zaken=int(sys.argv[2]))
print(json.dumps({"build": time.perf_counter() - t0}))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_LOAD_VALIDATE = """
import json, resource, sys, time
from pathlib import Path
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import validate
t0 = time.perf_counter()
snap = load_snapshot(sys.argv[1])
t1 = time.perf_counter()
# What `zgw validate` does after its one load (validate_snapshot would load a second copy).
problems = validate(snap.tables, files={n: str(Path(sys.argv[1]) / f"{n}.parquet") for n in snap.tables})
t2 = time.perf_counter()
errors = [p.describe() for p in problems if p.severity == "error"]
print(json.dumps({"load": t1 - t0, "validate": t2 - t1, "errors": errors[:5], "n_errors": len(errors),
                  "n_warnings": len(problems) - len(errors)}))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child(code: str, *args: str) -> tuple[float, float, float, str]:
    """Run ``code`` in a fresh interpreter: wall seconds, CPU seconds, its peak RSS in GB, stdout.

    The child prints its own ``ru_maxrss`` (kB on Linux) as the last line of its output.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child failed with exit code {proc.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = proc.stdout.strip().splitlines()
    return wall, cpu, int(lines[-1]) / 1024**2, "\n".join(lines[:-1])


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaken", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the large snapshot here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-sample-") as tmp:
        base_wall, base_cpu, _, text = _child(_BUILD, str(Path(tmp) / "baseline"), "60000")
        base = json.loads(text)["build"]
        print(f"baseline: default sample, 60,000 zaken: build {base:.1f} s "
              f"(process {base_wall:.1f} s wall incl. start-up and imports, {base_cpu:.1f} s CPU)")

        out = args.keep or Path(tmp) / "groot"
        wall, cpu, peak_gb, text = _child(_BUILD, str(out), str(args.zaken))
        build = json.loads(text)["build"]
        per_zaak = (build / args.zaken) / (base / 60_000)
        print(f"generate: {args.zaken:,} zaken: build {build:.1f} s; process {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"peak RSS {peak_gb:.2f} GB ({per_zaak:.2f}x the baseline's time per zaak)")
        print(f"  target {GENERATE_TARGET_S:.0f} s: {_verdict(wall <= GENERATE_TARGET_S)}; "
              f"target {MEMORY_TARGET_GB:.0f} GB: {_verdict(peak_gb < MEMORY_TARGET_GB)}")
        size = sum(f.stat().st_size for f in out.iterdir()) / 1024**2
        print(f"  snapshot on disk: {size:.0f} MB")

        lv_wall, lv_cpu, lv_peak, text = _child(_LOAD_VALIDATE, str(out))
        figures = json.loads(text)
        total = figures["load"] + figures["validate"]
        print(f"load + validate: {figures['load']:.1f} s + {figures['validate']:.1f} s = {total:.1f} s "
              f"(child: {lv_wall:.1f} s wall incl. imports, {lv_cpu:.1f} s CPU, peak RSS {lv_peak:.2f} GB); "
              f"{figures['n_errors']} errors, {figures['n_warnings']} warnings")
        for e in figures["errors"]:
            print(f"  error: {e}")
        print(f"  target {LOAD_VALIDATE_TARGET_S:.0f} s: {_verdict(total <= LOAD_VALIDATE_TARGET_S)}")
    print("note: wall times include waiting for the cores when other work runs on the machine; compare CPU time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
