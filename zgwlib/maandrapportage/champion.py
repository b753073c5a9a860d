"""The "Zaakgericht werken Kampioen" of the month (VNG tip 1): a transparent, size-independent score.

The score is the average of three percentages of the month, each "higher is
better" and none a volume, so a small department can win (definition also in
``docs/metrics.md``, section *Kampioen van de maand*):

1. ``binnen_termijn``: closed zaken closed within the legal term;
2. ``volgens_werkwijze``: closed zaken closed according to the way of working
   (documents, behandelaar, resultaat, and not registered afterwards);
3. ``aandeel_actief``: staff who used the zaaksysteem in the month.

When a percentage cannot be computed (no zaak had a legal term; without
document data ``volgens_werkwijze`` never), the score is the average of the others. A department (or team) competes only with at least
:attr:`~zgwlib.maandrapportage.figures.Instellingen.min_gesloten_kampioen` closed zaken in the
month and at least one member of staff; otherwise it is listed with the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.terms import GEEN_TEAM, ORGANISATIE
from zgwlib.maandrapportage.figures import FIGUREN, Instellingen

#: The parts of the score, in order.
ONDERDELEN = ("binnen_termijn", "volgens_werkwijze", "aandeel_actief")


def kampioen_scores(
    tabel: pd.DataFrame, periode: str, instellingen: Instellingen | None = None, afdeling: str | None = None
) -> pd.DataFrame:
    """Rank departments (or the teams of one department) on the champion score.

    Parameters
    ----------
    tabel : DataFrame
        :func:`zgwlib.maandrapportage.figures.maandcijfers` with ``niveau="afdeling"`` (ranks
        departments) or ``niveau="team"`` (ranks teams; pass ``afdeling``).
    periode : str
        The month ``YYYY-MM``.
    afdeling : str, optional
        With a team table: the department whose teams are ranked.

    Returns
    -------
    DataFrame
        ``naam`` (department or team), ``gesloten``, ``medewerkers``, the three
        :data:`ONDERDELEN`, ``score`` (0..100), ``rang`` (1 = champion; equal
        scores share a rank) and ``uitgesloten`` (reason in Dutch, empty when
        ranked). Ranked rows first, best first; then the excluded ones.
    """
    inst = instellingen or Instellingen()
    rows = tabel[tabel["maand"] == periode]
    if "team" in rows:
        if afdeling is not None:
            rows = rows[rows["afdeling"] == afdeling]
        naam = rows["team"]
    else:
        rows = rows[rows["afdeling"] != ORGANISATIE]
        naam = rows["afdeling"]
    out = pd.DataFrame({"naam": naam.astype("str").to_numpy(), "gesloten": rows["gesloten"].to_numpy(),
                        "medewerkers": rows["medewerkers"].to_numpy()})
    for part in ONDERDELEN:
        out[part] = rows[part].to_numpy(dtype="float64")
    parts = out[list(ONDERDELEN)]
    out["score"] = 100 * parts.mean(axis=1, skipna=True)
    reden = np.full(len(out), "", dtype=object)
    reden[(out["naam"] == GEEN_TEAM).to_numpy()] = "medewerkers zonder team"
    weinig = (out["gesloten"] < inst.min_gesloten_kampioen).to_numpy()
    reden[(reden == "") & weinig] = [
        f"te weinig afgesloten zaken ({nl.getal(n)}, minimaal {inst.min_gesloten_kampioen})"
        for n in out.loc[(reden == "") & weinig, "gesloten"]
    ]
    reden[(reden == "") & (out["medewerkers"] == 0).to_numpy()] = "geen medewerkers in de gegevens"
    out["uitgesloten"] = reden
    mee = out["uitgesloten"] == ""
    out.loc[~mee, "score"] = np.nan
    out["rang"] = out["score"].round(6).rank(method="min", ascending=False).astype("Int64")
    out["_mee"] = ~mee
    out = out.sort_values(["_mee", "score", "naam"], ascending=[True, False, True], kind="stable",
                          key=lambda s: s.str.lower() if s.name == "naam" else s)
    return out.drop(columns="_mee").reset_index(drop=True)


def kampioen(scores: pd.DataFrame) -> list[str]:
    """The champion(s): every name with rank 1 (several on an exact tie), empty when nobody competed."""
    return [str(n) for n in scores.loc[scores["rang"] == 1, "naam"]]


def uitleg(instellingen: Instellingen | None = None, documentgegevens: bool = True) -> str:
    """How the score works, in Dutch, for the report (plain text).

    ``documentgegevens`` False (the snapshot has none): it also says that
    ``volgens_werkwijze`` cannot count, so the score is the average of the other two.
    """
    inst = instellingen or Instellingen()
    namen = ", ".join(f"‘{FIGUREN[p].label.lower()}’" for p in ONDERDELEN)
    zonder = ("" if documentgegevens else
              f" Deze gegevens bevatten geen documentgegevens, dus ‘{FIGUREN['volgens_werkwijze'].label.lower()}’ "
              "is onbekend en telt niet mee: de score is het gemiddelde van de andere twee.")
    return (
        f"De kampioensscore is het gemiddelde van drie percentages van deze maand: {namen}. "
        "Het zijn allemaal percentages, geen aantallen, zodat een kleine afdeling even goed kan winnen als een "
        "grote. Ontbreekt een percentage (bijvoorbeeld omdat geen enkele zaak een wettelijke termijn had), dan telt "
        "het gemiddelde van de andere. Wie minder dan "
        f"{inst.min_gesloten_kampioen} zaken afsloot of geen medewerkers heeft, doet deze maand niet mee.{zonder}"
    )
