"""What the benchmark scripts share: CPU and wall time of one call, and a large sample built once and kept.

Not a benchmark itself (``make bench`` runs ``bench_*.py``); each script imports it from its own folder.
"""

from __future__ import annotations

import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zgwlib.data import contract
from zgwlib.data.sources import cache_dir


def cpu_seconds() -> float:
    """CPU seconds this process has used (user and system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``fn``: its result, wall seconds and CPU seconds."""
    c, t = cpu_seconds(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t, cpu_seconds() - c


def cached_sample(zaken: int, seed: int | None, cache: Path | None) -> Path:
    """A sample of ``zaken`` zaken, built once into ``cache`` (default the kit's cache folder) and reused."""
    from zgwlib.data.sample import DEFAULT_SEED, build_sample

    seed = DEFAULT_SEED if seed is None else seed
    folder = cache or cache_dir() / "bench" / f"voorbeeld-{zaken}-seed{seed}-v{contract.CONTRACT_VERSION}"
    # A table the contract gained without a new version (the sample makes every table) means: built by older code.
    stale = cache is None and (folder / "meta.json").exists() and any(
        not (folder / f"{t}.parquet").exists() for t in contract.TABLES)
    if stale:
        print(f"the kept sample in {folder} lacks tables the sample has now: building it again", flush=True)
        shutil.rmtree(folder)  # our own cache folder, made by this function
    if not (folder / "meta.json").exists():
        print(f"building the sample ({zaken:,} zaken) in {folder} ...", flush=True)
        _, wall, _ = timed(lambda: build_sample(folder, zaken=zaken, seed=seed))
        print(f"  built in {wall:.1f} s", flush=True)
    return folder
