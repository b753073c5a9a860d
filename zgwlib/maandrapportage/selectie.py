"""The monthly report's key figures for any selection and any span of months: "how did we do last quarter?".

:func:`make_kerncijfers` answers for a department (or the whole organisation), optionally one team and one
zaaktype, over the months ``van`` to ``tot``. Each figure has the same definition as in the monthly report
(docs/metrics.md, sections *Maandrapportage* and *Kerncijfers over een periode*), taken over the whole span at
once: the rates are over every zaak closed in the span, never an average of monthly rates. For one month and
a department the answer is exactly that month's tiles.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.errors import UsageError
from zgwlib.core.periods import choose_periode, periode_index, periode_tekst
from zgwlib.core.terms import ORGANISATIE
from zgwlib.data.snapshot import Snapshot
from zgwlib.maandrapportage import facts
from zgwlib.maandrapportage.figures import (
    FIGUREN, Basis, Instellingen, _activiteit, _gesloten_cijfers, _open_einde, kanaalsoort, load, prepare,
)

#: The figures of :func:`make_kerncijfers`, in order. ``open_einde_maand`` is open at the end of the span's last
#: month; ``actieve_gebruikers`` counts each person once however many months of the span they were active.
CODES = (
    "ontvangen", "gesloten", "open_einde_maand", "binnen_norm", "binnen_termijn", "doorlooptijd_mediaan",
    "doorlooptijd_p90", "actieve_gebruikers", "medewerkers", "aandeel_actief", "met_documenten", "met_behandelaar",
    "met_resultaat", "achteraf", "volgens_werkwijze", "aandeel_digitaal",
)

#: Labels that differ from the monthly tiles' because the span may be longer than a month.
_LABELS = {"open_einde_maand": "Open aan het eind van de periode"}

#: Figures about people: unknown for one zaaktype (a person's activity belongs to no zaaktype).
_MENSEN = ("actieve_gebruikers", "medewerkers", "aandeel_actief")


@dataclass(frozen=True)
class Selectie:
    """What :func:`make_kerncijfers` was asked about, checked against the data.

    Attributes
    ----------
    afdeling : str
        A department, or ``"organisatie"`` for the whole organisation.
    team : str or None
        One team of that department (a zaak counts for its behandelaar's team).
    zaaktype : str or None
        The zaaktype's identificatie.
    van, tot : str
        First and last month, ``YYYY-MM``, both included.
    """

    afdeling: str
    team: str | None
    zaaktype: str | None
    van: str
    tot: str

    def beschrijving(self) -> str:
        """Dutch description: ``"Afdeling Alfa, team T1, zaaktype ZT-A, januari 2024 tot en met maart 2024"``."""
        wie = "De hele organisatie" if self.afdeling == ORGANISATIE else f"Afdeling {self.afdeling}"
        delen = [wie] + ([f"team {self.team}"] if self.team else []) + (
            [f"zaaktype {self.zaaktype}"] if self.zaaktype else [])
        wanneer = nl.maand(self.van) if self.van == self.tot else f"{nl.maand(self.van)} tot en met {nl.maand(self.tot)}"
        return ", ".join(delen) + ", " + wanneer


def _basis(data: Any) -> Basis:
    if isinstance(data, Basis):
        return data
    if isinstance(data, Snapshot):
        return prepare(data)
    if data is None or isinstance(data, (str, os.PathLike)):
        return load(data if data is not None else "voorbeeld")
    raise UsageError(f"make_kerncijfers needs a snapshot, a snapshot folder or 'voorbeeld', not {type(data).__name__}.")


def _zaaktype(basis: Basis, zaaktype: str) -> str:
    typen = basis.zaaktypen
    hit = typen[(typen["identificatie"].astype("str") == zaaktype)
                | (typen["omschrijving"].astype("str").str.lower() == str(zaaktype).lower())]
    if hit.empty:
        raise UsageError(f"zaaktype {zaaktype!r} is not in the data; for example "
                         f"{', '.join(map(repr, typen['identificatie'].astype('str').head(3)))}.")
    return str(hit["identificatie"].iloc[0])


def _check(basis: Basis, afdeling: str | None, team: str | None, zaaktype: str | None,
           van: str | None, tot: str | None) -> Selectie:
    afdeling = afdeling or ORGANISATIE
    if afdeling != ORGANISATIE and afdeling not in basis.afdelingen:
        raise UsageError(f"afdeling {afdeling!r} is not in the data; departments: {', '.join(basis.afdelingen)} "
                         f"(or '{ORGANISATIE}').")
    if team is not None:
        if afdeling == ORGANISATIE:
            raise UsageError("choose the department of the team too (afdeling=...): team names are per department.")
        teams = sorted(basis.medewerkers.loc[basis.medewerkers["afdeling"] == afdeling, "team"].dropna().astype("str").unique())
        if team not in teams:
            raise UsageError(f"team {team!r} is not a team of {afdeling}; its teams: {', '.join(teams) or 'none'}.")
    eind = choose_periode(basis.meta, tot)
    begin = periode_tekst(periode_index(str(van))) if van else eind
    if begin > eind:
        raise UsageError(f"van {begin} is after tot {eind}.")
    tot_data = str(basis.meta.get("periode_tot") or "")[:7]
    if tot_data and eind > tot_data:
        raise UsageError(f"tot {eind}: the data is complete up to {nl.datum(str(basis.meta['periode_tot'])[:10])}, "
                         f"so it has nothing about that month.")
    return Selectie(afdeling, team, _zaaktype(basis, zaaktype) if zaaktype else None, begin, eind)


def make_kerncijfers(data: Any = "voorbeeld", afdeling: str | None = None, *, team: str | None = None,
                     zaaktype: str | None = None, van: str | None = None, tot: str | None = None,
                     instellingen: Instellingen | None = None) -> pd.DataFrame:
    """The key figures of any selection over any span of months, with their Dutch texts.

    Parameters
    ----------
    data : Basis, Snapshot, path or "voorbeeld"
        The data; a :class:`~zgwlib.maandrapportage.figures.Basis` (from ``prepare``) is fastest for many questions.
    afdeling : str, optional
        A department; default (or ``"organisatie"``) the whole organisation.
    team : str, optional
        One team of ``afdeling``: the zaken whose behandelaar is in it, and its staff.
    zaaktype : str, optional
        Identificatie or omschrijving of one zaaktype. The figures about people (active users, staff) are then
        unknown: a person's activity belongs to no zaaktype.
    van, tot : str, optional
        First and last month ``YYYY-MM`` (both included); ``tot`` defaults to the last complete month of the data,
        ``van`` to ``tot``. Last quarter: ``van="2026-07", tot="2026-09"``.
    instellingen : Instellingen, optional
        Which channels are digital (``aandeel_digitaal``); default the built-in ones.

    Returns
    -------
    DataFrame
        One row per code of :data:`CODES`: ``code``, ``label``, ``soort``, ``waarde`` (NaN when unknown, never a
        guessed 0) and ``tekst`` (Dutch: ``1.234``, ``45%``, ``12 dagen``, ``–``). ``attrs["selectie"]`` is the
        checked :class:`Selectie`, ``attrs["beschrijving"]`` its Dutch description.
    """
    basis = _basis(data)
    sel = _check(basis, afdeling, team, zaaktype, van, tot)
    z, mw = basis.zaken, basis.medewerkers
    m0, m1 = periode_index(sel.van), periode_index(sel.tot)

    in_z = np.ones(len(z), dtype=bool)
    in_mw = np.ones(len(mw), dtype=bool)
    if sel.afdeling != ORGANISATIE:
        in_z &= (z["afdeling"].astype("str") == sel.afdeling).to_numpy()
        in_mw &= (mw["afdeling"].astype("str") == sel.afdeling).to_numpy()
    if sel.team is not None:
        in_z &= (z["team"].astype("str") == sel.team).to_numpy() & z["team"].notna().to_numpy()
        in_mw &= (mw["team"].astype("str") == sel.team).to_numpy() & mw["team"].notna().to_numpy()
    if sel.zaaktype is not None:
        in_z &= (z["zaaktype"].astype("str") == sel.zaaktype).to_numpy()

    m_reg, m_eind = z["m_reg"].to_numpy(), z["m_eind"].to_numpy()
    ontvangen = in_z & (m_reg >= m0) & (m_reg <= m1)
    gesloten = in_z & (m_eind >= m0) & (m_eind <= m1)
    waarden: dict[str, float] = {"ontvangen": float(ontvangen.sum())}
    closed = _gesloten_cijfers(z, gesloten, np.zeros(int(gesloten.sum()), dtype=np.int64), 1).iloc[0]
    for code in ("gesloten", "binnen_norm", "binnen_termijn", "doorlooptijd_mediaan", "doorlooptijd_p90",
                 "met_documenten", "met_behandelaar", "met_resultaat", "achteraf", "volgens_werkwijze"):
        waarden[code] = float(closed[code])
    groep = np.where(in_z, 0, -1)
    waarden["open_einde_maand"] = float(_open_einde(groep, m_reg, m_eind, m1, m1, 1)[0])

    if sel.zaaktype is None:
        act = _activiteit(basis, m0, m1)
        wie = act["mw"].to_numpy()
        actief = np.unique(wie[in_mw[wie]])
        waarden["actieve_gebruikers"] = float(len(actief))
        waarden["medewerkers"] = float(in_mw.sum())
        waarden["aandeel_actief"] = len(actief) / in_mw.sum() if in_mw.sum() else np.nan
    else:
        waarden.update({code: np.nan for code in _MENSEN})

    # The share of digital intake is of the received zaken whose channel is known (digital or not).
    soort = kanaalsoort(basis, instellingen)[ontvangen]
    digitaal = int((soort == facts.DIGITAAL).sum())
    bekend = digitaal + int((soort == facts.NIET_DIGITAAL).sum())
    waarden["aandeel_digitaal"] = digitaal / bekend if bekend else np.nan

    rows = []
    for code in CODES:
        f = FIGUREN[code]
        w = waarden[code]
        rows.append({"code": code, "label": _LABELS.get(code, f.label), "soort": f.soort, "waarde": w,
                     "tekst": f.tekst(w)})
    frame = pd.DataFrame(rows)
    frame.attrs["selectie"] = sel
    frame.attrs["beschrijving"] = sel.beschrijving()
    return frame


def last_complete_quarter(data: Any) -> tuple[str, str]:
    """First and last month (``YYYY-MM``) of the last calendar quarter the data covers completely.

    Data complete up to 15 November 2026 covers October, so the last complete quarter is July to September.
    ``data`` is what :func:`make_kerncijfers` takes, or a ``meta.json`` mapping.
    """
    meta = data if isinstance(data, dict) else _basis(data).meta
    laatste = periode_index(choose_periode(meta))
    maand = laatste % 12  # 0..11, so 2, 5, 8, 11 end a quarter
    tot = laatste - (maand + 1) % 3
    return periode_tekst(tot - 2), periode_tekst(tot)
