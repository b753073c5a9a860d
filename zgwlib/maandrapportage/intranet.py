"""The month's intranet piece (VNG tip 8): champion, tip, new milestones and the team that improved most.

The organisation's monthly report puts :func:`make_intranet_piece` in its summary; ``zgw run`` then writes
``<periode>/intranet.html`` and ``intranet.md`` from it (:mod:`zgwlib.publish.intranet`), so the publisher never
needs this report's figures. Every text here is plain text; names in it come from the data and are escaped where
the piece is rendered.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.periods import periode_index, periode_tekst
from zgwlib.core.terms import GEEN_TEAM, ORGANISATIE
from zgwlib.maandrapportage import champion, milestones, signals
from zgwlib.maandrapportage.figures import Maand

#: Months before the report month whose average score a team's score this month is compared with.
VERGELIJK_MAANDEN = 3


def team_scores(maand: Maand) -> pd.DataFrame:
    """Per team and month of the window: the champion score (``score``, NaN when the team did not compete)."""
    t = maand.teams
    inst = maand.instellingen
    parts = t[list(champion.ONDERDELEN)].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        score = 100 * np.nanmean(np.where(np.isnan(parts), np.nan, parts), axis=1) if len(t) else np.zeros(0)
    mee = (t["gesloten"].to_numpy() >= inst.min_gesloten_kampioen) & (t["medewerkers"].to_numpy() > 0)
    mee &= (t["team"] != GEEN_TEAM).to_numpy()
    return t[["afdeling", "team", "maand"]].assign(score=np.where(mee, score, np.nan))


def spotlight(maand: Maand) -> dict[str, Any] | None:
    """The team whose champion score rose most: this month against its average of the three months before.

    A team counts when it competed this month and in at least one of those months. None when no team did, or when
    no team improved.
    """
    s = team_scores(maand)
    m = periode_index(maand.periode)
    eerder = {periode_tekst(i) for i in range(m - VERGELIJK_MAANDEN, m)}
    nu = s[s["maand"] == maand.periode].set_index(["afdeling", "team"])["score"].dropna()
    voor = s[s["maand"].isin(eerder)].groupby(["afdeling", "team"])["score"].mean().dropna()
    beide = nu.index.intersection(voor.index)
    if not len(beide):
        return None
    winst = (nu[beide] - voor[beide]).sort_index()
    beste = winst.idxmax()
    if not winst[beste] > 0:
        return None
    afd, team = beste
    return {
        "afdeling": str(afd), "team": str(team), "van": round(float(voor[beste]), 1), "naar": round(float(nu[beste]), 1),
        "tekst": f"Team {team} van {afd} verbeterde het meest: de kampioensscore steeg van "
                 f"{nl.getal(voor[beste], 0)} (gemiddeld in de drie maanden ervoor) naar {nl.getal(nu[beste], 0)} in "
                 f"{nl.maand(maand.periode)}.",
    }


def make_intranet_piece(maand: Maand) -> dict[str, Any]:
    """What the month's intranet article needs, JSON-serialisable (plain texts; names from the data).

    Keys: ``periode``, ``gemeente``, ``kampioen`` (department names; empty when nobody competed),
    ``kampioen_score`` (rounded), ``tip`` (the month's most important tip of the whole organisation, or None),
    ``mijlpalen`` (texts of the recent milestones, newest first) and ``spotlight`` (:func:`spotlight`, or None).
    """
    inst = maand.instellingen
    scores = champion.kampioen_scores(maand.tabel, maand.periode, inst)
    winnaars = champion.kampioen(scores)
    score = scores.loc[scores["rang"] == 1, "score"]
    tips = signals.tips(maand, ORGANISATIE)
    recent, _ = milestones.overzicht(milestones.mijlpalen(maand.basis, maand.periode, ORGANISATIE, inst))
    beste = float(score.iloc[0]) if len(score) else math.nan
    return {
        "periode": maand.periode,
        "gemeente": maand.basis.meta.get("gemeente"),
        "kampioen": winnaars,
        "kampioen_score": None if math.isnan(beste) else round(beste, 1),
        "tip": str(tips["tekst"].iloc[0]) if len(tips) else None,
        "mijlpalen": [str(t) for t in recent["tekst"]],
        "spotlight": spotlight(maand),
    }
