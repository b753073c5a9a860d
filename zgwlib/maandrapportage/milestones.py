"""Mijlpalen (VNG tip 11: "vier successen"): milestones of the organisation or of one department.

Four kinds, each defined once here and in ``docs/metrics.md`` (section
*Maandrapportage*, *Mijlpalen*):

* ``zaken``: the 10,000th zaak (and every further 10,000th) in order of
  (``registratiedatum``, ``identificatie``), dated by its registratiedatum;
* ``gebruikers``: the 250th user (and every further 250th) in order of
  (first day, ``identificatie``); the first day is ``actief_sinds``, or, when
  that is empty, the day of the first status the person set;
* ``halvering``: a zaaktype whose median doorlooptijd halved: the first month
  ``M`` in which the zaken closed in ``M`` and the two months before have a
  median doorlooptijd of at most :attr:`~zgwlib.maandrapportage.figures.Instellingen.halvering_factor`
  times that of the zaken closed in the first three months after the go-live
  (the go-live month and the two after it); both windows need
  :attr:`~zgwlib.maandrapportage.figures.Instellingen.halvering_min_zaken` closed zaken and may
  not overlap;
* ``archief``: the first zaak completely archived: ``archiefstatus``
  ``gearchiveerd``, at least one document and a resultaat; the first in order
  of (``einddatum``, ``identificatie``), dated by its einddatum (the data holds
  no archiving date, so this is the earliest day it can have been archived;
  without document data it cannot be known, so there is none);
* ``digitaal``: the first month a department (and the organisation) reached
  :attr:`~zgwlib.maandrapportage.figures.Instellingen.mijlpaal_digitaal` digital intake, after a counted month
  below it (:func:`zgwlib.maandrapportage.service.eerste_maand_digitaal`), dated by the month's last day. The
  organisation's report lists it for every department.

Only milestones reached by the end of the report month count; one is *recent*
when it was reached in the report month or the
:attr:`~zgwlib.maandrapportage.figures.Instellingen.mijlpalen_maanden` - 1 months before it.
For one department everything is counted within it: its zaken, its staff, its
go-live (``meta.json`` ``invoering_per_afdeling``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from zgwlib.core import nl
from zgwlib.maandrapportage.figures import Basis, Instellingen
from zgwlib.maandrapportage.service import eerste_maand_digitaal
from zgwlib.core.periods import maand_einde, maand_index, periode_index, periode_tekst
from zgwlib.core.terms import ORGANISATIE

#: The kinds of milestone, in the order the report names them.
SOORTEN = ("zaken", "gebruikers", "halvering", "archief", "digitaal")

#: Months in the start window and in each later window of the halving.
VENSTER = 3

#: Columns of :func:`mijlpalen`.
KOLOMMEN = ("soort", "nummer", "datum", "maand", "recent", "afdeling", "zaaktype", "identificatie", "medewerker",
            "start_mediaan", "mediaan", "start_maand", "tekst")


# --------------------------------------------------------------------------- the k-th in a sorted order


def kde(datums: pd.Series | np.ndarray, ids: pd.Series | np.ndarray, stap: int,
        tot: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every ``stap``-th item in order of (day, identificatie): the 10,000th zaak, the 250th user.

    Parameters
    ----------
    datums : dates
        The day of each item (time of day ignored); missing dates never count.
    ids : texts
        The identificatie of each item (ties on a day are broken by it).
    stap : int
        Every this many items is a milestone.
    tot : Timestamp, optional
        Only items dated on or before this day count.

    Returns
    -------
    DataFrame
        ``nummer`` (``stap``, ``2 * stap``, ...), ``datum`` and ``positie`` (the
        row of the item in the input), oldest first.
    """
    days = np.asarray(datums, dtype="datetime64[us]").astype("datetime64[D]")
    keep = ~np.isnat(days)
    if tot is not None:
        keep &= days <= np.datetime64(pd.Timestamp(tot).date(), "D")
    rows = np.flatnonzero(keep)
    d = days[rows].astype(np.int64)
    n = len(rows) // stap
    if n == 0:
        return pd.DataFrame({"nummer": pd.Series(dtype="int64"), "datum": pd.Series(dtype="datetime64[us]"),
                             "positie": pd.Series(dtype="int64")})
    order = np.argsort(d, kind="stable")
    sd = d[order]
    nummers = np.arange(1, n + 1, dtype=np.int64) * stap
    # Ties within a day go by identificatie: sort only the items of the days that hold a milestone (one take,
    # one Arrow sort), never all the texts.
    dagen = np.unique(sd[nummers - 1])
    lo, hi = np.searchsorted(sd, dagen, "left"), np.searchsorted(sd, dagen, "right")
    kand = np.concatenate([rows[order[a:b]] for a, b in zip(lo, hi)])
    groep = np.repeat(np.arange(len(dagen)), hi - lo)
    id_s = ids if isinstance(ids, pd.Series) else pd.Series(ids)
    tekst = pa.array(id_s.iloc[kand].astype("str"), from_pandas=True)
    gesorteerd = pc.sort_indices(pa.table({"g": groep, "id": tekst}),
                                 sort_keys=[("g", "ascending"), ("id", "ascending")]).to_numpy()
    start = np.concatenate([[0], np.cumsum(hi - lo)[:-1]])  # where each day begins among the candidates
    i = np.searchsorted(dagen, sd[nummers - 1])
    posities = kand[gesorteerd[start[i] + (nummers - 1 - lo[i])]]
    datum = days[posities].astype("datetime64[us]")
    return pd.DataFrame({"nummer": nummers, "datum": datum, "positie": posities})


def eerste_dag(basis: Basis) -> pd.Series:
    """Each medewerker's first day in the zaaksysteem (aligned with ``basis.medewerkers``).

    ``actief_sinds``; when empty, the day of the first status the person set
    (``gezet_door``); NaT for someone who never used the system.
    """
    mw = basis.medewerkers
    first = mw["actief_sinds"].to_numpy(dtype="datetime64[us]").astype("datetime64[D]")
    leeg = np.isnat(first)
    if leeg.any() and len(basis.status_mw):
        who = basis.status_mw
        sel = (who >= 0) & leeg[np.where(who >= 0, who, 0)]
        if sel.any():
            when = basis.statussen["datum_status_gezet"].to_numpy(dtype="datetime64[us]")[sel]
            earliest = pd.Series(when).groupby(who[sel]).min()
            first = first.copy()
            first[earliest.index.to_numpy()] = earliest.to_numpy(dtype="datetime64[us]").astype("datetime64[D]")
    return pd.Series(first.astype("datetime64[us]"), index=mw.index, name="eerste_dag")


# --------------------------------------------------------------------------- halving


def invoering(basis: Basis, afdeling: str | None = None) -> pd.Timestamp | None:
    """The go-live of a department (``invoering_per_afdeling``), else of the organisation (``invoeringsdatum``)."""
    per = basis.meta.get("invoering_per_afdeling") or {}
    value = per.get(afdeling) if afdeling is not None and isinstance(per, dict) else None
    value = value or basis.meta.get("invoeringsdatum")
    return pd.Timestamp(str(value)[:10]) if value else None


def halvering(
    zaken: pd.DataFrame,
    golive: pd.Series,
    tot_maand: int,
    factor: float = 0.5,
    min_zaken: int = 10,
) -> pd.DataFrame:
    """Zaaktypes whose median doorlooptijd halved against their first three months after the go-live.

    Parameters
    ----------
    zaken : DataFrame
        Prepared zaken (:class:`~zgwlib.maandrapportage.figures.Basis`): ``zaaktype``,
        ``m_eind``, ``gesloten``, ``doorlooptijd``, ``m_reg``.
    golive : Series
        Month index of the go-live per zaaktype; a zaaktype missing here (or
        NaN) starts in the month of its first zaak.
    tot_maand : int
        Last month (month index) that counts.
    factor, min_zaken
        See :class:`~zgwlib.maandrapportage.figures.Instellingen` (``halvering_factor``,
        ``halvering_min_zaken``).

    Returns
    -------
    DataFrame
        One row per zaaktype that halved: ``zaaktype``, ``start_maand``,
        ``start_mediaan``, ``maand`` (first month whose window halved, month
        index), ``mediaan`` (median of that window), ``aantal`` (closed zaken in it).
    """
    zt = zaken["zaaktype"]
    if isinstance(zt.dtype, pd.CategoricalDtype):  # prepared zaken: integer codes, no text compared
        codes, namen = zt.cat.codes.to_numpy(), zt.cat.categories.astype("str")
    else:
        codes, namen = pd.factorize(zt.astype("str"))
    codes = np.asarray(codes, dtype=np.int64)
    m_eind = zaken["m_eind"].to_numpy()
    m_reg = zaken["m_reg"].to_numpy()
    closed = zaken["gesloten"].to_numpy(dtype=bool) & (m_eind <= tot_maand) & (codes >= 0)
    dlt = zaken["doorlooptijd"].to_numpy(dtype="float64")
    # First registration month per zaaktype, and the closed zaken sorted by (zaaktype, month of closing).
    first = np.full(len(namen), np.iinfo(np.int64).max)
    np.minimum.at(first, codes[codes >= 0], m_reg[codes >= 0])
    sel = np.flatnonzero(closed)
    sel = sel[np.lexsort((m_eind[sel], codes[sel]))]
    c_all, m_all, d_all = codes[sel], m_eind[sel], dlt[sel]
    rows = []
    for code in sorted(range(len(namen)), key=lambda i: str(namen[i])):
        z = str(namen[code])
        if first[code] == np.iinfo(np.int64).max:
            continue  # no zaak of this zaaktype here
        g = golive.get(z, np.nan)
        g = int(first[code]) if g is None or pd.isna(g) else int(g)
        lo, hi = np.searchsorted(c_all, code, "left"), np.searchsorted(c_all, code, "right")
        m, d = m_all[lo:hi], d_all[lo:hi]
        start = d[(m >= g) & (m < g + VENSTER)]
        if len(start) < min_zaken:
            continue
        start_med = float(np.median(start))
        # The later window may not overlap the start window: its first month is after g + VENSTER - 1.
        for month in range(g + 2 * VENSTER - 1, tot_maand + 1):
            lo, hi = np.searchsorted(m, month - VENSTER + 1, "left"), np.searchsorted(m, month, "right")
            if hi - lo < min_zaken:
                continue
            med = float(np.median(d[lo:hi]))
            if med <= factor * start_med:
                rows.append((z, g, start_med, month, med, int(hi - lo)))
                break
    return pd.DataFrame(rows, columns=["zaaktype", "start_maand", "start_mediaan", "maand", "mediaan", "aantal"])


# --------------------------------------------------------------------------- the report's milestones

#: Columns of the prepared zaken the milestones read.
_ZAAK_KOLOMMEN = ("identificatie", "zaaktype", "afdeling", "registratiedatum", "einddatum", "archiefstatus", "m_reg",
                  "m_eind", "gesloten", "doorlooptijd", "heeft_documenten", "heeft_resultaat")


def _ranglijst(n: int) -> str:
    return f"{nl.getal(n)}e"


def _maanden(m0: int, m1: int) -> str:
    a, b = periode_tekst(m0), periode_tekst(m1)
    if a[:4] == b[:4]:
        return f"{nl.MAANDEN[int(a[5:]) - 1]}–{nl.maand(b)}"
    return f"{nl.maand(a)}–{nl.maand(b)}"


def mijlpalen(
    basis: Basis,
    periode: str,
    afdeling: str = ORGANISATIE,
    instellingen: Instellingen | None = None,
    *,
    toon_namen: bool = False,
) -> pd.DataFrame:
    """Every milestone of the organisation (or one department) reached by the end of ``periode``.

    Parameters
    ----------
    basis : Basis
        From :func:`zgwlib.maandrapportage.figures.load` or :func:`~zgwlib.maandrapportage.figures.prepare`.
    periode : str
        The report month ``YYYY-MM``.
    afdeling : str
        A department, or ``"organisatie"``.
    instellingen : Instellingen, optional
        ``stap_zaken``, ``stap_gebruikers``, ``halvering_factor``,
        ``halvering_min_zaken``, ``mijlpalen_maanden``.
    toon_namen : bool
        Only then does the text of a user milestone name the person (name and
        identificatie) and is ``medewerker`` filled.

    Returns
    -------
    DataFrame
        Columns :data:`KOLOMMEN`: ``soort`` (:data:`SOORTEN`), ``nummer``
        (10,000, 250, ...; NA for the others), ``datum``, ``maand``
        (``YYYY-MM``), ``recent``, ``afdeling``, ``zaaktype``, ``identificatie``
        (the zaak), ``medewerker`` (only with ``toon_namen``), ``start_mediaan``
        and ``mediaan`` (days, halving), ``start_maand`` (``YYYY-MM``, halving)
        and ``tekst`` (plain Dutch; it holds zaaktype names, so escape it in
        HTML). Oldest first.
    """
    inst = instellingen or Instellingen()
    s = _scope(basis, periode, afdeling, inst)
    rows = [*_zaken_rijen(s), *_gebruiker_rijen(s, toon_namen), *_halvering_rijen(s, periode),
            *_archief_rijen(s), *_digitaal_rijen(s, periode)]
    return _tabel(rows, s)


@dataclass
class _Scope:
    """What every kind of milestone of one report looks at: the zaken and staff in scope, names, the month."""

    basis: Basis
    afdeling: str
    org: bool
    inst: Instellingen
    m1: int
    tot: pd.Timestamp
    z: pd.DataFrame
    eigen_mw: np.ndarray
    namen: pd.Series
    van: str


def _scope(basis: Basis, periode: str, afdeling: str, inst: Instellingen) -> _Scope:
    org = afdeling == ORGANISATIE
    z = basis.zaken[list(_ZAAK_KOLOMMEN)]
    if not org:
        z = z[(z["afdeling"] == afdeling).to_numpy()]
    mw = basis.medewerkers
    eigen_mw = np.ones(len(mw), dtype=bool) if org else (mw["afdeling"] == afdeling).to_numpy()
    namen = basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    return _Scope(basis, afdeling, org, inst, periode_index(periode), maand_einde(periode), z, eigen_mw, namen,
                  "" if org else " van de afdeling")


def _zaken_rijen(s: _Scope) -> list[dict[str, Any]]:
    """Every ``stap_zaken``-th zaak (the 10,000th, ...)."""
    rows = []
    for r in kde(s.z["registratiedatum"], s.z["identificatie"], s.inst.stap_zaken, s.tot).itertuples(index=False):
        zaak = s.z.iloc[int(r.positie)]
        zt = str(zaak["zaaktype"])
        rows.append({
            "soort": "zaken", "nummer": int(r.nummer), "datum": r.datum, "afdeling": str(zaak["afdeling"]),
            "zaaktype": zt, "identificatie": str(zaak["identificatie"]),
            "tekst": f"De {_ranglijst(int(r.nummer))} zaak{s.van}: {zaak['identificatie']} "
                     f"({s.namen.get(zt, zt)}, afdeling {zaak['afdeling']}), geregistreerd op {nl.datum(r.datum)}.",
        })
    return rows


def _gebruiker_rijen(s: _Scope, toon_namen: bool) -> list[dict[str, Any]]:
    """Every ``stap_gebruikers``-th user (the 250th, ...); the person only with ``toon_namen``."""
    staf = s.basis.medewerkers[s.eigen_mw]
    rows = []
    for r in kde(eerste_dag(s.basis)[s.eigen_mw], staf["identificatie"], s.inst.stap_gebruikers,
                 s.tot).itertuples(index=False):
        wie = staf.iloc[int(r.positie)]
        persoon = ""
        if toon_namen:
            naam = f"{wie['naam']} " if "naam" in staf and pd.notna(wie["naam"]) else ""
            persoon = f"{naam}({wie['identificatie']}), "
        rows.append({
            "soort": "gebruikers", "nummer": int(r.nummer), "datum": r.datum, "afdeling": str(wie["afdeling"]),
            "medewerker": str(wie["identificatie"]) if toon_namen else None,
            "tekst": f"De {_ranglijst(int(r.nummer))} gebruiker van het zaaksysteem{s.van}: {persoon}afdeling "
                     f"{wie['afdeling']}, begonnen op {nl.datum(r.datum)}.",
        })
    return rows


def _halvering_rijen(s: _Scope, periode: str) -> list[dict[str, Any]]:
    """Zaaktypen whose lead time halved since their first three months after the go-live."""
    # A zaaktype starts at the go-live of the department that owns it (of this department in its own report).
    owner = s.basis.zaaktypen.set_index("identificatie")["afdeling"].astype("str")
    if not s.org:
        owner = pd.Series(s.afdeling, index=owner.index, dtype="str")
    golive = {zt: invoering(s.basis, a) for zt, a in owner.items()}
    golive_m = pd.Series({k: (maand_index(np.array([v]))[0] if v is not None else np.nan) for k, v in golive.items()},
                         dtype="float64")
    rows = []
    for r in halvering(s.z, golive_m, s.m1, s.inst.halvering_factor,
                       s.inst.halvering_min_zaken).itertuples(index=False):
        naam = s.namen.get(r.zaaktype, r.zaaktype)
        rows.append({
            "soort": "halvering", "datum": maand_einde(periode_tekst(int(r.maand))),
            "afdeling": owner.get(r.zaaktype),
            "zaaktype": r.zaaktype, "start_mediaan": r.start_mediaan, "mediaan": r.mediaan,
            "start_maand": periode_tekst(int(r.start_maand)),
            "tekst": f"De doorlooptijd van {naam} is gehalveerd: mediaan {nl.getal(r.mediaan, 0)} dagen in "
                     f"{_maanden(int(r.maand) - VENSTER + 1, int(r.maand))}, tegen {nl.getal(r.start_mediaan, 0)} "
                     f"dagen in de eerste drie maanden na de invoering "
                     f"({_maanden(int(r.start_maand), int(r.start_maand) + VENSTER - 1)}).",
        })
    return rows


def _archief_rijen(s: _Scope) -> list[dict[str, Any]]:
    """The first zaak completely in the digital archive (none without document data: it cannot be known)."""
    z = s.z
    if not s.basis.documentgegevens:
        return []
    arch = (z["archiefstatus"].astype("str") == "gearchiveerd").to_numpy() & z["gesloten"].to_numpy(dtype=bool) \
        & z["heeft_resultaat"].to_numpy(dtype=bool) & (z["m_eind"].to_numpy() <= s.m1) \
        & z["heeft_documenten"].to_numpy(dtype=bool)
    if not arch.any():
        return []
    kand = z.loc[arch, ["identificatie", "einddatum", "zaaktype", "afdeling"]]
    kand = kand.assign(_id=kand["identificatie"].astype("str")).sort_values(["einddatum", "_id"], kind="stable")
    eerste = kand.iloc[0]
    zt = str(eerste["zaaktype"])
    return [{
        "soort": "archief", "datum": pd.Timestamp(eerste["einddatum"]), "afdeling": str(eerste["afdeling"]),
        "zaaktype": zt, "identificatie": str(eerste["identificatie"]),
        "tekst": f"De eerste zaak{s.van} die volledig in het digitale archief staat (gearchiveerd, met documenten "
                 f"en resultaat): {eerste['identificatie']} ({s.namen.get(zt, zt)}, afdeling {eerste['afdeling']}), "
                 f"afgesloten op {nl.datum(eerste['einddatum'])}.",
    }]


def _digitaal_rijen(s: _Scope, periode: str) -> list[dict[str, Any]]:
    """The first month a department (the organisation) reached the digital-intake share."""
    rows = []
    for r in eerste_maand_digitaal(s.basis, periode, s.inst, s.afdeling).itertuples(index=False):
        wie = "De hele organisatie" if r.afdeling == ORGANISATIE else f"Afdeling {r.afdeling}"
        rows.append({
            "soort": "digitaal", "datum": maand_einde(r.maand), "afdeling": str(r.afdeling),
            "tekst": f"{wie} kreeg in {nl.maand(r.maand)} voor het eerst minstens "
                     f"{nl.procent(s.inst.mijlpaal_digitaal, 0)} van de zaken digitaal binnen: "
                     f"{nl.procent(r.aandeel, 0)} van {nl.getal(r.aantal)} zaken met een bekend kanaal.",
        })
    return rows


def _tabel(rows: list[dict[str, Any]], s: _Scope) -> pd.DataFrame:
    """The milestones as the table :func:`mijlpalen` documents, oldest first."""
    out = pd.DataFrame(rows, columns=[c for c in KOLOMMEN if c not in ("maand", "recent")])
    out["nummer"] = out["nummer"].astype("Int64")
    out["datum"] = pd.to_datetime(out["datum"]).astype("datetime64[us]")
    for col in ("start_mediaan", "mediaan"):
        out[col] = out[col].astype("float64")
    for col in ("soort", "afdeling", "zaaktype", "identificatie", "medewerker", "start_maand", "tekst"):
        out[col] = out[col].astype("str")
    maand = maand_index(out["datum"])
    out["maand"] = pd.Series([periode_tekst(int(m)) for m in maand], index=out.index, dtype="str")
    out["recent"] = maand > s.m1 - s.inst.mijlpalen_maanden
    out["_o"] = out["soort"].map({k: i for i, k in enumerate(SOORTEN)})
    out = out.sort_values(["datum", "_o", "nummer"], kind="stable").drop(columns="_o")
    return out[list(KOLOMMEN)].reset_index(drop=True)


def overzicht(tabel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The milestones the report shows: the recent ones, and the latest earlier one of each kind.

    Parameters
    ----------
    tabel : DataFrame
        :func:`mijlpalen`.

    Returns
    -------
    (DataFrame, DataFrame)
        Recent milestones, newest first; earlier milestones, newest first: of
        ``zaken`` and ``gebruikers`` only the latest, every halved zaaktype,
        the first archived zaak, every first month of digital intake.
    """
    recent = tabel[tabel["recent"]].iloc[::-1].reset_index(drop=True)
    eerder = tabel[~tabel["recent"]]
    telling = eerder["soort"].isin(["zaken", "gebruikers"])
    laatste = eerder[telling].groupby("soort", sort=False).tail(1)
    eerder = pd.concat([laatste, eerder[~telling]]).sort_values("datum", ascending=False, kind="stable")
    return recent, eerder.reset_index(drop=True)
