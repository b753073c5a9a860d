"""Adoption per team: who works in the zaaksysteem, and how (VNG tips 6 and 7).

A team leader sees where a small-group training or a key-user as buddy helps:
how many of the team's staff are active, how many of its zaken were registered
afterwards (only after the work was done), and how many closed zaken have no
documents. Figures are per team; per person only when the caller passes
``toon_namen=True`` (the report parameter), because reports show no employee
names otherwise.

A zaak belongs to the team of its behandelaar (``medewerkers.team``); zaken
without a behandelaar form a row of their own per afdeling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import UsageError
from .process import isin

#: Row label for zaken nobody was assigned to, and for staff without a team.
GEEN_BEHANDELAAR = "(geen behandelaar)"
GEEN_TEAM = "(geen team)"


def achteraf_geregistreerd(zaken: pd.DataFrame, statussen: pd.DataFrame) -> pd.Series:
    """Flag zaken registered afterwards: closed on the day of registration with no intermediate status.

    That is: ``einddatum == registratiedatum`` and the zaak has no status other
    than its first (volgnummer 1) and a final one (``is_eindstatus``).

    Returns
    -------
    pandas.Series of bool
        Aligned with ``zaken``.
    """
    tussen = statussen["volgnummer"].ne(1) & ~statussen["is_eindstatus"].fillna(False).astype(bool)
    met_tussenstatus = isin(zaken["identificatie"], statussen.loc[tussen.fillna(True), "zaak"])
    zelfde_dag = (zaken["einddatum"] == zaken["registratiedatum"]).fillna(False).astype(bool)
    return zelfde_dag & ~met_tussenstatus


def zonder_documenten(zaken: pd.DataFrame, documenten: pd.DataFrame) -> pd.Series:
    """Flag closed zaken without any document (no row in ``documenten`` for them)."""
    return zaken["einddatum"].notna() & ~isin(zaken["identificatie"], documenten["zaak"])


def _in_periode(dates: pd.Series, van: pd.Timestamp | None, tot: pd.Timestamp | None) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if van is not None:
        keep &= dates >= van
    if tot is not None:
        # tot is a day; a datetime on that day still counts.
        keep &= dates < pd.Timestamp(tot).normalize() + pd.Timedelta(days=1)
    return keep


def _activiteit(
    zaken: pd.DataFrame, statussen: pd.DataFrame, van: pd.Timestamp | None, tot: pd.Timestamp | None
) -> pd.DataFrame:
    """Per medewerker: zaken handled (registered in the period), statussen set in the period, last activity."""
    z = zaken[_in_periode(zaken["registratiedatum"], van, tot)]
    s = statussen[_in_periode(statussen["datum_status_gezet"], van, tot)]
    a = z.groupby("behandelaar").agg(zaken_behandeld=("identificatie", "size"),
                                     laatst_z=("registratiedatum", "max"))
    b = s.groupby("gezet_door").agg(statussen_gezet=("zaak", "size"), laatst_s=("datum_status_gezet", "max"))
    out = a.join(b, how="outer")
    out["laatste_activiteit"] = out[["laatst_z", "laatst_s"]].max(axis=1).dt.normalize()
    out = out.drop(columns=["laatst_z", "laatst_s"])
    out[["zaken_behandeld", "statussen_gezet"]] = out[["zaken_behandeld", "statussen_gezet"]].fillna(0).astype(int)
    out.index = out.index.astype("str")
    return out


def _zaak_flags(zaken: pd.DataFrame, statussen: pd.DataFrame, documenten: pd.DataFrame) -> pd.DataFrame:
    z = zaken[["identificatie", "afdeling", "behandelaar", "registratiedatum", "einddatum"]].copy()
    z["gesloten"] = z["einddatum"].notna()
    z["achteraf"] = achteraf_geregistreerd(zaken, statussen).to_numpy()
    z["zonder_docs"] = zonder_documenten(zaken, documenten).to_numpy()
    return z


def adoptie_per_team(
    zaken: pd.DataFrame,
    statussen: pd.DataFrame,
    documenten: pd.DataFrame,
    medewerkers: pd.DataFrame,
    van: pd.Timestamp | None = None,
    tot: pd.Timestamp | None = None,
    afdelingen: list[str] | None = None,
) -> pd.DataFrame:
    """Adoption figures per team.

    Parameters
    ----------
    zaken, statussen, documenten, medewerkers : DataFrame
        Contract tables.
    van, tot : Timestamp, optional
        Inclusive day bounds. Zaken count when registered in the period; a
        medewerker is active when behandelaar of such a zaak or when they set a
        status in the period.
    afdelingen : list of str, optional
        Only teams of these afdelingen (staff's afdeling; for zaken without
        behandelaar the zaak's afdeling).

    Returns
    -------
    DataFrame
        ``afdeling``, ``team``, ``medewerkers``, ``actief``, ``aandeel_actief``,
        ``zaken``, ``gesloten``, ``achteraf_geregistreerd``, ``aandeel_achteraf``
        (of closed), ``zonder_documenten``, ``aandeel_zonder_documenten`` (of
        closed); sorted by afdeling and team. No names.
    """
    mw = medewerkers[["identificatie", "afdeling", "team"]].copy()
    mw["team"] = mw["team"].fillna(GEEN_TEAM)
    act = _activiteit(zaken, statussen, van, tot)
    mw["actief"] = mw["identificatie"].isin(act.index)
    staff = mw.groupby(["afdeling", "team"]).agg(medewerkers=("identificatie", "size"), actief=("actief", "sum"))

    z = _zaak_flags(zaken, statussen, documenten)
    z = z[_in_periode(z["registratiedatum"], van, tot)]
    z = z.merge(mw[["identificatie", "afdeling", "team"]].rename(columns={"identificatie": "behandelaar",
                                                                           "afdeling": "mw_afdeling"}),
                on="behandelaar", how="left")
    geen = z["behandelaar"].isna() | z["mw_afdeling"].isna()
    z["afdeling"] = z["mw_afdeling"].where(~geen, z["afdeling"])
    z["team"] = z["team"].where(~geen, GEEN_BEHANDELAAR)
    z["achteraf"] &= z["gesloten"]
    g = z.groupby(["afdeling", "team"])
    work = pd.DataFrame({"zaken": g.size(), "gesloten": g["gesloten"].sum(),
                         "achteraf_geregistreerd": g["achteraf"].sum(), "zonder_documenten": g["zonder_docs"].sum()})

    out = staff.join(work, how="outer").reset_index()
    if afdelingen is not None:
        out = out[out["afdeling"].isin(list(afdelingen))]
    counts = ["medewerkers", "actief", "zaken", "gesloten", "achteraf_geregistreerd", "zonder_documenten"]
    out[counts] = out[counts].fillna(0).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["aandeel_actief"] = (out["actief"] / out["medewerkers"].replace(0, np.nan)).astype(float)
        out["aandeel_achteraf"] = (out["achteraf_geregistreerd"] / out["gesloten"].replace(0, np.nan)).astype(float)
        out["aandeel_zonder_documenten"] = (out["zonder_documenten"] / out["gesloten"].replace(0, np.nan)).astype(
            float
        )
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
) -> pd.DataFrame:
    """The same figures per person, with names. Only with ``toon_namen=True``.

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
        ``zonder_documenten``; least active first within each team.
    """
    if toon_namen is not True:
        raise UsageError("figures per medewerker show names; set toon_namen = True to allow that.")
    mw = medewerkers[["identificatie", "naam", "afdeling", "team"]].copy()
    mw["team"] = mw["team"].fillna(GEEN_TEAM)
    if afdelingen is not None:
        mw = mw[mw["afdeling"].isin(list(afdelingen))]
    act = _activiteit(zaken, statussen, van, tot)
    z = _zaak_flags(zaken, statussen, documenten)
    z = z[_in_periode(z["registratiedatum"], van, tot) & z["behandelaar"].notna()]
    z["achteraf"] &= z["gesloten"]
    g = z.groupby("behandelaar")
    work = pd.DataFrame({"zaken": g.size(), "gesloten": g["gesloten"].sum(),
                         "achteraf_geregistreerd": g["achteraf"].sum(), "zonder_documenten": g["zonder_docs"].sum()})
    work.index = work.index.astype("str")
    out = mw.join(act[["laatste_activiteit"]], on="identificatie").join(work, on="identificatie")
    out["actief"] = out["identificatie"].isin(act.index)
    counts = ["zaken", "gesloten", "achteraf_geregistreerd", "zonder_documenten"]
    out[counts] = out[counts].fillna(0).astype(int)
    cols = ["identificatie", "naam", "afdeling", "team", "actief", "laatste_activiteit"] + counts
    return out[cols].sort_values(["afdeling", "team", "actief", "zaken", "identificatie"],
                                 ascending=[True, True, True, True, True], kind="stable").reset_index(drop=True)
