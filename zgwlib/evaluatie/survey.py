"""The staff survey (medewerkersenquête): nulmeting against evaluatie, on a 5-point scale.

Per statement the distribution of the answers, the mean, the share that agrees
(4 or 5) and the shift of the mean with a bootstrap interval, for the whole
organisation and per afdeling. For privacy an afdeling is shown on its own only
with at least ``min_respondenten`` respondents in every round; smaller ones are
merged into :data:`OVERIGE` (and when that group is still too small, the
smallest afdeling joins it). Definitions: ``docs/metrics.md``, section *Evaluatie*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zgwlib.data import contract
from zgwlib.evaluatie.bootstrap import GEEN_VERSCHIL, bootstrap_verschil
from zgwlib.core.terms import ORGANISATIE

#: The group of the afdelingen too small to be shown on their own.
OVERIGE = "Overige afdelingen"
#: The two rounds, in order (the contract's allowed values of ``meting``).
NULMETING, EVALUATIE = contract.ENQUETE_METING
#: Verdicts on a shift (and :data:`zgwlib.evaluatie.bootstrap.GEEN_VERSCHIL`).
POSITIEVER, NEGATIEVER = "positiever", "negatiever"


def enquete_groepen(enquete: pd.DataFrame, min_respondenten: int = 5) -> dict[str, str]:
    """Map each afdeling to the group it is shown in: itself, or :data:`OVERIGE` when too small.

    An afdeling stands alone only with at least ``min_respondenten`` distinct
    respondents in every round present. When the merged group is itself too
    small in some round, the smallest afdeling joins it, and so on, so no group
    shown has fewer respondents than the minimum (unless the whole
    organisation has).
    """
    if enquete.empty:
        return {}
    n = enquete.groupby(["afdeling", "meting"])["respondent"].nunique().unstack(fill_value=0)
    kleinste = n.min(axis=1)
    groep = {str(a): (str(a) if kleinste[a] >= min_respondenten else OVERIGE) for a in n.index}
    while True:
        overig = [a for a, g in groep.items() if g == OVERIGE]
        if not overig or n.loc[overig].sum(axis=0).min() >= min_respondenten:
            break
        los = [a for a, g in groep.items() if g != OVERIGE]
        if not los:
            break
        groep[min(los, key=lambda a: (kleinste[a], a))] = OVERIGE
    return groep


@dataclass
class Enquete:
    """The staff survey, nulmeting against evaluatie.

    Attributes
    ----------
    groepen : dict
        Afdeling to shown group (:func:`enquete_groepen`).
    verdeling : DataFrame
        ``groep`` (``organisatie``, an afdeling or :data:`OVERIGE`), ``vraag``,
        ``meting``, ``respondenten``, ``score_1`` .. ``score_5`` (shares),
        ``gemiddelde``, ``aandeel_eens`` (4 or 5).
    verschuiving : DataFrame
        ``groep``, ``vraag``, ``gemiddelde_nulmeting``, ``gemiddelde_evaluatie``,
        ``verschil``, ``laag``, ``hoog``, ``eens_nulmeting``, ``eens_evaluatie``,
        ``oordeel`` (positiever, negatiever, geen aantoonbaar verschil).
    """

    groepen: dict[str, str]
    verdeling: pd.DataFrame
    verschuiving: pd.DataFrame

    @property
    def leeg(self) -> bool:
        """Whether there are no survey answers."""
        return self.verdeling.empty

    def groep_van(self, afdeling: str) -> str:
        """The group an afdeling's answers are shown in (``organisatie`` for the organisation)."""
        return ORGANISATIE if afdeling == ORGANISATIE else self.groepen.get(afdeling, OVERIGE)


def enquete(
    tabel: pd.DataFrame,
    min_respondenten: int = 5,
    *,
    trekkingen: int = 2000,
    betrouwbaarheid: float = 0.95,
    seed: int | None = 2026,
) -> Enquete:
    """Distribution, mean and shift per question, for the organisation and per group (privacy-merged).

    Parameters
    ----------
    tabel : DataFrame
        The ``enquete`` table (may be empty).
    min_respondenten : int
        Respondents a group needs in every round to be shown (:func:`enquete_groepen`).
    trekkingen, betrouwbaarheid, seed
        Of the bootstrap interval of each shift (:func:`zgwlib.evaluatie.bootstrap.bootstrap_verschil`).
    """
    groepen = enquete_groepen(tabel, min_respondenten)
    if tabel.empty:
        return Enquete(groepen, pd.DataFrame(), pd.DataFrame())
    e = tabel.assign(groep=tabel["afdeling"].astype("str").map(groepen), score=tabel["score"].astype("float64"))
    e = pd.concat([e.assign(groep=ORGANISATIE), e], ignore_index=True)
    vragen = list(dict.fromkeys(tabel["vraag"].astype("str")))  # as asked, not alphabetical
    volgorde = [ORGANISATIE] + sorted({g for g in groepen.values() if g != OVERIGE}, key=str.lower) + (
        [OVERIGE] if OVERIGE in groepen.values() else [])
    rows, shifts = [], []
    rng = np.random.default_rng(seed)
    delen = {k: d for k, d in e.groupby(["groep", "vraag", "meting"], sort=False)}
    for g in volgorde:
        for vraag in vragen:
            per: dict[str, np.ndarray] = {}
            for meting in (NULMETING, EVALUATIE):
                s = delen.get((g, vraag, meting))
                if s is None or s.empty:
                    continue
                scores = s["score"].to_numpy()
                per[meting] = scores
                telling = np.bincount(scores.astype(int), minlength=6)[1:6] / len(scores)
                rows.append({"groep": g, "vraag": vraag, "meting": meting,
                             "respondenten": int(s["respondent"].nunique()),
                             **{f"score_{i}": telling[i - 1] for i in range(1, 6)},
                             "gemiddelde": float(scores.mean()), "aandeel_eens": float((scores >= 4).mean())})
            if len(per) == 2:
                v = bootstrap_verschil(per[NULMETING], per[EVALUATIE], "gemiddelde", trekkingen=trekkingen,
                                       betrouwbaarheid=betrouwbaarheid, rng=rng)
                shifts.append({"groep": g, "vraag": vraag, "gemiddelde_nulmeting": v.voor,
                               "gemiddelde_evaluatie": v.na, "verschil": v.verschil, "laag": v.laag, "hoog": v.hoog,
                               "eens_nulmeting": float((per[NULMETING] >= 4).mean()),
                               "eens_evaluatie": float((per[EVALUATIE] >= 4).mean()),
                               "oordeel": {1: POSITIEVER, -1: NEGATIEVER}.get(v.richting, GEEN_VERSCHIL)})
    return Enquete(groepen, pd.DataFrame(rows), pd.DataFrame(shifts))
