"""Borging: what the organisation does to make the new way of working stick, and whether it works.

Half of VNG's eleven tips are actions, not reports: a weekly drop-in hour (tip 4), short trainings (6), buddies
(7), intranet spotlights (8) and a six-weekly key-user meeting on the zaaktypen (9). The optional contract table
``activiteiten`` records them; this module answers, per month:

* what happened (:func:`kalender`, :func:`acties_in_maand`) and which teams had a training or a buddy and which
  had none (:func:`teams_overzicht`);
* **the effect** (:func:`effect`): four adoption indicators per team in the months before and after the team's
  first training or buddy, against the teams that had none in the same months: a difference-in-differences
  (:func:`verschil_in_verschillen`) with a bootstrap interval from the evaluation's bootstrap
  (:mod:`zgwlib.evaluatie.bootstrap`);
* the drop-in hour's most frequent question topics, as input for a FAQ (:func:`vraag_onderwerpen`);
* teams that lag and had no training or buddy yet, with a concrete suggestion (:func:`achterblijvers`);
* the agenda of the next key-user meeting (:func:`keyuser_agenda`), from the exploration's catalogue findings.

Definitions: ``docs/metrics.md``, section *Borging*. Text in ``activiteiten`` (onderwerp, vraag) is untrusted:
the display escapes it and nothing here reads it as markup.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zgwlib import style
from zgwlib.core import nl
from zgwlib.core.cache import cached_frame
from zgwlib.core.periods import maand_einde, maand_index, periode_index, periode_tekst
from zgwlib.core.terms import GEEN_TEAM, ORGANISATIE
from zgwlib.data.contract import ACTIVITEIT_SOORT
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.evaluatie.bootstrap import GEEN_VERSCHIL, draw_resamples
from zgwlib.maandrapportage import figures as maandfiguren
from zgwlib.verkenning import catalogue, process

#: Dutch names of the kinds of action.
SOORT_LABEL: dict[str, str] = {
    "inloopspreekuur": "Inloopspreekuur", "training": "Training", "buddy": "Buddy",
    "keyuser_overleg": "Key-user-overleg", "intranet": "Intranet", "overig": "Overig",
}
assert set(SOORT_LABEL) == set(ACTIVITEIT_SOORT)

#: The actions whose effect on a team is measured.
TEAMACTIES = ("training", "buddy")

#: Verdict when a group has too few zaken (or staff-months) to say anything.
TE_WEINIG = "te weinig gegevens"


@dataclass(frozen=True)
class Indicator:
    """One adoption indicator of the effect analysis.

    Attributes
    ----------
    code, label : str
    richting : int
        ``1`` higher is better, ``-1`` lower is better.
    eenheid : str
        What one value is: a closed zaak (``zaken``) or one member of staff in one month (``medewerker-maanden``).
    documenten : bool
        Needs document data: unknown, so not measured, when the snapshot has none (:func:`indicatoren`).
    """

    code: str
    label: str
    richting: int
    eenheid: str
    documenten: bool = False


INDICATOREN: dict[str, Indicator] = {i.code: i for i in (
    Indicator("actief", "Actieve medewerkers", 1, "medewerker-maanden"),
    Indicator("achteraf", "Achteraf geregistreerd", -1, "zaken"),
    Indicator("zonder_documenten", "Afgesloten zonder documenten", -1, "zaken", documenten=True),
    Indicator("binnen_termijn", "Binnen de wettelijke termijn", 1, "zaken"),
)}


@dataclass(frozen=True)
class Instellingen:
    """Thresholds of the borging report; change them in ``parameters/borging.yaml`` (:mod:`zgwlib.core.settings`).

    Attributes
    ----------
    venster_maanden : int
        Months before and after a team's first training or buddy that the effect compares (the month of the action
        itself is left out: it is half before, half after).
    min_waarden : int
        Closed zaken (or staff-months) each of the four groups needs before an effect is estimated.
    trekkingen : int
        Bootstrap resamples of each group.
    betrouwbaarheid : float
        Coverage of the interval.
    kalender_maanden : int
        Months in the calendar of actions (the report month included).
    vragen_maanden : int
        Months of drop-in questions counted for the FAQ topics.
    max_vragen : int
        Most frequent literal questions listed.
    achterstand_maanden : int
        Months over which a team's way of working is compared with the other teams' to call it lagging.
    achterstand_punten : float
        A team lags when its score (the champion score's three percentages, averaged over those months) is at
        least this many points below the median team's.
    min_gesloten_achterstand : int
        Closed zaken a team needs in those months to be judged.
    keyuser_interval_weken : int
        Weeks between two key-user meetings (VNG tip 9: every six weeks). The cadence counts from the latest
        ``keyuser_overleg`` recorded in activiteiten, else from the go-live date (``invoeringsdatum``).
    agenda_maanden : int
        Months of data behind the key-user agenda's findings.
    zelden_documenten : int
        A document type with fewer documents than this in those months is "rarely used".
    onvolledig_drempel : float
        A zaaktype is on the agenda when more than this share of its closed zaken lack documents or a resultaat.
    overgeslagen_drempel : float
        A status is on the agenda when more than this share of the zaken that got past it skipped it (zaken
        registered afterwards not counted).
    seed : int
        Seed of the bootstrap (the same data gives the same intervals).
    """

    venster_maanden: int = field(default=6, metadata={"min": 1})
    min_waarden: int = 20
    trekkingen: int = 2000
    betrouwbaarheid: float = 0.95
    kalender_maanden: int = 12
    vragen_maanden: int = 6
    max_vragen: int = 10
    achterstand_maanden: int = 3
    achterstand_punten: float = 8.0
    min_gesloten_achterstand: int = 10
    keyuser_interval_weken: int = field(default=6, metadata={"min": 1})
    agenda_maanden: int = 6
    zelden_documenten: int = 5
    onvolledig_drempel: float = 0.05
    overgeslagen_drempel: float = 0.05
    seed: int = 16


# --------------------------------------------------------------------------- data


@dataclass
class Gegevens:
    """Everything the report reads, loaded once.

    Attributes
    ----------
    snapshot : Snapshot
        The whole snapshot (the key-user agenda needs documents, statuses and the catalogue).
    basis : Basis
        :func:`zgwlib.maandrapportage.figures.prepare` of it: the per-zaak facts of the monthly report.
    activiteiten : DataFrame
        The contract table ``activiteiten`` (possibly empty).
    """

    snapshot: Snapshot
    basis: maandfiguren.Basis
    activiteiten: pd.DataFrame


#: The tables and columns the report reads (None: every column): the monthly report's, plus what the key-user
#: agenda needs (status and document types, the document catalogue) and the activiteiten. Not the whole snapshot:
#: on a 2,000,000-zaak municipality every department's kernel would read a gigabyte it never uses.
KOLOMMEN: dict[str, list[str] | None] = {
    **maandfiguren.KOLOMMEN,
    "statussen": [*(maandfiguren.KOLOMMEN["statussen"] or []), "statustype"],
    "documenten": [*(maandfiguren.KOLOMMEN["documenten"] or []), "informatieobjecttype"],
    "informatieobjecttypen": None,
    "activiteiten": None,
}


def load(data: str | os.PathLike[str] | None = "voorbeeld") -> Gegevens:
    """Read a snapshot (``"voorbeeld"``: the built-in sample) for the borging report: the tables and columns of
    :data:`KOLOMMEN`."""
    snap = load_snapshot(data, list(KOLOMMEN), columns={k: v for k, v in KOLOMMEN.items() if v is not None})
    return prepare(snap, bron=snap.path)


def prepare(snapshot: Snapshot, bron: Path | None = None) -> Gegevens:
    """The report's data from a loaded snapshot (a missing ``activiteiten`` table counts as empty); ``bron``: the
    folder it was read from, unchanged (see :func:`zgwlib.maandrapportage.figures.prepare`)."""
    act = snapshot.tables.get("activiteiten")
    if act is None:
        act = pd.DataFrame({c: pd.Series([], dtype="str") for c in
                            ("datum", "soort", "afdeling", "team", "deelnemers", "onderwerp", "vraag")})
        act["datum"] = pd.Series([], dtype="datetime64[us]")
    return Gegevens(snapshot, maandfiguren.prepare(snapshot, bron=bron), act.reset_index(drop=True))


def heeft_activiteiten(g: Gegevens) -> bool:
    """Whether anything was recorded in ``activiteiten``."""
    return len(g.activiteiten) > 0


def _afdeling(frame: pd.DataFrame, afdeling: str) -> pd.DataFrame:
    return frame if afdeling == ORGANISATIE else frame[(frame["afdeling"] == afdeling).to_numpy()]


def _tot(periode: str) -> pd.Timestamp:
    return maand_einde(periode).normalize()


# --------------------------------------------------------------------------- what happened


def kalender(activiteiten: pd.DataFrame, periode: str, afdeling: str = ORGANISATIE, maanden: int = 12) -> pd.DataFrame:
    """Actions per month and kind for the last ``maanden`` months up to ``periode``.

    A drop-in hour counts once per day (its rows are questions); ``vragen`` counts the questions.

    Returns
    -------
    DataFrame
        ``maand`` (``YYYY-MM``), one column per kind of :data:`SOORT_LABEL` and ``vragen``; every month, also
        those without any action.
    """
    m1 = periode_index(periode)
    m0 = m1 - maanden + 1
    a = _afdeling(activiteiten, afdeling)
    m = maand_index(a["datum"])
    a = a[(m >= m0) & (m <= m1)].assign(_m=m[(m >= m0) & (m <= m1)])
    spreekuur = a["soort"] == "inloopspreekuur"
    # One drop-in hour per day (and department): its rows are the questions asked.
    sessies = a[spreekuur].drop_duplicates(["datum", "afdeling"] if afdeling != ORGANISATIE else ["datum"])
    tel = pd.concat([a[~spreekuur], sessies])
    out = pd.DataFrame({"maand": [periode_tekst(i) for i in range(m0, m1 + 1)]})
    for soort in SOORT_LABEL:
        per = tel[tel["soort"] == soort].groupby("_m").size()
        out[soort] = [int(per.get(i, 0)) for i in range(m0, m1 + 1)]
    vragen = a[spreekuur & a["vraag"].notna()].groupby("_m").size()
    out["vragen"] = [int(vragen.get(i, 0)) for i in range(m0, m1 + 1)]
    return out


def acties_in_maand(activiteiten: pd.DataFrame, periode: str, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The actions of the month, oldest first; a drop-in hour as one row with its number of questions.

    Returns
    -------
    DataFrame
        ``datum``, ``soort`` (Dutch label), ``afdeling``, ``team``, ``deelnemers``, ``onderwerp`` (untrusted text).
    """
    m = periode_index(periode)
    a = _afdeling(activiteiten, afdeling)
    a = a[maand_index(a["datum"]) == m]
    spreekuur = a["soort"] == "inloopspreekuur"
    rest = a[~spreekuur][["datum", "soort", "afdeling", "team", "deelnemers", "onderwerp"]]
    s = a[spreekuur]
    if len(s):
        g = s.groupby("datum", as_index=False).agg(
            afdeling=("afdeling", lambda x: ", ".join(sorted(set(map(str, x))))),
            vragen=("vraag", "count"), onderwerp=("onderwerp", "first"))
        g["soort"], g["team"] = "inloopspreekuur", None
        g["deelnemers"] = pd.array([pd.NA] * len(g), dtype="Int64")
        g["onderwerp"] = [f"{o} ({nl.getal(v)} {'vraag' if v == 1 else 'vragen'})" for o, v in
                          zip(g["onderwerp"].astype(str), g["vragen"], strict=True)]
        rest = pd.concat([rest, g[rest.columns]], ignore_index=True)
    rest = rest.sort_values(["datum", "soort"], kind="stable").reset_index(drop=True)
    rest["soort"] = rest["soort"].map(SOORT_LABEL)
    return rest


def _teams(g: Gegevens) -> pd.DataFrame:
    """Every (afdeling, team) that handles zaken (a behandelaar's team of some zaak), sorted."""
    z = g.basis.zaken
    t = pd.DataFrame({"afdeling": z["afdeling"].astype("str"), "team": z["team"].astype("object")}).dropna()
    t = t[t["team"] != GEEN_TEAM].drop_duplicates().astype("str")
    return t.sort_values(["afdeling", "team"], key=lambda s: s.str.lower()).reset_index(drop=True)


def team_acties(g: Gegevens, tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """Trainings and buddies per team up to ``tot``; an action without a team counts for every team of its department.

    Returns
    -------
    DataFrame
        ``afdeling``, ``team``, ``soort``, ``datum``, ``onderwerp``, oldest first.
    """
    a = g.activiteiten
    a = a[a["soort"].isin(TEAMACTIES)]
    if tot is not None:
        a = a[a["datum"] <= tot]
    cols = ["afdeling", "team", "soort", "datum", "onderwerp"]
    met_team = a[a["team"].notna()][cols]
    zonder = a[a["team"].isna()]
    if len(zonder):
        teams = _teams(g)
        zonder = zonder.drop(columns="team").merge(teams, on="afdeling", how="inner")[cols]
        met_team = pd.concat([met_team, zonder], ignore_index=True)
    met_team = met_team.astype({"afdeling": "str", "team": "str"})
    return met_team.sort_values(["datum", "afdeling", "team"], kind="stable").reset_index(drop=True)


def eerste_acties(g: Gegevens, tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each team's first training or buddy up to ``tot`` (``afdeling``, ``team``, ``soort``, ``datum``, ``onderwerp``)."""
    return team_acties(g, tot).groupby(["afdeling", "team"], sort=False).head(1).reset_index(drop=True)


def teams_overzicht(g: Gegevens, periode: str, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """Per team of a department with zaken: its trainings and buddies up to the month, or none.

    Returns
    -------
    DataFrame
        ``afdeling``, ``team``, ``trainingen``, ``buddies``, ``eerste`` (date of the first training or buddy,
        NaT when none) and ``geen_actie``; teams without any action first.
    """
    acties = team_acties(g, _tot(periode))
    teams = _afdeling(_teams(g), afdeling)
    tel = acties.groupby(["afdeling", "team", "soort"]).size().unstack(fill_value=0)
    eerste = acties.groupby(["afdeling", "team"])["datum"].min()
    rows = []
    for r in teams.itertuples(index=False):
        key = (r.afdeling, r.team)
        rows.append({
            "afdeling": r.afdeling, "team": r.team,
            "trainingen": int(tel.loc[key, "training"]) if key in tel.index and "training" in tel else 0,
            "buddies": int(tel.loc[key, "buddy"]) if key in tel.index and "buddy" in tel else 0,
            "eerste": eerste.get(key, pd.NaT),
        })
    out = pd.DataFrame(rows, columns=["afdeling", "team", "trainingen", "buddies", "eerste"])
    out["eerste"] = pd.to_datetime(out["eerste"]).astype("datetime64[us]")
    out["geen_actie"] = out["eerste"].isna()
    return out.sort_values(["geen_actie", "afdeling", "team"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the effect


@dataclass(frozen=True)
class VerschilInVerschillen:
    """A difference-in-differences with its bootstrap interval.

    Attributes
    ----------
    voor, na : float
        The treated team's mean before and after.
    vergelijking_voor, vergelijking_na : float
        The comparison teams' mean in the same months.
    effect : float
        ``(na - voor) - (vergelijking_na - vergelijking_voor)``: the change beyond what the comparison teams show.
    laag, hoog : float
        Bounds of the percentile-bootstrap interval of ``effect`` (each group resampled on its own).
    """

    voor: float
    na: float
    vergelijking_voor: float
    vergelijking_na: float
    effect: float
    laag: float
    hoog: float

    @property
    def richting(self) -> int:
        """``1`` when the whole interval is above zero, ``-1`` below, ``0`` otherwise (or unknown)."""
        if math.isnan(self.laag) or math.isnan(self.hoog):
            return 0
        return 1 if self.laag > 0 else (-1 if self.hoog < 0 else 0)


def verschil_in_verschillen(
    voor: Any, na: Any, vergelijking_voor: Any, vergelijking_na: Any, *, trekkingen: int = 2000,
    betrouwbaarheid: float = 0.95, rng: np.random.Generator | int | None = None,
) -> VerschilInVerschillen:
    """Difference-in-differences of means (a share is the mean of 0/1 values) with a bootstrap interval.

    Each of the four samples is resampled on its own with the evaluation's bootstrap
    (:func:`zgwlib.evaluatie.bootstrap.draw_resamples`); the interval is the percentile interval of the
    resampled effects. NaN values are dropped; an empty sample gives NaN.
    """
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    groepen = [np.asarray(x, dtype="float64") for x in (voor, na, vergelijking_voor, vergelijking_na)]
    groepen = [x[~np.isnan(x)] for x in groepen]
    means = [float(x.mean()) if len(x) else math.nan for x in groepen]
    effect = (means[1] - means[0]) - (means[3] - means[2])
    if any(not len(x) for x in groepen):
        return VerschilInVerschillen(*means, effect, math.nan, math.nan)
    d = [draw_resamples(x, "gemiddelde", trekkingen=trekkingen, rng=gen) for x in groepen]
    draws = (d[1] - d[0]) - (d[3] - d[2])
    alfa = (1 - betrouwbaarheid) / 2
    laag, hoog = np.quantile(draws, [alfa, 1 - alfa])
    return VerschilInVerschillen(*means, effect, float(laag), float(hoog))


def indicatoren(g: Gegevens) -> dict[str, Indicator]:
    """The indicators of :data:`INDICATOREN` the data can measure, in that order.

    Without document data (``meta.json`` ``"documenten_bron": "geen"``, docs/metrics.md) whether a closed zaak had
    documents is unknown for every zaak, so *afgesloten zonder documenten* is left out: not measured, rather than an
    effect on a figure nobody knows.
    """
    return {c: i for c, i in INDICATOREN.items() if g.basis.documentgegevens or not i.documenten}


def _invoering_maand(g: Gegevens) -> dict[str, int]:
    """Month index of each department's own go-live (``invoering_per_afdeling``, else ``invoeringsdatum``)."""
    meta = g.basis.meta
    per = meta.get("invoering_per_afdeling") or {}
    org = meta.get("invoeringsdatum")
    out = {}
    for a in g.basis.afdelingen:
        day = per.get(a) or org
        out[a] = int(maand_index(pd.Series([pd.Timestamp(str(day)[:10])]))[0]) if day else -(10**6)
    return out


def _eenheden(g: Gegevens) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The teams (:func:`_teams`), and per zaak and per member of staff its team's number (-1: none)."""
    z, mw = g.basis.zaken, g.basis.medewerkers
    # Only real teams of departments that handle zaken: staff-only departments are never "active" by definition.
    keys = _teams(g)
    index = {(a, t): i for i, (a, t) in enumerate(zip(keys["afdeling"], keys["team"], strict=True))}
    zk = np.array([index.get((a, t), -1) if isinstance(t, str) else -1 for a, t in
                   zip(z["afdeling"].astype("str"), z["team"].astype("object"), strict=True)], dtype=np.int64)
    mk = np.array([index.get((a, t), -1) for a, t in zip(mw["afdeling"].astype("str"), mw["team"].astype("str"),
                                                          strict=True)], dtype=np.int64)
    return keys, zk, mk


def _actief_matrix(g: Gegevens, m0: int, m1: int) -> np.ndarray:
    """Per member of staff and month m0..m1: active in that month (the monthly report's definition)."""
    out = np.zeros((len(g.basis.medewerkers), m1 - m0 + 1), dtype=bool)
    for m in range(m0, m1 + 1):
        out[:, m - m0] = maandfiguren.actief_in_maand(g.basis, periode_tekst(m)).to_numpy()
    return out


def effect(g: Gegevens, periode: str, instellingen: Instellingen | None = None,
           afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """The effect of each team's first training or buddy on the adoption indicators (:func:`indicatoren`: four, or
    three without document data), a difference-in-differences.

    For a team whose first training or buddy was in month *M*: *before* is months *M*-k .. *M*-1, *after* is
    *M*+1 .. *M*+k (k = :attr:`Instellingen.venster_maanden`; *after* stops at the report month, and at least one
    month after is needed). The comparison teams are every team (of any department) that had no training or buddy
    up to the end of *after*. Months before a department's own go-live count for none of its teams. Closed zaken
    count in the month they closed (by the behandelaar's team); active staff per member of staff and month.

    Returns
    -------
    DataFrame
        One row per (team, indicator): ``afdeling``, ``team``, ``soort``, ``datum``, ``indicator``, ``label``,
        ``richting``, ``voor``, ``na``, ``vergelijking_voor``, ``vergelijking_na``, ``effect``, ``laag``, ``hoog``,
        ``n_voor``, ``n_na``, ``n_vergelijking_voor``, ``n_vergelijking_na``, ``maanden_na``,
        ``vergelijkingsteams`` and ``oordeel`` (``"beter"``, ``"slechter"``, :data:`GEEN_VERSCHIL` or
        :data:`TE_WEINIG`). Empty when no team had a training or buddy early enough.

    A department's rows are the organisation's rows of its teams: every team gets the same figures and the same
    bootstrap interval in every report. Under ``zgw run`` the organisation's table is computed once per run
    (:mod:`zgwlib.core.cache`).
    """
    inst = instellingen or Instellingen()
    alle = cached_frame("borging-effect", g.basis.bron, (periode, inst), lambda: _effect_organisatie(g, periode, inst))
    return _afdeling(alle, afdeling).reset_index(drop=True)


def _effect_organisatie(g: Gegevens, periode: str, inst: Instellingen) -> pd.DataFrame:
    mp = periode_index(periode)
    alle = team_acties(g, _tot(periode))
    eerste = alle.groupby(["afdeling", "team"], sort=False).head(1).reset_index(drop=True)
    eerste = eerste.assign(maand=maand_index(eerste["datum"]))
    behandeld = eerste[eerste["maand"] <= mp - 1]
    if not len(behandeld):
        return pd.DataFrame({c: [] for c in _EFFECT_KOLOMMEN})
    e = _effect_gegevens(g, eerste, int(behandeld["maand"].min()) - inst.venster_maanden, mp)
    rng = np.random.default_rng(inst.seed)  # one stream, drawn team by team and indicator by indicator
    rows = []
    for r in behandeld.itertuples(index=False):
        t = e.unit_index.get((r.afdeling, r.team))
        if t is not None:
            rows += _team_effect(e, r, t, mp, inst, rng)
    return pd.DataFrame(rows, columns=_EFFECT_KOLOMMEN)


_EFFECT_KOLOMMEN = [
    "afdeling", "team", "soort", "datum", "indicator", "label", "richting", "voor", "na", "vergelijking_voor",
    "vergelijking_na", "effect", "laag", "hoog", "n_voor", "n_na", "n_vergelijking_voor", "n_vergelijking_na",
    "maanden_na", "vergelijkingsteams", "oordeel",
]


@dataclass
class _EffectGegevens:
    """Per unit (afdeling and team): its zaken, staff, go-live month and first action; per zaak the indicators."""

    unit_index: dict[tuple[str, str], int]
    indicatoren: dict[str, Indicator]
    zk: np.ndarray
    mk: np.ndarray
    unit_golive: np.ndarray
    eerste_m: np.ndarray
    m_eind: np.ndarray
    gesloten: np.ndarray
    waarden: dict[str, np.ndarray]
    actief: np.ndarray
    m_lo: int


def _effect_gegevens(g: Gegevens, eerste: pd.DataFrame, m_lo: int, mp: int) -> _EffectGegevens:
    keys, zk, mk = _eenheden(g)
    unit_index = {(a, t): i for i, (a, t) in enumerate(zip(keys["afdeling"], keys["team"], strict=True))}
    golive = _invoering_maand(g)
    unit_golive = np.array([golive.get(a, -(10**6)) for a in keys["afdeling"]], dtype=np.int64)
    eerste_m = np.full(len(keys), 10**6, dtype=np.int64)  # month of each unit's first action (never: far away)
    for r in eerste.itertuples(index=False):
        i = unit_index.get((r.afdeling, r.team))
        if i is not None:
            eerste_m[i] = min(eerste_m[i], int(r.maand))
    z = g.basis.zaken
    meetbaar = indicatoren(g)
    waarden = {"achteraf": z["achteraf"].to_numpy(dtype="float64"),
               "binnen_termijn": z["binnen_termijn"].to_numpy(dtype="float64")}
    if "zonder_documenten" in meetbaar:  # else NA for every zaak, which no bool conversion may read as False
        waarden["zonder_documenten"] = (~z["heeft_documenten"].to_numpy(dtype=bool)).astype("float64")
    return _EffectGegevens(unit_index, meetbaar, zk, mk, unit_golive, eerste_m, z["m_eind"].to_numpy(),
                           z["gesloten"].to_numpy(dtype=bool), waarden, _actief_matrix(g, m_lo, mp), m_lo)


def _zaak_groep(e: _EffectGegevens, units: np.ndarray, maanden: np.ndarray) -> np.ndarray:
    """Closed zaken of these units in these months, after their department's own go-live."""
    zk = np.where(e.zk >= 0, e.zk, 0)
    ok = (e.zk >= 0) & e.gesloten & np.isin(e.m_eind, maanden)
    return ok & units[zk] & (e.m_eind >= e.unit_golive[zk])


def _staf_groep(e: _EffectGegevens, units: np.ndarray, maanden: np.ndarray) -> np.ndarray:
    """Active (1) or not (0) per member of staff of these units and month, after the department's go-live."""
    sel = np.flatnonzero((e.mk >= 0) & units[np.where(e.mk >= 0, e.mk, 0)])
    vals = [e.actief[sel[e.unit_golive[e.mk[sel]] <= mm], mm - e.m_lo].astype("float64") for mm in maanden]
    return np.concatenate(vals) if vals else np.zeros(0)


def _team_effect(e: _EffectGegevens, r: Any, t: int, mp: int, inst: Instellingen,
                 rng: np.random.Generator) -> list[dict[str, Any]]:
    """The rows of one team: each indicator before and after its first action, against the comparison teams."""
    m, k = int(r.maand), inst.venster_maanden
    voor_m = np.arange(m - k, m)
    na_m = np.arange(m + 1, min(m + k, mp) + 1)
    units = np.arange(len(e.eerste_m))
    vergelijk = (e.eerste_m > na_m[-1]) & (units != t)
    eigen = units == t
    rows = []
    for code, ind in e.indicatoren.items():
        if code == "actief":
            groepen = [_staf_groep(e, u, mm) for u, mm in ((eigen, voor_m), (eigen, na_m), (vergelijk, voor_m),
                                                           (vergelijk, na_m))]
        else:
            v = e.waarden[code]
            groepen = [v[_zaak_groep(e, u, mm)] for u, mm in ((eigen, voor_m), (eigen, na_m), (vergelijk, voor_m),
                                                              (vergelijk, na_m))]
            groepen = [x[~np.isnan(x)] for x in groepen]
        n = [len(x) for x in groepen]
        if min(n) < inst.min_waarden:
            d = VerschilInVerschillen(*(float(np.mean(x)) if len(x) else math.nan for x in groepen),
                                      math.nan, math.nan, math.nan)
            oordeel = TE_WEINIG
        else:
            d = verschil_in_verschillen(*groepen, trekkingen=inst.trekkingen, betrouwbaarheid=inst.betrouwbaarheid,
                                        rng=rng)
            oordeel = GEEN_VERSCHIL if d.richting == 0 else ("beter" if d.richting * ind.richting > 0 else "slechter")
        rows.append({
            "afdeling": r.afdeling, "team": r.team, "soort": r.soort, "datum": r.datum, "indicator": code,
            "label": ind.label, "richting": ind.richting, "voor": d.voor, "na": d.na,
            "vergelijking_voor": d.vergelijking_voor, "vergelijking_na": d.vergelijking_na, "effect": d.effect,
            "laag": d.laag, "hoog": d.hoog, "n_voor": n[0], "n_na": n[1], "n_vergelijking_voor": n[2],
            "n_vergelijking_na": n[3], "maanden_na": len(na_m), "vergelijkingsteams": int(vergelijk.sum()),
            "oordeel": oordeel,
        })
    return rows


# --------------------------------------------------------------------------- drop-in questions

#: FAQ topics of drop-in questions: the first whose words occur in the question (lower case) wins.
THEMAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Documenten en e-mail", ("document", "e-mail", "mail", "bijlage", "scan", "foto", "upload")),
    ("Resultaat en afsluiten", ("resultaat", "afsluit", "afgesloten", "heropen", "besluit")),
    ("Statussen", ("status", "in behandeling", "stap")),
    ("Termijnen", ("termijn", "verleng", "deadline", "op tijd")),
    ("Zoeken en terugvinden", ("zoek", "vind", "terugvind", "filter", "overzicht")),
    ("Toewijzen en rechten", ("toewijz", "wijs", "collega", "rechten", "zie ik", "andere afdeling", "autorisatie")),
    ("Registreren", ("registr", "telefo", "aanmaken", "nieuwe zaak")),
)
OVERIG_THEMA = "Overige vragen"


def thema(vraag: str) -> str:
    """The FAQ topic of one question (:data:`THEMAS`), or :data:`OVERIG_THEMA`."""
    tekst = str(vraag).lower()
    for naam, woorden in THEMAS:
        if any(w in tekst for w in woorden):
            return naam
    return OVERIG_THEMA


def _vragen(activiteiten: pd.DataFrame, periode: str, afdeling: str, maanden: int) -> pd.DataFrame:
    mp = periode_index(periode)
    a = _afdeling(activiteiten, afdeling)
    m = maand_index(a["datum"])
    a = a[(a["soort"] == "inloopspreekuur") & a["vraag"].notna() & (m > mp - maanden) & (m <= mp)]
    # The same question written with other spaces or capitals is the same question.
    return a.assign(_vraag=a["vraag"].astype("str").str.strip().str.replace(r"\s+", " ", regex=True))


def vraag_onderwerpen(activiteiten: pd.DataFrame, periode: str, afdeling: str = ORGANISATIE,
                      maanden: int = 6) -> pd.DataFrame:
    """The drop-in hour's question topics of the last ``maanden`` months, most asked first.

    Returns
    -------
    DataFrame
        ``thema``, ``vragen`` (count), ``aandeel`` and ``voorbeeld`` (its most asked question; untrusted text).
    """
    a = _vragen(activiteiten, periode, afdeling, maanden)
    cols = ["thema", "vragen", "aandeel", "voorbeeld"]
    if not len(a):
        return pd.DataFrame({c: [] for c in cols})
    a = a.assign(_thema=[thema(v) for v in a["_vraag"]])
    rows = []
    for naam, groep in a.groupby("_thema"):
        tel = groep["_vraag"].value_counts()
        top = sorted(tel.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        rows.append((str(naam), int(len(groep)), len(groep) / len(a), top))
    out = pd.DataFrame(rows, columns=cols)
    out["_o"] = out["thema"] == OVERIG_THEMA
    return out.sort_values(["_o", "vragen", "thema"], ascending=[True, False, True], kind="stable").drop(
        columns="_o").reset_index(drop=True)


def meest_gestelde_vragen(activiteiten: pd.DataFrame, periode: str, afdeling: str = ORGANISATIE,
                          maanden: int = 6, aantal: int = 10) -> pd.DataFrame:
    """The literal questions asked most often (``vraag`` as asked: untrusted text, ``aantal``, ``thema``)."""
    a = _vragen(activiteiten, periode, afdeling, maanden)
    tel = a["_vraag"].value_counts()
    rows = sorted(tel.items(), key=lambda kv: (-kv[1], kv[0]))[:aantal]
    return pd.DataFrame({"vraag": [v for v, _ in rows], "aantal": [int(n) for _, n in rows],
                         "thema": [thema(v) for v, _ in rows]}, columns=["vraag", "aantal", "thema"])


# --------------------------------------------------------------------------- lagging teams


def achterblijvers(g: Gegevens, periode: str, instellingen: Instellingen | None = None,
                   afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """Teams that lag behind the other teams and had no training or buddy yet, with a concrete suggestion.

    A team's *score* is the champion score's three percentages (``binnen_termijn``, ``volgens_werkwijze``,
    ``aandeel_actief``; :mod:`zgwlib.maandrapportage.champion`) over the last
    :attr:`Instellingen.achterstand_maanden` months (zaak shares weighted by closed zaken), for teams that handle
    zaken and closed at least :attr:`Instellingen.min_gesloten_achterstand` of them. It lags when the score is at
    least :attr:`Instellingen.achterstand_punten` points below the median team's (the median of every judged team
    of the organisation, so a department report compares with the same reference).

    Returns
    -------
    DataFrame
        ``afdeling``, ``team``, ``gesloten``, ``score``, ``score_mediaan``, ``zwakste`` (label of the part
        furthest below the median team), ``voorstel`` (``"training"`` or ``"buddy"``) and ``tekst`` (Dutch,
        plain text with names from the data); the furthest behind first.
    """
    inst = instellingen or Instellingen()
    cols = ["afdeling", "team", "gesloten", "score", "score_mediaan", "zwakste", "voorstel", "tekst"]
    teams = maandfiguren.maandcijfers(g.basis, periode, inst.achterstand_maanden, niveau="team")
    echte = {(a, t) for a, t in zip(_teams(g)["afdeling"], _teams(g)["team"], strict=True)}
    delen = ("binnen_termijn", "volgens_werkwijze", "aandeel_actief")
    per = []
    for (a, t), groep in teams.groupby(["afdeling", "team"], sort=True):
        gesl = int(groep["gesloten"].sum())
        if (a, t) not in echte or gesl < inst.min_gesloten_achterstand:
            continue
        w = groep["gesloten"].to_numpy(dtype="float64")
        d: dict[str, float] = {}
        for col in delen[:2]:
            v = groep[col].to_numpy(dtype="float64")
            ok = ~np.isnan(v) & (w > 0)
            d[col] = float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else math.nan
        act = groep["aandeel_actief"].to_numpy(dtype="float64")
        d["aandeel_actief"] = float(np.nanmean(act)) if (~np.isnan(act)).any() else math.nan
        per.append({"afdeling": a, "team": t, "gesloten": gesl, **d,
                    "score": 100 * float(np.nanmean([d[k] for k in delen]))})
    if not per:
        return pd.DataFrame({c: [] for c in cols})
    frame = pd.DataFrame(per)
    ref = {k: float(frame[k].median()) for k in (*delen, "score")}
    gehad = team_acties(g, _tot(periode))
    gehad = set(zip(gehad["afdeling"], gehad["team"], strict=True))
    rows = []
    for r in _afdeling(frame, afdeling).itertuples(index=False):
        d = r._asdict()
        if (r.afdeling, r.team) in gehad or not r.score <= ref["score"] - inst.achterstand_punten:
            continue
        achter = {k: ref[k] - d[k] for k in delen if not math.isnan(d[k])}
        zwakst = max(achter, key=lambda k: achter[k])
        voorstel = "training" if zwakst == "aandeel_actief" else "buddy"
        label = maandfiguren.FIGUREN[zwakst].label.lower()
        if voorstel == "training":
            advies = ("plan een korte training in een kleine groep (VNG-tip 6), zodat iedereen het zaaksysteem "
                      "dagelijks gebruikt")
        else:
            advies = ("koppel het team aan een key-user als buddy (VNG-tip 7), die een paar weken meekijkt bij het "
                      "registreren en afsluiten van zaken")
        tekst = (f"Team {r.team} ({r.afdeling}) scoort {nl.getal(r.score, 0)} tegen {nl.getal(ref['score'], 0)} voor "
                 f"het middelste team en had nog geen training of buddy. Het grootste verschil zit in ‘{label}’ "
                 f"({nl.procent(d[zwakst], 0)} tegen {nl.procent(ref[zwakst], 0)}): {advies}.")
        rows.append({"afdeling": r.afdeling, "team": r.team, "gesloten": r.gesloten, "score": r.score,
                     "score_mediaan": ref["score"], "zwakste": label, "voorstel": voorstel, "tekst": tekst})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["score", "afdeling", "team"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- key-user agenda


def volgend_overleg(g: Gegevens, periode: str, instellingen: Instellingen | None = None) -> pd.Timestamp | None:
    """The key-user meeting in the month after ``periode`` (when the monthly run happens), or None.

    Meetings are every :attr:`Instellingen.keyuser_interval_weken` weeks from the latest ``keyuser_overleg``
    recorded up to the end of ``periode``, else from the go-live date.
    """
    inst = instellingen or Instellingen()
    tot = _tot(periode)
    a = g.activiteiten
    eerder = a.loc[(a["soort"] == "keyuser_overleg") & (a["datum"] <= tot), "datum"]
    dag = g.basis.meta.get("invoeringsdatum")
    if len(eerder):
        anker = pd.Timestamp(eerder.max())
    elif dag:
        anker = pd.Timestamp(str(dag)[:10])
    else:
        return None
    stap = pd.Timedelta(weeks=inst.keyuser_interval_weken)
    begin, eind = tot + pd.Timedelta(days=1), maand_einde(periode_tekst(periode_index(periode) + 1)).normalize()
    k = math.ceil((begin - anker) / stap)
    dag = anker + k * stap
    return dag if begin <= dag <= eind else None


def _rijen(frame: pd.DataFrame, kolommen: dict[str, Any]) -> list[list[str]]:
    out = []
    for row in frame.itertuples(index=False):
        d = row._asdict()
        out.append([fmt(d[c]) if fmt else str(d[c]) for c, (_, fmt) in kolommen.items()])
    return out


def _pct(v: Any) -> str:
    # One decimal: a zaaktype listed for "more than 5%" must not show "5%".
    return nl.procent(v, 1)


def _getal(v: Any) -> str:
    return nl.getal(v)


def _datum(v: Any) -> str:
    return "nooit" if v is None or pd.isna(v) else nl.datum(v)


def keyuser_agenda(g: Gegevens, periode: str, instellingen: Instellingen | None = None) -> list[dict[str, Any]]:
    """The agenda items of a key-user meeting, drawn from the exploration's catalogue findings (VNG tip 9).

    Over the last :attr:`Instellingen.agenda_maanden` months up to ``periode``: zaaktypen without zaken; document
    types never used (with the catalogue), not used any more, or rarely used; zaaktypen whose closed zaken often
    lack documents or a resultaat; statuses that are often skipped. Each item carries the figure behind it.

    Without document data (``meta.json`` ``"documenten_bron": "geen"``) the document types' use is unknown: that item
    says so (``cijfer`` "geen documentgegevens", ``rijen`` None), instead of listing every type of the catalogue as
    never used; the zaaktypen item asks only about the resultaat and says why.

    Returns
    -------
    list of dict
        ``titel``, ``cijfer`` (the headline number, Dutch), ``toelichting``, ``kolommen`` (headings) and ``rijen``
        (rows of formatted cells; names from the data, escape them when shown; None: unknown, which is not "none
        found"). JSON-serialisable.
    """
    inst = instellingen or Instellingen()
    snap = g.snapshot
    peil = _tot(periode)
    maanden = inst.agenda_maanden
    van = maand_einde(periode_tekst(periode_index(periode) - maanden)).normalize() + pd.Timedelta(days=1)
    zaken = snap.zaken[snap.zaken["registratiedatum"] <= peil]
    docs = snap.documenten[snap.documenten["creatiedatum"] <= peil]
    items: list[dict[str, Any]] = []
    periode_tekst_nl = f"{nl.datum(van)} tot en met {nl.datum(peil)}"

    leeg = catalogue.zaaktypen_zonder_zaken(zaken, snap.zaaktypen, peil, maanden)
    kol = {"identificatie": ("Zaaktype", None), "omschrijving": ("Omschrijving", None), "afdeling": ("Afdeling", None),
           "zaken_totaal": ("Zaken ooit", _getal), "laatste_registratie": ("Laatste zaak", _datum)}
    items.append({"titel": "Zaaktypen zonder zaken", "cijfer": nl.getal(len(leeg)),
                  "toelichting": f"Zaaktypen zonder één geregistreerde zaak van {periode_tekst_nl}: beëindigen, of "
                                 "gaat dit werk buiten het zaaksysteem om?",
                  "kolommen": [h for h, _ in kol.values()], "rijen": _rijen(leeg, kol)})

    items.append(_documenttypen_item(g, docs, peil, inst, periode_tekst_nl))
    items.append(_onvolledig_item(g, peil, inst, periode_tekst_nl))

    rows = []
    recent = zaken[(zaken["registratiedatum"] >= van)]
    st = snap.statussen
    for zt, groep in recent.groupby("zaaktype", sort=True):
        if not len(groep):
            continue
        log = process.event_log(st, groep)
        ov = process.overgeslagen_stappen(log)
        for r in ov.itertuples(index=False):
            echte = r.overgeslagen - r.zonder_tussenstatus  # registered afterwards skips everything: not this
            voorbij = r.overgeslagen / r.aandeel if r.aandeel else 0
            aandeel = echte / voorbij if voorbij else 0.0
            if aandeel > inst.overgeslagen_drempel:
                rows.append((str(zt), str(r.statustype), int(echte), aandeel))
    rows.sort(key=lambda x: (-x[3], x[0], x[1]))
    items.append({"titel": "Statussen die vaak worden overgeslagen", "cijfer": nl.getal(len(rows)),
                  "toelichting": f"Zaken (geregistreerd van {periode_tekst_nl}) die verder kwamen zonder deze "
                                 f"status, meer dan {nl.procent(inst.overgeslagen_drempel, 0)}: is de stap nodig, "
                                 "of wordt hij vergeten?",
                  "kolommen": ["Zaaktype", "Status", "Overgeslagen", "Aandeel"],
                  "rijen": [[a, b, nl.getal(c), nl.procent(d, 0)] for a, b, c, d in rows]})
    return items


def _documenttypen_item(g: Gegevens, docs: pd.DataFrame, peil: pd.Timestamp, inst: Instellingen,
                        periode_tekst_nl: str) -> dict[str, Any]:
    """The agenda item about document types never, no longer or rarely used; unknown without document data."""
    snap, maanden = g.snapshot, inst.agenda_maanden
    item: dict[str, Any] = {
        "titel": "Documenttypen die (bijna) niet worden gebruikt",
        "kolommen": ["Documenttype", "Gebruik", f"Documenten ({maanden} mnd)", "Laatst gebruikt"]}
    gebruik = catalogue.documenttypen(docs, peil, maanden, g.basis.documentgegevens)
    if gebruik is None:  # no document data: every type of the catalogue would look never used
        return {**item, "cijfer": "geen documentgegevens", "rijen": None, "toelichting": style.make_document_note(
            g.basis.meta, "Welke documenttypen (bijna) niet worden gebruikt, is daarom niet te zien.")}
    rows = []
    if catalogue.heeft_catalogus(snap.tables.get("informatieobjecttypen")):
        nooit = catalogue.documenttypen_nooit_gebruikt(docs, snap.informatieobjecttypen, peil)
        rows += [[str(o), "nooit gebruikt", "0", "nooit"] for o in nooit["omschrijving"]]
    weinig = gebruik[gebruik["recent"] < inst.zelden_documenten]
    for r in weinig.itertuples(index=False):
        rows.append([str(r.informatieobjecttype), "niet meer gebruikt" if r.recent == 0 else "zelden gebruikt",
                     nl.getal(r.recent), _datum(r.laatste_gebruik)])
    return {**item, "cijfer": nl.getal(len(rows)), "rijen": rows,
            "toelichting": f"Documenttypen met minder dan {inst.zelden_documenten} documenten van "
                           f"{periode_tekst_nl}: opruimen, samenvoegen of uitleggen?"}


def _onvolledig_item(g: Gegevens, peil: pd.Timestamp, inst: Instellingen, periode_tekst_nl: str) -> dict[str, Any]:
    """The agenda item about zaaktypen whose closed zaken often lack documents or a resultaat; without document data
    only the resultaat, and it says why."""
    snap, documentgegevens = g.snapshot, g.basis.documentgegevens
    drempel = nl.procent(inst.onvolledig_drempel, 0)
    onv = catalogue.zaaktypen_onvolledig(snap.zaken, snap.documenten, snap.zaaktypen, peil, inst.agenda_maanden,
                                         inst.onvolledig_drempel, documentgegevens=documentgegevens)
    onv = onv[onv["meestal_zonder_documenten"] | onv["meestal_zonder_resultaat"]]
    kol = {"identificatie": ("Zaaktype", None), "omschrijving": ("Omschrijving", None),
           "gesloten": ("Afgesloten", _getal), "aandeel_zonder_documenten": ("Zonder documenten", _pct),
           "aandeel_zonder_resultaat": ("Zonder resultaat", _pct)}
    if documentgegevens:
        titel = "Zaaktypen die vaak zonder documenten of resultaat worden afgesloten"
        toelichting = (f"Zaaktypen waarvan meer dan {drempel} van de afgesloten zaken ({periode_tekst_nl}) geen "
                       f"documenten had, of meer dan {drempel} geen resultaat: past het zaaktype of de sjabloon bij "
                       "het werk?")
    else:  # unknown for every zaaktype, never 100%: the column goes, the question asks about the resultaat alone
        del kol["aandeel_zonder_documenten"]
        titel = "Zaaktypen die vaak zonder resultaat worden afgesloten"
        toelichting = (f"Zaaktypen waarvan meer dan {drempel} van de afgesloten zaken ({periode_tekst_nl}) geen "
                       "resultaat had: past het zaaktype of de sjabloon bij het werk? " + (style.make_document_note(
                           g.basis.meta, "Of ze vaak zonder documenten worden afgesloten, is daarom niet te zien.") or ""))
    return {"titel": titel, "cijfer": nl.getal(len(onv)), "toelichting": toelichting,
            "kolommen": [h for h, _ in kol.values()], "rijen": _rijen(onv, kol)}


def make_agenda_summary(g: Gegevens, periode: str, instellingen: Instellingen | None = None) -> dict[str, Any] | None:
    """What the publisher needs to write ``keyuser-overleg.html``, or None when no meeting falls in the next month."""
    dag = volgend_overleg(g, periode, instellingen)
    if dag is None:
        return None
    return {"datum": dag.date().isoformat(), "periode": periode, "gemeente": g.basis.meta.get("gemeente"),
            "items": keyuser_agenda(g, periode, instellingen)}


#: Characters of a question shown at most in a table (a question is up to 300 characters).
MAX_VRAAG = 160


def kort(tekst: Any, n: int = MAX_VRAAG) -> str:
    """A long free text cut to ``n`` characters with an ellipsis (still untrusted: escape when shown)."""
    s = re.sub(r"\s+", " ", str(tekst)).strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"
