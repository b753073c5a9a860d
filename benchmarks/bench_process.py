"""Benchmark: the exploration notebook's computations on one zaaktype with 500,000 zaken.

Builds a synthetic snapshot (one large zaaktype with a known bottleneck, skips,
steps back and afterwards registrations; a few small zaaktypes; staff in
teams; documents), then times

1. every computation the notebook ``notebooks/verkenning.ipynb`` makes, in
   process (load, selection, process analysis, lead time, teams, catalogue,
   both charts), against the target of 30 seconds; and
2. the notebook itself end to end under papermill (includes starting a kernel
   and showing every table), against the same target.

A baseline measured in the same run (reading ``statussen`` and sorting it by
zaak and time with plain pandas) puts the figures in proportion to the machine.

Usage: ``python benchmarks/bench_process.py [--zaken 500000] [--no-notebook]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET_S = 30.0
ROOT = Path(__file__).resolve().parents[1]

# Path types of the large zaaktype: statustype positions (0 Geregistreerd, 1 Ontvangen, 2 In behandeling,
# 3 Advies ingewonnen, 4 Afgehandeld) and their probability.
STATUSTYPEN = ["Geregistreerd", "Ontvangen", "In behandeling", "Advies ingewonnen", "Afgehandeld"]
PADEN = [
    ((0, 1, 2, 4), 0.55),
    ((0, 1, 2, 3, 4), 0.22),
    ((0, 2, 4), 0.08),  # skips Ontvangen
    ((0, 1, 2, 1, 2, 4), 0.04),  # goes back
    ((0, 4), 0.03),  # registered afterwards
    ((0,), 0.02),  # open
    ((0, 1), 0.03),  # open
    ((0, 1, 2), 0.03),  # open
]
# Mean wait in each status (days): In behandeling is the bottleneck.
WACHT = np.array([0.5, 2.0, 15.0, 6.0, 0.0])


def synthetic_tables(n: int, seed: int = 8) -> dict[str, pd.DataFrame]:
    """Contract tables with ``n`` zaken of zaaktype ZT-GROOT plus a few hundred of three small ones."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-11-01T00:00:00", "us")
    day = np.timedelta64(86_400_000_000, "us")

    # Staff: VTH in three teams, Juridische Zaken in one; 2% never active.
    n_mw = 400
    mw_ids = np.array([f"MDW-{i:04d}" for i in range(1, n_mw + 1)], dtype=object)
    mw_afd = np.where(np.arange(n_mw) < 300, "Vergunningverlening Toezicht en Handhaving", "Juridische Zaken")
    mw_team = np.where(np.arange(n_mw) < 300, np.array(["Team Noord", "Team Zuid", "Team Bouw"])[np.arange(n_mw) % 3],
                       "Team Bezwaar")
    medewerkers = pd.DataFrame({
        "identificatie": mw_ids, "naam": [f"Medewerker {i}" for i in range(n_mw)], "afdeling": mw_afd,
        "team": mw_team, "actief_sinds": pd.to_datetime("2025-03-01"),
    })

    n_small = 600
    total = n + n_small
    zt = np.r_[np.full(n, "ZT-GROOT", dtype=object), rng.choice(["ZT-BZW", "ZT-KLA", "ZT-OUD"], n_small)]
    afd = np.where(zt == "ZT-GROOT", "Vergunningverlening Toezicht en Handhaving", "Juridische Zaken")
    # Weekdays over 24 months.
    reg_day = rng.integers(0, 730, total)
    reg_day = reg_day - (((reg_day + 4) % 7 >= 5) * (((reg_day + 4) % 7) - 4))  # shift weekend days back to Friday
    reg = start + reg_day * day
    behandelaar = np.where(afd == "Juridische Zaken", mw_ids[rng.integers(300, 392, total)],
                           mw_ids[rng.integers(0, 292, total)])
    ids = np.array([f"ZAAK-{2024 + d // 366}-{i:07d}" for i, d in enumerate(reg_day)], dtype=object)

    kinds = rng.choice(len(PADEN), size=total, p=[p for _, p in PADEN])
    frames, eind = [], np.full(total, np.datetime64("NaT"), dtype="datetime64[us]")
    for kind, (pad, _) in enumerate(PADEN):
        idx = np.flatnonzero(kinds == kind)
        if not len(idx):
            continue
        steps = np.array(pad)
        waits = rng.exponential(WACHT[steps[:-1]], size=(len(idx), len(steps) - 1)) if len(steps) > 1 else np.zeros(
            (len(idx), 0))
        if pad == (0, 4):
            waits[:] = 0.001  # the same day
        offs = np.c_[np.zeros(len(idx)), np.cumsum(waits, axis=1)]
        ts = reg[idx, None] + np.timedelta64(9, "h") + (offs * 86_400e6).astype("timedelta64[us]")
        if steps[-1] == 4:
            eind[idx] = ts[:, -1].astype("datetime64[D]").astype("datetime64[us]")
        frames.append(pd.DataFrame({
            "zaak": np.repeat(ids[idx], len(steps)),
            "statustype": np.tile(np.array(STATUSTYPEN, dtype=object)[steps], len(idx)),
            "volgnummer": np.tile(steps + 1, len(idx)),
            "datum_status_gezet": ts.reshape(-1),
            "is_eindstatus": np.tile(steps == 4, len(idx)),
            "gezet_door": np.repeat(behandelaar[idx], len(steps)),
        }))
    statussen = pd.concat(frames, ignore_index=True)
    # Data ends 2026-10-31: drop what lies later, so the last zaken are still open.
    end = np.datetime64("2026-10-31T23:59:59", "us")
    statussen = statussen[statussen["datum_status_gezet"] <= end]
    eind[eind > end] = np.datetime64("NaT")

    zaken = pd.DataFrame({
        "identificatie": ids, "zaaktype": zt, "afdeling": afd, "behandelaar": behandelaar,
        "registratiedatum": reg.astype("datetime64[D]").astype("datetime64[us]"),
        "startdatum": reg.astype("datetime64[D]").astype("datetime64[us]"),
        "einddatum": eind,
        "einddatum_gepland": (reg + 28 * day).astype("datetime64[D]").astype("datetime64[us]"),
        "uiterlijke_einddatum_afdoening": (reg + 56 * day).astype("datetime64[D]").astype("datetime64[us]"),
        "resultaat": np.where(rng.random(total) < 0.97, "Verleend", None),
        "archiefnominatie": "vernietigen", "archiefstatus": "nog_te_archiveren",
        "archiefactiedatum": pd.NaT, "vertrouwelijkheidaanduiding": "intern",
        "communicatiekanaal": rng.choice(["e-formulier", "balie", "e-mail", "post"], total),
        "omschrijving": "Aanvraag",
    })
    zaken.loc[zaken["einddatum"].isna(), "resultaat"] = None
    zaken = zaken[zaken["zaaktype"] != "ZT-OUD"]  # a catalogue zaaktype without zaken

    # Documents: two per closed zaak (Aanvraag, Besluit), 2% of closed zaken none; some letters outside zaken.
    closed = zaken.loc[zaken["einddatum"].notna() & (rng.random(len(zaken)) > 0.02)]
    nd = len(closed)
    documenten = pd.DataFrame({
        "identificatie": [f"DOC-{i:08d}" for i in range(2 * nd + 1000)],
        "zaak": np.r_[np.repeat(closed["identificatie"].to_numpy(), 2), np.full(1000, None)],
        "informatieobjecttype": np.r_[np.tile(["Aanvraag", "Besluit"], nd), np.full(1000, "Brief")],
        "creatiedatum": np.r_[np.repeat(closed["registratiedatum"].to_numpy(), 2),
                              np.full(1000, np.datetime64("2025-01-15", "us"))],
        "status": "definitief",
    })
    zaaktypen = pd.DataFrame({
        "identificatie": ["ZT-GROOT", "ZT-BZW", "ZT-KLA", "ZT-OUD"],
        "omschrijving": ["Aanvraag omgevingsvergunning (regulier)", "Bezwaarschrift behandelen",
                         "Klacht behandelen", "Oude ontheffing"],
        "afdeling": ["Vergunningverlening Toezicht en Handhaving"] + ["Juridische Zaken"] * 3,
        "doorlooptijd_dagen": [56, 42, 42, 56], "servicenorm_dagen": [28, None, None, None],
        "verlenging_mogelijk": [True, True, True, False], "verlengingstermijn_dagen": [42, 42, 28, None],
    })
    return {"zaken": zaken, "statussen": statussen, "documenten": documenten, "zaaktypen": zaaktypen,
            "medewerkers": medewerkers}


def notebook_computations(data: Path) -> dict[str, float]:
    """The notebook's computations (same calls, same order), timed per step."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from zgwlib.verkenning import catalogue
    from zgwlib import load_snapshot
    from zgwlib.verkenning import process
    from zgwlib.verkenning import display as process_display
    from zgwlib.verkenning import teams

    times: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        times[name] = now - t
        t = now

    snap = load_snapshot(data)
    lap("load snapshot")
    sel = process.select(snap.zaken, snap.zaaktypen, None)
    lap("select zaaktype")
    analyse = process.analyse(snap.statussen, sel.zaken)
    lap("process analysis (log, graph, waits, variants, skips, back)")
    fig, ax = plt.subplots(figsize=(15, 5.5))
    process_display.draw_processchema(analyse, ax=ax)
    fig.savefig(os.devnull, format="png")
    plt.close(fig)
    lap("flow chart")
    per_maand = process.doorlooptijd_per_maand(sel.zaken)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    process_display.draw_doorlooptijd(per_maand, sel.zaaktype, ax=ax)
    fig.savefig(os.devnull, format="png")
    plt.close(fig)
    lap("lead time per month + chart")
    afdelingen = sorted(sel.zaken["afdeling"].unique())
    teams.adoptie_per_team(snap.zaken, snap.statussen, snap.documenten, snap.medewerkers, sel.van, sel.tot,
                           afdelingen=afdelingen)
    lap("adoption per team")
    peil = catalogue.laatste_dag(snap.zaken, snap.meta)
    catalogue.zaaktypen_zonder_zaken(snap.zaken, snap.zaaktypen, peil, 6)
    catalogue.documenttypen(snap.documenten, peil, 6)
    catalogue.zaaktypen_onvolledig(snap.zaken, snap.documenten, snap.zaaktypen, peil, 6)
    lap("catalogue use")
    kn = analyse.knelpunt
    assert kn is not None and kn["statustype"] == "In behandeling", kn  # the planted bottleneck
    sk = analyse.overgeslagen.set_index("statustype")
    assert sk.loc["Ontvangen", "overgeslagen"] > sk.loc["Ontvangen", "zonder_tussenstatus"]
    return times


def baseline(data: Path) -> float:
    """Plain pandas: read statussen and sort it by zaak and time."""
    t = time.perf_counter()
    st = pd.read_parquet(data / "statussen.parquet")
    st.sort_values(["zaak", "datum_status_gezet"])
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--zaken", type=int, default=500_000)
    ap.add_argument("--no-notebook", action="store_true", help="skip the end-to-end papermill run")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from zgwlib.data.snapshot import build_meta, write_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        tables = synthetic_tables(args.zaken)
        data = write_snapshot(tables, Path(tmp) / "groot", build_meta(tables, "Gemeente Benchmark", "benchmark"))
        print(f"synthetic snapshot: {len(tables['zaken']):,} zaken, {len(tables['statussen']):,} statussen, "
              f"{len(tables['documenten']):,} documenten (built in {time.perf_counter() - t:.1f} s)")

        base = baseline(data)
        times = notebook_computations(data)
        total = sum(times.values())
        for name, secs in times.items():
            print(f"  {name:<60} {secs:6.2f} s")
        print(f"baseline (read statussen + sort_values by zaak, time): {base:.2f} s")
        print(f"notebook computations, zaaktype with {args.zaken:,} zaken: {total:.2f} s "
              f"({total / base:.1f}x baseline; target <= {TARGET_S:.0f} s) -> {'PASS' if total <= TARGET_S else 'FAIL'}")
        ok = total <= TARGET_S

        if not args.no_notebook:
            import papermill

            os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
            t = time.perf_counter()
            papermill.execute_notebook(
                str(ROOT / "notebooks" / "verkenning.ipynb"), str(Path(tmp) / "out.ipynb"),
                parameters={"data": str(data)}, kernel_name="python3", progress_bar=False, cwd=str(ROOT),
            )
            e2e = time.perf_counter() - t
            print(f"notebook end to end under papermill (incl. kernel start): {e2e:.2f} s "
                  f"({e2e / base:.1f}x baseline; target <= {TARGET_S:.0f} s) -> {'PASS' if e2e <= TARGET_S else 'FAIL'}")
            ok = ok and e2e <= TARGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
