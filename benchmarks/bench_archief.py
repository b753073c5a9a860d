"""Benchmark: the archive report's complete-dossier check on a large sample, before and after vectorising it.

``zgwlib.archief.figures.ontbrekend`` used to walk the closed zaken one by one in Python (a set of document types
per zaak, a list comprehension per zaak); it now finds the missing (zaak, required type) pairs with numpy in one
pass. The Python version is kept below, verbatim, as the "before": the benchmark times both on the same data,
checks they give exactly the same table, and prints the wall time of each, for the organisation and for the
largest department, with and without the table of required document types (without it the check falls back to
"closed without any document"). ``volledigheid`` (the per-zaaktype table the report shows) is timed after too.

Make the sample first (the brief's size)::

    .venv/bin/zgw sample --zaken 500000 --out /tmp/s500k

Usage: ``python benchmarks/bench_archief.py [SNAPSHOT] [--peildatum YYYY-MM-DD] [--herhaal 3]``
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zgwlib.archief import figures  # noqa: E402
from zgwlib.core.terms import ORGANISATIE  # noqa: E402


def ontbrekend_loop(archief: figures.Archief, peildatum: str | pd.Timestamp,
                    afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The complete-dossier check as it was before (one Python iteration per closed zaak)."""
    z = archief.selectie(afdeling)
    z = z[figures.gesloten_op(z, peildatum)]
    docs = archief.documenten
    docs = docs[docs["zaak"].notna().to_numpy()]
    rows = []
    if not figures.heeft_eisen(archief):
        met = set(docs["zaak"].astype("str"))
        for r in z.itertuples(index=False):
            if str(r.identificatie) not in met:
                rows.append((str(r.identificatie), str(r.afdeling), str(r.zaaktype), ["(geen document)"]))
    else:
        eisen = figures.verplichte_typen(archief.zaaktype_informatieobjecttypen)
        z = z[z["zaaktype"].astype("str").isin(list(eisen)).to_numpy()]
        sel = docs[docs["zaak"].astype("str").isin(z["identificatie"].astype("str")).to_numpy()]
        heeft = sel.groupby(sel["zaak"].astype("str"))["informatieobjecttype"].agg(lambda s: set(s.astype("str")))
        for r in z.itertuples(index=False):
            zid = str(r.identificatie)
            mist = [t for t in eisen[str(r.zaaktype)] if t not in heeft.get(zid, set())]
            if mist:
                rows.append((zid, str(r.afdeling), str(r.zaaktype), mist))
    return pd.DataFrame(rows, columns=["identificatie", "afdeling", "zaaktype", "ontbreekt"])


def best_of(fn: Callable[[], Any], herhaal: int) -> tuple[Any, float]:
    best, out = float("inf"), None
    for _ in range(herhaal):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("snapshot", nargs="?", default="/tmp/s500k")
    p.add_argument("--peildatum", default=None, help="default: the last day of the data's last complete month")
    p.add_argument("--herhaal", type=int, default=3, help="runs per measurement; the fastest counts")
    args = p.parse_args(argv)

    t = time.perf_counter()
    archief = figures.load(args.snapshot)
    print(f"{args.snapshot}: {len(archief.zaken):,} zaken, {len(archief.documenten):,} documenten, "
          f"{len(archief.zaaktype_informatieobjecttypen)} required-type rows; read in {time.perf_counter() - t:.1f} s")
    peil = args.peildatum or str(figures.maand_einde(figures.report_periode(archief, None)).date())
    grootste = archief.zaken["afdeling"].astype("str").value_counts().index[0]
    zonder = dataclasses.replace(archief,
                                 zaaktype_informatieobjecttypen=archief.zaaktype_informatieobjecttypen.iloc[0:0])
    print(f"peildatum {peil}; best of {args.herhaal}\n")
    print(f"{'check':<44} {'rows':>8} {'before':>9} {'after':>9} {'speed-up':>9}")
    for naam, a in (("required types", archief), ("without required types", zonder)):
        for afdeling in (ORGANISATIE, grootste):
            oud, t_oud = best_of(lambda: ontbrekend_loop(a, peil, afdeling), args.herhaal)  # noqa: B023
            nieuw, t_nieuw = best_of(lambda: figures.ontbrekend(a, peil, afdeling), args.herhaal)  # noqa: B023
            pd.testing.assert_frame_equal(nieuw, oud)  # the same table, row for row
            print(f"{naam + ', ' + afdeling:<44} {len(nieuw):>8,} {t_oud:>8.2f}s {t_nieuw:>8.2f}s "
                  f"{t_oud / t_nieuw:>8.1f}x")
    _, t_v = best_of(lambda: figures.volledigheid(archief, peil), args.herhaal)
    print(f"\nvolledigheid per zaaktype (organisation, after): {t_v:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
