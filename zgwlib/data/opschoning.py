"""The cleanup ledger: what was inventoried and what was processed, per afdeling and unit.

Definitions on the contract's ``opschoning`` and ``opschoning_doelen`` tables
that both the validation (over-reporting is a warning) and the cleanup report
(:mod:`zgwlib.opschoonactie.figures`) use, so they agree by construction.
Definitions: ``docs/metrics.md``, section *Opschoonactie*.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.data import contract

INVENTARISATIE = "inventarisatie"
#: Actions that take paper away, in the order reports list them.
VERWERKT = tuple(a for a in contract.OPSCHONING_ACTIE if a != INVENTARISATIE)
EENHEDEN = contract.OPSCHONING_EENHEID
METERS, DOSSIERS = "strekkende_meters", "dossiers"


def up_to(opschoning: pd.DataFrame, tot: pd.Timestamp | None) -> pd.DataFrame:
    """Registrations up to and including day ``tot``."""
    if tot is None:
        return opschoning
    return opschoning[opschoning["datum"] < pd.Timestamp(tot).normalize() + pd.Timedelta(days=1)]


def startvoorraad(
    opschoning: pd.DataFrame, doelen: pd.DataFrame, tot: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Starting amount and target date per afdeling.

    Returns
    -------
    DataFrame
        Index ``afdeling`` (every afdeling with a target or a registration, sorted);
        columns ``strekkende_meters``, ``dossiers`` (float, NaN = unknown),
        ``bron_strekkende_meters``, ``bron_dossiers`` (``"doel"``,
        ``"inventarisatie"`` or missing), ``streefdatum``.
    """
    reg = up_to(opschoning, tot)
    inv = (
        reg[reg["actie"] == INVENTARISATIE]
        .groupby(["afdeling", "eenheid"])["hoeveelheid"].sum()
        .unstack("eenheid")
        .reindex(columns=list(EENHEDEN))
    )
    afdelingen = sorted(set(doelen["afdeling"].dropna()) | set(reg["afdeling"].dropna()))
    d = doelen.set_index("afdeling").reindex(afdelingen)
    inv = inv.reindex(afdelingen)
    out = pd.DataFrame(index=pd.Index(afdelingen, name="afdeling", dtype="str"))
    for e in EENHEDEN:
        doel = d[e].astype("float64")
        out[e] = doel.where(doel.notna(), inv[e].astype("float64"))
        bron = pd.Series(pd.NA, index=out.index, dtype="str")
        bron[inv[e].notna()] = INVENTARISATIE
        bron[doel.notna()] = "doel"
        out[f"bron_{e}"] = bron
    out["streefdatum"] = d["streefdatum"].astype("datetime64[us]")
    return out


def voortgang(opschoning: pd.DataFrame, doelen: pd.DataFrame, tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """Done and to do per afdeling and eenheid, split by action.

    Parameters
    ----------
    opschoning, doelen : DataFrame
        Contract tables ``opschoning`` and ``opschoning_doelen``.
    tot : Timestamp, optional
        Peildatum: registrations after this day are ignored.

    Returns
    -------
    DataFrame
        One row per afdeling and eenheid that has a startvoorraad or anything
        processed: ``afdeling``, ``eenheid``, ``startvoorraad`` (NaN =
        unknown), ``bron``, one column per verwerkt action, ``gedaan``,
        ``te_doen``, ``overmeld``, ``aandeel_gedaan`` (NaN without a
        startvoorraad; not clipped at 1).
    """
    reg = up_to(opschoning, tot)
    start = startvoorraad(opschoning, doelen, tot)
    done = (
        reg[reg["actie"].isin(VERWERKT)]
        .groupby(["afdeling", "eenheid", "actie"])["hoeveelheid"].sum()
        .unstack("actie")
        .reindex(columns=list(VERWERKT))
    )
    rows = []
    for afd in start.index:
        for e in EENHEDEN:
            sv = float(start.at[afd, e])
            per_actie = done.loc[(afd, e)] if (afd, e) in done.index else pd.Series(np.nan, index=list(VERWERKT))
            if math.isnan(sv) and per_actie.isna().all():
                continue
            row: dict[str, Any] = {"afdeling": afd, "eenheid": e, "startvoorraad": sv,
                                   "bron": start.at[afd, f"bron_{e}"]}
            row.update({a: float(np.nan_to_num(per_actie[a])) for a in VERWERKT})
            rows.append(row)
    cols = ["afdeling", "eenheid", "startvoorraad", "bron", *VERWERKT]
    out = pd.DataFrame(rows, columns=cols)
    out["gedaan"] = out[list(VERWERKT)].sum(axis=1).astype("float64")
    verschil = out["startvoorraad"] - out["gedaan"]
    out["te_doen"] = verschil.clip(lower=0)
    out["overmeld"] = (-verschil).clip(lower=0)
    out["aandeel_gedaan"] = out["gedaan"] / out["startvoorraad"].where(out["startvoorraad"] > 0)
    out = out.astype({"afdeling": "str", "eenheid": "str", "bron": "str"})
    return out.reset_index(drop=True)


def overmeldingen(opschoning: pd.DataFrame, doelen: pd.DataFrame, tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """Rows of :func:`voortgang` where more was processed than inventoried (for a warning)."""
    v = voortgang(opschoning, doelen, tot)
    return v[v["overmeld"] > 0].reset_index(drop=True)
