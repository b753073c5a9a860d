"""Adoption per team: who works in the zaaksysteem, and how (VNG tips 6 and 7).

A team leader sees where a small-group training or a key-user as buddy helps:
how many of the team's staff are active, how many of its zaken were registered
afterwards (only after the work was done), and how many closed zaken have no
documents. Figures are per team; per person only when the caller passes
``toon_namen=True`` (the report parameter), because reports show no employee
names otherwise.

The per-zaak flags are those of the monthly report (:mod:`zgwlib.maandrapportage.signals`), and
so are "active" and "a zaak's team" (:mod:`zgwlib.maandrapportage.figures`):

* a zaak belongs to its behandelaar's team when that person works in the zaak's
  afdeling; zaken without behandelaar, or with one from another afdeling, form
  rows of their own;
* a medewerker is active in a period when they set a status in it, or are
  behandelaar of a zaak registered or closed in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zgwlib.core.errors import UsageError
from zgwlib.core.terms import GEEN_TEAM
from zgwlib.maandrapportage import facts

#: Row labels for zaken nobody was assigned to, and zaken whose behandelaar works in another afdeling.
GEEN_BEHANDELAAR = "(geen behandelaar)"
ANDERE_AFDELING = "(behandelaar van andere afdeling)"


def _op_codes(zaken: pd.DataFrame, other: pd.DataFrame, column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``zaken`` and ``other`` with zaak identificaties replaced by integer codes (unknown or empty: -1).

    The signal definitions look zaken up with ``Series.isin``, which on pandas'
    Arrow-backed text takes seconds per million rows; on integers it is
    instant and gives the same answer (identificatie is unique).
    """
    idx = pd.Index(zaken["identificatie"])
    codes = idx.get_indexer(other[column])
    return zaken.assign(identificatie=np.arange(len(zaken))), other.assign(**{column: codes})


def achteraf_geregistreerd(zaken: pd.DataFrame, statussen: pd.DataFrame) -> pd.Series:
    """Flag zaken registered afterwards (definition: :func:`zgwlib.maandrapportage.facts.achteraf_geregistreerd`).

    Closed on the day of registration with no status other than the first
    (volgnummer 1) and a final one.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``zaken``.
    """
    z, st = _op_codes(zaken, statussen[["zaak", "volgnummer", "is_eindstatus"]], "zaak")
    flags = facts.achteraf_geregistreerd(zaken, facts.heeft_tussenstatus(z, st))
    return pd.Series(flags, index=zaken.index)


def zonder_documenten(zaken: pd.DataFrame, documenten: pd.DataFrame, documentgegevens: bool = True) -> pd.Series:
    """Flag closed zaken without any document (:func:`zgwlib.maandrapportage.facts.heeft_documenten`).

    ``documentgegevens`` False (the source has no document data, ``meta.json``
    ``"documenten_bron": "geen"``): unknown for every closed zaak (``boolean``
    NA), False for the open ones.
    """
    gesloten = zaken["einddatum"].notna().to_numpy()
    if not documentgegevens:
        return pd.Series(pd.array(np.where(gesloten, None, False), dtype="boolean"), index=zaken.index)
    z, docs = _op_codes(zaken, documenten[["zaak"]], "zaak")
    return pd.Series(gesloten & ~facts.heeft_documenten(z, docs), index=zaken.index)


def _in_periode(dates: pd.Series, van: pd.Timestamp | None, tot: pd.Timestamp | None) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if van is not None:
        keep &= dates >= van
    if tot is not None:
        # tot is a day; a datetime on that day still counts.
        keep &= dates < pd.Timestamp(tot).normalize() + pd.Timedelta(days=1)
    return keep.fillna(False).astype(bool)


def _activiteit(
    zaken: pd.DataFrame, statussen: pd.DataFrame, van: pd.Timestamp | None, tot: pd.Timestamp | None
) -> pd.DataFrame:
    """Per medewerker with activity in the period: zaken handled, statussen set, last active day."""
    reg = zaken[_in_periode(zaken["registratiedatum"], van, tot)]
    eind = zaken[_in_periode(zaken["einddatum"], van, tot) & zaken["einddatum"].notna()]
    s = statussen[_in_periode(statussen["datum_status_gezet"], van, tot)]
    handled = pd.concat([
        reg[["identificatie", "behandelaar", "registratiedatum"]].rename(columns={"registratiedatum": "dag"}),
        eind[["identificatie", "behandelaar", "einddatum"]].rename(columns={"einddatum": "dag"}),
    ])
    a = handled.groupby("behandelaar").agg(zaken_behandeld=("identificatie", "nunique"), laatst_z=("dag", "max"))
    b = s.groupby("gezet_door").agg(statussen_gezet=("zaak", "size"), laatst_s=("datum_status_gezet", "max"))
    out = a.join(b, how="outer")
    out["laatste_activiteit"] = out[["laatst_z", "laatst_s"]].max(axis=1).dt.normalize()
    out = out.drop(columns=["laatst_z", "laatst_s"])
    out[["zaken_behandeld", "statussen_gezet"]] = out[["zaken_behandeld", "statussen_gezet"]].fillna(0).astype(int)
    out.index = out.index.astype("str")
    return out


def _zaak_teams(
    zaken: pd.DataFrame, statussen: pd.DataFrame, documenten: pd.DataFrame, medewerkers: pd.DataFrame,
    van: pd.Timestamp | None, tot: pd.Timestamp | None, documentgegevens: bool = True,
) -> pd.DataFrame:
    """Zaken registered or closed in the period with their team and flags."""
    in_reg = _in_periode(zaken["registratiedatum"], van, tot)
    in_eind = _in_periode(zaken["einddatum"], van, tot) & zaken["einddatum"].notna()
    z = zaken.loc[in_reg | in_eind, ["identificatie", "afdeling", "behandelaar", "einddatum", "registratiedatum"]]
    z = z.assign(geregistreerd=in_reg[in_reg | in_eind], gesloten=in_eind[in_reg | in_eind])
    part = zaken.loc[z.index]
    z["achteraf"] = achteraf_geregistreerd(part, statussen) & z["gesloten"]
    z["zonder_docs"] = zonder_documenten(part, documenten, documentgegevens) & z["gesloten"]
    info = medewerkers.set_index("identificatie")
    bh_afd = z["behandelaar"].map(info["afdeling"])
    bh_team = z["behandelaar"].map(info["team"].fillna(GEEN_TEAM))
    team = bh_team.where(bh_afd == z["afdeling"], ANDERE_AFDELING)
    z["team"] = team.where(z["behandelaar"].notna(), GEEN_BEHANDELAAR).astype("str")
    return z


def adoptie_per_team(
    zaken: pd.DataFrame,
    statussen: pd.DataFrame,
    documenten: pd.DataFrame,
    medewerkers: pd.DataFrame,
    van: pd.Timestamp | None = None,
    tot: pd.Timestamp | None = None,
    afdelingen: list[str] | None = None,
    *,
    documentgegevens: bool = True,
) -> pd.DataFrame:
    """Adoption figures per team.

    Parameters
    ----------
    zaken, statussen, documenten, medewerkers : DataFrame
        Contract tables.
    van, tot : Timestamp, optional
        Inclusive day bounds of the period (default: all data).
    afdelingen : list of str, optional
        Only these afdelingen.
    documentgegevens : bool
        False when the snapshot has no document data: ``zonder_documenten`` and
        ``aandeel_zonder_documenten`` are then unknown (NA, NaN), not 0.

    Returns
    -------
    DataFrame
        ``afdeling``, ``team``, ``medewerkers``, ``actief``, ``aandeel_actief``,
        ``zaken`` (registered in the period), ``gesloten`` (closed in the period),
        ``achteraf_geregistreerd``, ``aandeel_achteraf``, ``zonder_documenten``,
        ``aandeel_zonder_documenten`` (both of the closed zaken); sorted by
        afdeling and team. No names.
    """
    mw = medewerkers[["identificatie", "afdeling", "team"]].copy()
    mw["team"] = mw["team"].fillna(GEEN_TEAM)
    act = _activiteit(zaken, statussen, van, tot)
    mw["actief"] = mw["identificatie"].isin(act.index)
    staff = mw.groupby(["afdeling", "team"]).agg(medewerkers=("identificatie", "size"), actief=("actief", "sum"))

    z = _zaak_teams(zaken, statussen, documenten, mw, van, tot, documentgegevens)
    g = z.groupby(["afdeling", "team"])
    work = pd.DataFrame({"zaken": g["geregistreerd"].sum(), "gesloten": g["gesloten"].sum(),
                         "achteraf_geregistreerd": g["achteraf"].sum(), "zonder_documenten": g["zonder_docs"].sum()})

    out = staff.join(work, how="outer").reset_index()
    if afdelingen is not None:
        out = out[out["afdeling"].isin(list(afdelingen))]
    counts = ["medewerkers", "actief", "zaken", "gesloten", "achteraf_geregistreerd", "zonder_documenten"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["aandeel_actief"] = out["actief"] / out["medewerkers"].replace(0, np.nan)
    out["aandeel_achteraf"] = out["achteraf_geregistreerd"] / out["gesloten"].replace(0, np.nan)
    out["aandeel_zonder_documenten"] = out["zonder_documenten"] / out["gesloten"].replace(0, np.nan)
    if not documentgegevens:  # a sum of unknowns is unknown, not 0
        out["zonder_documenten"] = pd.array(np.full(len(out), None), dtype="Int64")
        out["aandeel_zonder_documenten"] = np.nan
    out["afdeling"] = out["afdeling"].astype("str")
    out["team"] = out["team"].astype("str")
    cols = ["afdeling", "team", "medewerkers", "actief", "aandeel_actief", "zaken", "gesloten",
            "achteraf_geregistreerd", "aandeel_achteraf", "zonder_documenten", "aandeel_zonder_documenten"]
    return out[cols].sort_values(["afdeling", "team"], kind="stable").reset_index(drop=True)


def adoptie_per_medewerker(
    zaken: pd.DataFrame,
    statussen: pd.DataFrame,
    documenten: pd.DataFrame,
    medewerkers: pd.DataFrame,
    van: pd.Timestamp | None = None,
    tot: pd.Timestamp | None = None,
    afdelingen: list[str] | None = None,
    *,
    toon_namen: bool = False,
    documentgegevens: bool = True,
) -> pd.DataFrame:
    """The same figures per person, with names. Only with ``toon_namen=True``.

    A person's zaken are the zaken they are behandelaar of (registered, or
    closed, in the period), whatever their afdeling.

    Raises
    ------
    UsageError
        When ``toon_namen`` is not true: reports show no employee names unless the
        organisation chose to (parameter ``toon_namen``).

    Returns
    -------
    DataFrame
        ``identificatie``, ``naam``, ``afdeling``, ``team``, ``actief``,
        ``laatste_activiteit``, ``zaken``, ``gesloten``, ``achteraf_geregistreerd``,
        ``zonder_documenten`` (NA without document data, see :func:`adoptie_per_team`);
        within each team the inactive first, then by fewest zaken.
    """
    if toon_namen is not True:
        raise UsageError("figures per medewerker show names; set toon_namen = True to allow that.")
    mw = medewerkers[["identificatie", "naam", "afdeling", "team"]].copy()
    mw["team"] = mw["team"].fillna(GEEN_TEAM)
    if afdelingen is not None:
        mw = mw[mw["afdeling"].isin(list(afdelingen))]
    act = _activiteit(zaken, statussen, van, tot)
    z = _zaak_teams(zaken, statussen, documenten, medewerkers, van, tot, documentgegevens)
    g = z[z["behandelaar"].notna()].groupby("behandelaar")
    work = pd.DataFrame({"zaken": g["geregistreerd"].sum(), "gesloten": g["gesloten"].sum(),
                         "achteraf_geregistreerd": g["achteraf"].sum(), "zonder_documenten": g["zonder_docs"].sum()})
    work.index = work.index.astype("str")
    out = mw.join(act[["laatste_activiteit"]], on="identificatie").join(work, on="identificatie")
    out["actief"] = out["identificatie"].isin(act.index)
    counts = ["zaken", "gesloten", "achteraf_geregistreerd", "zonder_documenten"]
    out[counts] = out[counts].fillna(0).astype(int)
    if not documentgegevens:
        out["zonder_documenten"] = pd.array(np.full(len(out), None), dtype="Int64")
    cols = ["identificatie", "naam", "afdeling", "team", "actief", "laatste_activiteit"] + counts
    return out[cols].sort_values(["afdeling", "team", "actief", "zaken", "identificatie"],
                                 kind="stable").reset_index(drop=True)
