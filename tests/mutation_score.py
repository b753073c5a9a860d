"""Print the share of mutants killed after ``mutmut run`` (``make mutants``; docs/testing.md).

mutmut 3 keeps each mutated file's results in ``mutants/<path>.meta`` (JSON, ``exit_code_by_key``: mutant name ->
the exit code of the tests run against it). This script groups them the way issue 17 asks for a score: the
monthly report's figures, signals and champion, and the cleanup's forecast (``prognose`` and the functions it
calls for pace and verdict); the rest of the cleanup module is shown apart, for information.

Killed: the tests failed (exit code 1 or 3) or ran out of time (the mutant looped). Survived: they passed.
No tests: no selected test reaches the mutated function. Not checked: the run was stopped before it.

Usage: ``python tests/mutation_score.py [--survivors]`` from the project's folder.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

MUTANTS = Path("mutants")

#: Score groups: (label, mutated file, the functions that count; None: all of them).
GROUPS = (
    ("maandrapportage figures", "zgwlib/maandrapportage/figures.py", None),
    ("maandrapportage signals", "zgwlib/maandrapportage/signals.py", None),
    ("maandrapportage champion", "zgwlib/maandrapportage/champion.py", None),
    ("opschoonactie forecast", "zgwlib/opschoonactie/figures.py", {"prognose", "_tempo", "_oordeel", "hoeveel"}),
)
#: Shown for information only: the cleanup module outside the forecast.
OTHER = ("opschoonactie other", "zgwlib/opschoonactie/figures.py")

KILLED, SURVIVED, NO_TESTS, NOT_CHECKED, OTHER_STATUS = "killed", "survived", "no tests", "not checked", "other"


def status(code: int | None) -> str:
    """mutmut's verdict of an exit code (``mutmut.stats.status_by_exit_code``), timeouts counted as killed."""
    if code in (1, 3, 36, 24, -24, 152, 255):
        return KILLED
    if code == 0:
        return SURVIVED
    if code in (5, 33):
        return NO_TESTS
    if code is None:
        return NOT_CHECKED
    return OTHER_STATUS


def function_of(mutant: str) -> str:
    """``zgwlib.x.figures.x_prognose__mutmut_12`` -> ``prognose``; a method ``xǁKlasseǁnaam__mutmut_3`` -> ``naam``."""
    name = mutant.rsplit(".", 1)[-1].split("__mutmut_")[0]
    if "ǁ" in name:
        return name.split("ǁ")[-1]
    return name[2:] if name.startswith("x_") else name


def results(path: str) -> dict[str, int | None]:
    meta = MUTANTS / (path + ".meta")
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})


def main(argv: list[str]) -> int:
    show = "--survivors" in argv
    rows = []
    survivors: list[str] = []
    for label, path, functions in (*GROUPS, (*OTHER, None)):
        found = results(path)
        if label == OTHER[0]:
            keep = {k: v for k, v in found.items() if function_of(k) not in GROUPS[-1][2]}
        else:
            keep = {k: v for k, v in found.items() if functions is None or function_of(k) in functions}
        counts = Counter(status(v) for v in keep.values())
        checked = sum(counts.values()) - counts[NOT_CHECKED]
        share = counts[KILLED] / checked if checked else float("nan")
        rows.append((label, len(keep), checked, counts, share))
        survivors += sorted(k for k, v in keep.items() if status(v) in (SURVIVED, NO_TESTS))
    if not any(r[1] for r in rows):
        print("No mutmut results in mutants/: run `make mutants` (or `mutmut run`) first.", file=sys.stderr)
        return 1
    print(f"{'group':28} {'mutants':>8} {'checked':>8} {'killed':>7} {'survived':>9} {'no tests':>9} {'killed %':>9}")
    for label, total, checked, c, share in rows:
        print(f"{label:28} {total:8} {checked:8} {c[KILLED]:7} {c[SURVIVED]:9} {c[NO_TESTS]:9} "
              f"{100 * share:8.1f}%")
    if show:
        print("\nSurvivors (mutmut show <name> prints the change):")
        print("\n".join(f"  {s}" for s in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
