"""The monthly figures (kerncijfers) of the standard report, per department, team and zaaktype.

Every figure is defined once in ``docs/metrics.md`` (section *Maandrapportage*)
and computed once here; the report notebook only calls and shows.

How it stays fast on millions of zaken: :func:`prepare` derives every per-zaak
fact once (lead time, on time, documents, intermediate status, ...), and
:func:`maandcijfers` computes the figures of *every* department (and the whole
organisation) for a window of months in a handful of vectorised group-bys; a
report then selects its rows. Months are integers (months since 1970-01), so
"open at the end of the month" is an interval count, not a loop.
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.cache import cached_frame
from zgwlib.core.lookup import index_in, posities, text_array
from zgwlib.maandrapportage import facts
from zgwlib.maandrapportage.facts import dagen_sinds_laatste_status, open_op, open_over_termijn
from zgwlib.core.errors import UsageError
from zgwlib.core.periods import choose_periode, maand_einde, maand_index, periode_index, periode_tekst
from zgwlib.core.terms import GEEN_TEAM, ORGANISATIE, has_document_data
from zgwlib.data.sources import load_snapshot

#: Months back to the same month last year.
JAAR = 12


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figuur:
    """One figure of the report.

    Attributes
    ----------
    code : str
        Column name in :func:`maandcijfers`.
    label : str
        Dutch label on tiles and in tables.
    soort : {"aantal", "aandeel", "dagen"}
        A count, a fraction 0..1, or a number of days.
    richting : int
        ``1`` higher is better, ``-1`` lower is better, ``0`` neither.
    """

    code: str
    label: str
    soort: str
    richting: int

    def tekst(self, waarde: float | None) -> str:
        """The value formatted the Dutch way for this kind of figure."""
        if self.soort == "aandeel":
            return nl.procent(waarde, 0)
        if self.soort == "dagen":
            if waarde is None or pd.isna(waarde):
                return "–"
            tekst = nl.getal(waarde)  # whole days
            return f"{tekst} {'dag' if tekst == '1' else 'dagen'}"
        return nl.getal(waarde)

    def verschil_tekst(self, verschil: float | None) -> str:
        """A change formatted with its sign: ``+12``, ``−3,5 procentpunt``, ``+2 dagen``."""
        if verschil is None or pd.isna(verschil):
            return "–"
        if self.soort == "aandeel":
            v, unit, dec = 100 * verschil, " procentpunt", 1
        elif self.soort == "dagen":
            v, unit, dec = verschil, " dagen", 0 if float(verschil).is_integer() else 1
        else:
            v, unit, dec = verschil, "", 0
        sign = "+" if v > 0 else ("−" if v < 0 else "±")
        tekst = nl.getal(abs(v), dec)
        return f"{sign}{tekst}{' dag' if unit == ' dagen' and tekst == '1' else unit}"


_F = Figuur
#: Every figure of :func:`maandcijfers`, by code, in the order of the tiles.
FIGUREN: dict[str, Figuur] = {f.code: f for f in (
    _F("ontvangen", "Ontvangen zaken", "aantal", 0),
    _F("gesloten", "Afgesloten zaken", "aantal", 0),
    _F("open_einde_maand", "Open aan het eind van de maand", "aantal", -1),
    _F("binnen_norm", "Binnen de servicenorm", "aandeel", 1),
    _F("binnen_termijn", "Binnen de wettelijke termijn", "aandeel", 1),
    _F("doorlooptijd_mediaan", "Doorlooptijd (mediaan)", "dagen", -1),
    _F("doorlooptijd_p90", "Doorlooptijd (90e percentiel)", "dagen", -1),
    _F("actieve_gebruikers", "Actieve gebruikers", "aantal", 1),
    _F("medewerkers", "Medewerkers", "aantal", 0),
    _F("aandeel_actief", "Actieve medewerkers", "aandeel", 1),
    _F("met_documenten", "Afgesloten met documenten", "aandeel", 1),
    _F("met_behandelaar", "Afgesloten met behandelaar", "aandeel", 1),
    _F("met_resultaat", "Afgesloten met resultaat", "aandeel", 1),
    _F("achteraf", "Achteraf geregistreerd", "aandeel", -1),
    _F("volgens_werkwijze", "Volgens de werkwijze afgesloten", "aandeel", 1),
    _F("aandeel_digitaal", "Digitaal binnengekomen", "aandeel", 1),
)}
del _F

#: The figures shown as tiles, in order.
KERNCIJFERS = (
    "ontvangen", "gesloten", "open_einde_maand", "binnen_norm", "binnen_termijn", "doorlooptijd_mediaan",
    "doorlooptijd_p90", "actieve_gebruikers", "met_documenten", "met_behandelaar", "met_resultaat",
)

#: The figures that need document data: unknown (NaN, never 0) when the snapshot has none
#: (``meta.json`` ``"documenten_bron": "geen"``, see docs/metrics.md).
DOCUMENTFIGUREN = ("met_documenten", "volgens_werkwijze")

#: The figures of the department comparison (table and heatmap).
VERGELIJKING = (
    "ontvangen", "binnen_norm", "binnen_termijn", "doorlooptijd_mediaan", "aandeel_actief", "met_documenten",
    "achteraf", "volgens_werkwijze", "aandeel_digitaal",
)

#: Counts behind ``aandeel_digitaal`` in :func:`maandcijfers` (received zaken by the kind of their channel).
KANAALTELLINGEN = ("digitaal", "kanaal_bekend", "kanaal_onbekend", "zonder_kanaal")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Instellingen:
    """Thresholds of the monthly report; change them in ``parameters/maandrapportage.yaml`` (:mod:`zgwlib.core.settings`).

    Attributes
    ----------
    dagen_zonder_statuswijziging : int
        An open zaak whose last status is more days old than this is "stil".
    trend_maanden : int
        Months in the trend charts (the report month included).
    min_gesloten_kampioen : int
        A department (team) needs at least this many closed zaken in the month to compete.
    min_aantal_tip : int
        A tip needs at least this many zaken (or staff, documents) behind it.
    max_tips : int
        Most tips shown.
    voorbeelden : int
        Example zaak identificaties per signal.
    mijlpalen_maanden : int
        Milestones of this many months (the report month included) count as recent.
    stap_zaken, stap_gebruikers : int
        Milestone every this many zaken / users.
    halvering_factor : float
        A zaaktype's lead time "halved" when the median of a later three-month window is at most this times
        its start median (first three months after the go-live; see :mod:`zgwlib.maandrapportage.milestones`).
    halvering_min_zaken : int
        Closed zaken each three-month window (start and later) needs for its median to count.
    digitale_kanalen : list of str
        Names of ``communicatiekanaal`` that count as digital intake: the request entered the zaaksysteem
        without being retyped (compared without regard to case). Defaults: the self-service channels of the VNG
        reference list and their usual names (see docs/metrics.md, *Digitaal binnengekomen*).
    niet_digitale_kanalen : list of str
        Names that count as paper, counter or other non-digital intake; e-mail is here by default, because
        an e-mail is retyped like a letter. A name in neither list is counted as "onbekend kanaal" and named
        in the report, not guessed.
    tip_niet_digitaal : float
        A zaaktype gets the tip "is er een e-formulier?" when at least this share of its received zaken
        with a known channel came in non-digitally (and at least min_aantal_tip zaken).
    mijlpaal_digitaal : float
        Milestone: the first month a department's (or the organisation's) digital share reaches this.
    mijlpaal_digitaal_min_zaken : int
        Received zaken with a known channel a month needs before its digital share can count for the milestone.
    raadplegende_afdelingen : list of str
        Departments whose staff mainly consult dossiers (a klantcontactcentrum): reading leaves no trace in the
        data, so their staff figures are labelled "raadpleegt vooral" instead of signalled as not using the
        zaaksysteem.
    """

    dagen_zonder_statuswijziging: int = field(default=30, metadata={"min": 0})
    trend_maanden: int = 13
    min_gesloten_kampioen: int = 10
    min_aantal_tip: int = 3
    max_tips: int = 8
    voorbeelden: int = 3
    mijlpalen_maanden: int = 3
    stap_zaken: int = 10_000
    stap_gebruikers: int = 250
    halvering_factor: float = 0.5
    halvering_min_zaken: int = 5
    digitale_kanalen: tuple[str, ...] = ("e-formulier", "webformulier", "website", "internet", "app",
                                         "mijnoverheid", "portaal")
    niet_digitale_kanalen: tuple[str, ...] = ("balie", "telefoon", "post", "e-mail", "brief", "fax",
                                              "huisbezoek", "social media")
    tip_niet_digitaal: float = field(default=0.5, metadata={"min": 0})
    mijlpaal_digitaal: float = field(default=0.5, metadata={"min": 0})
    mijlpaal_digitaal_min_zaken: int = 20
    raadplegende_afdelingen: tuple[str, ...] = ()

    def raadpleegt(self, afdeling: str) -> bool:
        """Whether ``afdeling`` is marked as mainly consulting dossiers (:attr:`raadplegende_afdelingen`)."""
        return afdeling in self.raadplegende_afdelingen


# --------------------------------------------------------------------------- prepared data


def categorie(values: pd.Series, extra: Iterable[str] = (), key: Callable[[str], Any] | None = None) -> pd.Categorical:
    """A text column as a categorical whose categories are its values plus ``extra``, sorted by ``key``.

    Built from Arrow's dictionary encoding (pandas' own ``astype("category")``
    on its Arrow-backed ``str`` walks Python objects). Missing stays missing.
    """
    arr = text_array(values).dictionary_encode()
    woorden = [str(w) for w in arr.dictionary.to_pylist()]
    cats = sorted(set(woorden) | {str(x) for x in extra}, key=key)
    plek = {c: i for i, c in enumerate(cats)}
    remap = np.array([plek[w] for w in woorden] + [-1], dtype=np.int64)
    idx = arr.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return pd.Categorical.from_codes(remap[idx], categories=pd.Index(cats, dtype="str"))


def _lower(s: str) -> tuple[str, str]:
    return s.lower(), s


@dataclass
class Basis:
    """Everything the report's figures need, prepared once per snapshot.

    Attributes
    ----------
    zaken : DataFrame
        Contract zaken plus per-zaak facts: ``team`` (of the behandelaar, when in
        the zaak's afdeling), ``mw`` (row of the behandelaar in ``medewerkers``,
        -1 when unknown), ``m_reg``/``m_eind`` (month index, :data:`zgwlib.core.periods.OPEN`
        while open), ``gesloten``, ``doorlooptijd`` (days), ``binnen_norm`` and
        ``binnen_termijn`` (1.0/0.0, NaN without that date or while open),
        ``heeft_documenten``, ``heeft_tussenstatus``, ``achteraf``,
        ``heeft_behandelaar``, ``heeft_resultaat``, ``volgens_werkwijze``.
        ``afdeling``, ``zaaktype`` and ``team`` are categoricals.
    statussen : DataFrame
        ``zaak``, ``datum_status_gezet``, ``gezet_door``.
    medewerkers : DataFrame
        Contract medewerkers with ``team`` filled (:data:`GEEN_TEAM`) and ``nooit_actief``.
    zaaktypen : DataFrame
        Contract zaaktypen.
    documenten_buiten_zaak : DataFrame
        ``identificatie``, ``creatiedatum`` and ``m_creatie`` (month index) of documents without a zaak.
    documenten_per_maand : Series
        Number of documents (all) by month index of ``creatiedatum``.
    status_maand, status_mw : ndarray
        Per status: month index of ``datum_status_gezet`` and the row of
        ``gezet_door`` in ``medewerkers`` (-1 when unknown).
    afdelingen : list of str
        Every department in zaken or medewerkers, sorted.
    peildatum : Timestamp
        Last day of the data.
    meta : dict
        The snapshot's ``meta.json``.
    status_zaak : ndarray, optional
        Per status: the row of its zaak in ``zaken`` (-1 when unknown).
    documentgegevens : bool
        Whether the snapshot has document data. Without it (``meta.json``
        ``"documenten_bron": "geen"``) ``heeft_documenten`` and
        ``volgens_werkwijze`` are missing (pandas ``boolean`` NA) for every
        zaak, so every figure built on them is NaN, never 0 (:data:`DOCUMENTFIGUREN`).
    """

    zaken: pd.DataFrame
    statussen: pd.DataFrame
    medewerkers: pd.DataFrame
    zaaktypen: pd.DataFrame
    documenten_buiten_zaak: pd.DataFrame
    documenten_per_maand: pd.Series
    status_maand: np.ndarray
    status_mw: np.ndarray
    afdelingen: list[str]
    peildatum: pd.Timestamp
    meta: dict[str, Any] = field(default_factory=dict)
    status_zaak: np.ndarray | None = None
    documentgegevens: bool = True
    #: Results worth keeping between calls on the same data (activity per month window).
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    #: The snapshot folder read by :func:`load` as is (None after :func:`prepare` of tables in memory, which may
    #: have been changed): only then may the organisation-wide tables come from :mod:`zgwlib.core.cache`.
    bron: Path | None = None


#: Columns :func:`load` reads: what the figures, signals, examples (omschrijving) and milestones (archiefstatus)
#: need; the other zaak columns and the statustype text are never read, which matters on millions of rows.
KOLOMMEN: dict[str, list[str] | None] = {
    "zaken": ["identificatie", "zaaktype", "afdeling", "behandelaar", "registratiedatum", "startdatum", "einddatum",
              "einddatum_gepland", "uiterlijke_einddatum_afdoening", "resultaat", "archiefstatus", "omschrijving",
              "vertrouwelijkheidaanduiding", "communicatiekanaal"],
    "statussen": ["zaak", "volgnummer", "datum_status_gezet", "is_eindstatus", "gezet_door"],
    "documenten": ["identificatie", "zaak", "creatiedatum"],
    "medewerkers": None,
    "zaaktypen": None,
}


def load(data: str | os.PathLike[str] | None = None) -> Basis:
    """Read the columns the report needs from a snapshot and :func:`prepare` them.

    ``None`` or ``"voorbeeld"``: the built-in sample municipality (:func:`zgwlib.data.sources.resolve`).
    """
    snap = load_snapshot(data, list(KOLOMMEN), columns={k: v for k, v in KOLOMMEN.items() if v is not None})
    return prepare(snap, bron=snap.path)


def prepare(snapshot: Any, bron: Path | None = None) -> Basis:
    """Derive every per-zaak fact once (see :class:`Basis`).

    Identificaties become row numbers once (:func:`zgwlib.core.lookup.posities`), so
    everything after is integer work.

    Parameters
    ----------
    snapshot : Snapshot
        Needs the tables zaken, statussen, documenten, medewerkers and zaaktypen.
    bron : path, optional
        The snapshot folder the tables were read from, unchanged. Only then may the organisation-wide tables and
        the row numbers come from the run's cache (:mod:`zgwlib.core.cache`): every department's kernel reads the
        same files, and on a 2,000,000-zaak snapshot matching the identificaties takes seconds of each kernel.
    """
    t = snapshot.tables
    zaken, statussen, documenten = t["zaken"], t["statussen"], t["documenten"]
    mw = t["medewerkers"].copy()
    mw["team"] = mw["team"].fillna(GEEN_TEAM)

    z = zaken.copy(deep=False)  # new columns only: the snapshot's own frame stays as it was
    reg, eind = z["registratiedatum"].to_numpy("datetime64[us]"), z["einddatum"].to_numpy("datetime64[us]")
    _add_doorlooptijden(z, reg, eind)
    status_zaak, st_mw, doc_zaak, beh_mw = _rijnummers(bron, z, statussen, documenten, mw)
    mw["nooit_actief"] = facts.nooit_actief(mw, z, statussen, beh_mw, st_mw)
    meta = dict(getattr(snapshot, "meta", {}) or {})
    documentgegevens = has_document_data(meta)
    _add_werkwijze(z, statussen, documenten, status_zaak, doc_zaak, documentgegevens)
    afdelingen = _add_categories_and_team(z, mw, beh_mw)
    peil = _find_peildatum(meta, reg, eind)
    st_cols = [c for c in ("zaak", "datum_status_gezet", "gezet_door") if c in statussen]
    docs, per_maand = _count_documenten_buiten_zaak(documenten)
    return Basis(z, statussen[st_cols], mw, t["zaaktypen"], docs, per_maand,
                 maand_index(statussen["datum_status_gezet"]), st_mw, afdelingen, peil.normalize(), meta,
                 status_zaak=status_zaak, documentgegevens=documentgegevens, bron=bron)


def _add_doorlooptijden(z: pd.DataFrame, reg: np.ndarray, eind: np.ndarray) -> None:
    """Add the month indices, ``gesloten``, ``doorlooptijd`` and ``binnen_norm``/``binnen_termijn`` to ``z``."""
    start = z["startdatum"].to_numpy("datetime64[us]")
    gesloten = ~np.isnat(eind)
    z["m_reg"] = maand_index(reg)
    z["m_eind"] = maand_index(eind)
    z["gesloten"] = gesloten
    z["doorlooptijd"] = (eind - start) / np.timedelta64(1, "D")
    for col, target in (("binnen_norm", "einddatum_gepland"), ("binnen_termijn", "uiterlijke_einddatum_afdoening")):
        norm = z[target].to_numpy("datetime64[us]")
        z[col] = np.where(gesloten & ~np.isnat(norm), (eind <= norm).astype("float64"), np.nan)


def _add_werkwijze(z: pd.DataFrame, statussen: pd.DataFrame, documenten: pd.DataFrame, status_zaak: np.ndarray,
                   doc_zaak: np.ndarray, documentgegevens: bool) -> None:
    """Add the per-zaak facts of the way of working (documents, statuses, registered afterwards) to ``z``."""
    gesloten = z["gesloten"].to_numpy()
    z["heeft_documenten"] = facts.heeft_documenten(z, documenten, doc_zaak)
    z["heeft_tussenstatus"] = facts.heeft_tussenstatus(z, statussen, status_zaak)
    z["achteraf"] = facts.achteraf_geregistreerd(z, z["heeft_tussenstatus"].to_numpy())
    z["heeft_behandelaar"] = z["behandelaar"].notna().to_numpy()
    z["heeft_resultaat"] = z["resultaat"].notna().to_numpy()
    z["volgens_werkwijze"] = (
        gesloten & z["heeft_documenten"].to_numpy() & z["heeft_behandelaar"].to_numpy()
        & z["heeft_resultaat"].to_numpy() & ~z["achteraf"].to_numpy()
    )
    if not documentgegevens:
        # Unknown, not "no": a source without document data must not make every zaak look incomplete. NA also
        # makes a plain bool conversion fail, so no later use can quietly count it as False.
        for col in ("heeft_documenten", "volgens_werkwijze"):
            z[col] = pd.array(np.full(len(z), pd.NA), dtype="boolean")


def _add_categories_and_team(z: pd.DataFrame, mw: pd.DataFrame, beh_mw: np.ndarray) -> list[str]:
    """Make afdeling, zaaktype and kanaal categories of ``z`` and add ``mw`` and ``team``; returns the afdelingen."""
    afd = categorie(z["afdeling"], mw["afdeling"].dropna().astype("str"), key=_lower)
    afdelingen = [str(a) for a in afd.categories]
    z["afdeling"] = afd
    z["zaaktype"] = categorie(z["zaaktype"])
    kanaal = z["communicatiekanaal"] if "communicatiekanaal" in z else pd.Series(pd.NA, index=z.index, dtype="str")
    z["communicatiekanaal"] = categorie(kanaal)
    # A zaak's team is its behandelaar's team, when that person works in the zaak's department.
    teams = pd.Index(sorted({str(x) for x in mw["team"]}, key=_lower), dtype="str")
    # One extra slot (-1) for "no known behandelaar", so the lookups below need no branch.
    mw_afd = np.append(index_in(mw["afdeling"], pd.Series(afdelingen, dtype="str")), -1)
    mw_team = np.append(index_in(mw["team"], teams), -1)
    z["mw"] = beh_mw
    rij = np.where(beh_mw >= 0, beh_mw, len(mw))
    same = (beh_mw >= 0) & (mw_afd[rij] == afd.codes)
    z["team"] = pd.Categorical.from_codes(np.where(same, mw_team[rij], -1), categories=teams)
    return afdelingen


def _find_peildatum(meta: dict[str, Any], reg: np.ndarray, eind: np.ndarray) -> pd.Timestamp:
    """The day the data runs to: ``periode_tot`` from meta, else the last registration or end date, else today."""
    if meta.get("periode_tot"):
        return pd.Timestamp(str(meta["periode_tot"])[:10])
    gesloten = ~np.isnat(eind)
    both = np.concatenate([reg[~np.isnat(reg)], eind[gesloten]])
    return pd.Timestamp(both.max()) if len(both) else pd.Timestamp(nl.today_amsterdam())


def _count_documenten_buiten_zaak(documenten: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The documents outside any zaak with their month of creation, and the documents per month of creation."""
    buiten = documenten["zaak"].isna().to_numpy()
    m_doc = maand_index(documenten["creatiedatum"])
    docs = documenten.loc[buiten, ["identificatie", "creatiedatum"]].reset_index(drop=True)
    docs["m_creatie"] = m_doc[buiten]
    per_maand = pd.Series(m_doc).value_counts()
    return docs, per_maand


def _rijnummers(bron: Path | None, zaken: pd.DataFrame, statussen: pd.DataFrame, documenten: pd.DataFrame,
                medewerkers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row numbers: of each status's zaak and setter, each document's zaak and each zaak's behandelaar (-1: none).

    Computed once per ``zgw run`` and snapshot folder ``bron`` (:func:`zgwlib.core.cache.cached_frame`; outside a
    run, or for tables changed in memory (no ``bron``), simply computed): the same for every department's report
    and every report. Not checked when read: a check costs as much as computing them when statuses and documents
    are stored zaak by zaak, as exports and the API give them (then :func:`zgwlib.core.lookup.posities` looks
    nothing up), so the cache is only for tables read from ``bron`` unchanged.
    """
    zid, mid = zaken["identificatie"], medewerkers["identificatie"]
    delen = (  # (name, columns: (pool, column) per row-number column)
        ("statussen", {"zaak": (zid, statussen["zaak"]), "gezet_door": (mid, statussen["gezet_door"])}),
        ("documenten", {"zaak": (zid, documenten["zaak"])}),
        ("zaken", {"behandelaar": (mid, zaken["behandelaar"])}),
    )
    uit: dict[tuple[str, str], np.ndarray] = {}
    for naam, kolommen in delen:
        def compute(kolommen: dict[str, tuple[Any, pd.Series]] = kolommen) -> pd.DataFrame:
            return pd.DataFrame({k: posities(pool, kolom)[0] for k, (pool, kolom) in kolommen.items()})

        frame = cached_frame(f"rijnummers-{naam}", bron, (), compute)
        for k in kolommen:
            uit[(naam, k)] = frame[k].to_numpy(np.int64)
    return (uit[("statussen", "zaak")], uit[("statussen", "gezet_door")], uit[("documenten", "zaak")],
            uit[("zaken", "behandelaar")])


# --------------------------------------------------------------------------- aggregation (one definition each)


def _kwantielen(key: np.ndarray, values: np.ndarray, size: int, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Per group ``0..size-1`` the quantiles ``qs`` of ``values`` (linear interpolation, as numpy and pandas).

    One sort of (group, value) instead of a sort per group. NaN values are left
    out; a group without values gets NaN.
    """
    ok = ~np.isnan(values)
    key, values = key[ok], values[ok]
    if len(values) and np.array_equal(values, np.round(values)) and np.abs(values).max() < 2**30:
        # Whole days (dates are midnight): one int64 sort key instead of a two-key lexsort.
        order = np.argsort(key * 2**31 + (values.astype(np.int64) + 2**30))
    else:
        order = np.lexsort((values, key))
    v = values[order]
    cnt = np.bincount(key, minlength=size)
    begin = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    has = cnt > 0
    out = []
    for q in qs:
        h = (cnt[has] - 1) * q
        lo = np.floor(h).astype(np.int64)
        frac = h - lo
        a = v[begin[has] + lo]
        b = v[begin[has] + np.minimum(lo + 1, cnt[has] - 1)]
        # numpy's lerp: from the nearer end, so q = 0.5 of two equal values is exact.
        x = np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)
        res = np.full(size, np.nan)
        res[has] = x
        out.append(res)
    return out


#: Columns of :func:`_gesloten_cijfers`.
_GESLOTEN = ("gesloten", "binnen_norm", "binnen_termijn", "doorlooptijd_mediaan", "doorlooptijd_p90", "met_documenten",
             "met_behandelaar", "met_resultaat", "achteraf", "volgens_werkwijze", "achteraf_aantal")


def _gesloten_cijfers(z: pd.DataFrame, sel: np.ndarray, key: np.ndarray, size: int) -> pd.DataFrame:
    """Figures of the closed zaken ``z[sel]`` in groups ``key`` (0..size-1): the only place these are defined.

    ``gesloten`` counts them; ``binnen_norm``/``binnen_termijn`` are means over
    those that have the date; ``met_*``, ``achteraf`` and ``volgens_werkwijze``
    are shares of ``gesloten``; lead time median and p90. Rates of an empty group are NaN, and so is a share
    of a fact that is unknown (missing: ``heeft_documenten`` without document data).
    """
    key = np.asarray(key, dtype=np.int64)
    n = np.bincount(key, minlength=size)
    out: dict[str, np.ndarray] = {"gesloten": n.astype(np.int64)}
    with np.errstate(invalid="ignore", divide="ignore"):
        for col in ("binnen_norm", "binnen_termijn"):
            v = z[col].to_numpy(dtype="float64")[sel]
            ok = ~np.isnan(v)
            out[col] = np.bincount(key[ok], weights=v[ok], minlength=size) / np.bincount(key[ok], minlength=size)
        med, p90 = _kwantielen(key, z["doorlooptijd"].to_numpy(dtype="float64")[sel], size, (0.5, 0.9))
        out["doorlooptijd_mediaan"], out["doorlooptijd_p90"] = med, p90
        for code, col in (("met_documenten", "heeft_documenten"), ("met_behandelaar", "heeft_behandelaar"),
                          ("met_resultaat", "heeft_resultaat"), ("achteraf", "achteraf"),
                          ("volgens_werkwijze", "volgens_werkwijze")):
            # As 1.0/0.0, with NaN for an unknown fact: the share of a group with one becomes NaN, not a guess.
            w = z[col].to_numpy(dtype="float64", na_value=np.nan)[sel]
            out[code] = np.bincount(key, weights=w, minlength=size) / n
    out["achteraf_aantal"] = np.bincount(key, weights=z["achteraf"].to_numpy(dtype=bool)[sel],
                                         minlength=size).astype(np.int64)
    return pd.DataFrame({c: out[c] for c in _GESLOTEN})


def _open_einde(g: np.ndarray, m_reg: np.ndarray, m_eind: np.ndarray, m0: int, m1: int, size: int) -> np.ndarray:
    """Zaken open at the end of each month m0..m1 (``m_reg <= m < m_eind``) per group ``g`` (-1: none).

    The same zaken as :func:`zgwlib.maandrapportage.facts.open_op` at the month's last day,
    counted as intervals: +1 in the month of registration, -1 in the month of
    closing, then a running sum. Returns ``size * months`` counts, group-major.
    """
    n = m1 - m0 + 1
    stop = np.maximum(m_reg, m_eind)
    keep = (g >= 0) & (stop > m0) & (m_reg <= m1)
    b = np.clip(m_reg[keep], m0, m1 + 1) - m0
    e = np.clip(stop[keep], m0, m1 + 1) - m0
    gk = g[keep].astype(np.int64) * (n + 1)
    delta = np.bincount(gk + b, minlength=size * (n + 1)) - np.bincount(gk + e, minlength=size * (n + 1))
    return delta.reshape(size, n + 1)[:, :n].cumsum(axis=1).ravel()


def _activiteit(b: Basis, m0: int, m1: int) -> pd.DataFrame:
    """Distinct (medewerker row, month) pairs of activity in months m0..m1.

    Active in a month = set a status in it (gezet_door), or is behandelaar of a
    zaak registered or closed in it. Only people in the medewerkers table count.
    """
    key = (m0, m1)
    if key not in b.cache:
        n = m1 - m0 + 1
        # A person x month bitmap: one scatter per source, no sort of millions of pairs.
        seen = np.zeros((len(b.medewerkers) + 1, n), dtype=bool)  # last row catches "unknown" (-1)
        sources = [(b.status_mw, b.status_maand)]
        code = b.zaken["mw"].to_numpy()
        sources += [(code, b.zaken[col].to_numpy()) for col in ("m_reg", "m_eind")]
        for who, when in sources:
            sel = (when >= m0) & (when <= m1)
            seen[who[sel], when[sel] - m0] = True
        mw_rows, months = np.nonzero(seen[:-1])
        b.cache[key] = pd.DataFrame({"mw": mw_rows.astype(np.int64), "maand": months.astype(np.int64) + m0})
    return b.cache[key]


def actief_in_maand(basis: Basis, periode: str) -> pd.Series:
    """Per medewerker (aligned with ``basis.medewerkers``): whether they were active in ``periode``."""
    m = periode_index(periode)
    windows = [k for k in basis.cache if isinstance(k, tuple) and len(k) == 2 and k[0] <= m <= k[1]]
    act = basis.cache[windows[0]] if windows else _activiteit(basis, m, m)
    flags = np.zeros(len(basis.medewerkers), dtype=bool)
    flags[act.loc[act["maand"] == m, "mw"].to_numpy()] = True
    return pd.Series(flags, index=basis.medewerkers.index, name="actief")


def _groepen(b: Basis, niveau: str) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Group of each zaak and each medewerker (-1: none) and the groups' key columns, in report order.

    ``organisatie``: one group. ``afdeling``: every department of zaken and staff.
    ``team``: every (afdeling, team) of staff, and of zaken by their behandelaar's team.
    """
    z, mw = b.zaken, b.medewerkers
    if niveau == "organisatie":
        return np.zeros(len(z), np.int64), np.zeros(len(mw), np.int64), pd.DataFrame(index=range(1))
    afd = pd.Series(b.afdelingen, dtype="str")
    afd_z = z["afdeling"].cat.codes.to_numpy().astype(np.int64)
    afd_m = index_in(mw["afdeling"], afd)
    if niveau == "afdeling":
        return afd_z, afd_m, pd.DataFrame({"afdeling": afd})
    teams = z["team"].cat.categories
    team_z = z["team"].cat.codes.to_numpy().astype(np.int64)
    team_m = index_in(mw["team"], teams)
    t = len(teams)
    pz = np.where((afd_z >= 0) & (team_z >= 0), afd_z * t + team_z, -1)
    pm = np.where((afd_m >= 0) & (team_m >= 0), afd_m * t + team_m, -1)
    # The (afdeling, team) pairs that occur, in code order (= sorted by department, then team).
    seen = np.bincount(pz[pz >= 0], minlength=len(afd) * t) + np.bincount(pm[pm >= 0], minlength=len(afd) * t)
    paren = np.flatnonzero(seen)
    dense = np.full(len(afd) * t + 1, -1, dtype=np.int64)  # the last slot maps -1 to -1
    dense[paren] = np.arange(len(paren))
    units = pd.DataFrame({"afdeling": afd.to_numpy()[paren // t], "team": teams.to_numpy()[paren % t]})
    return dense[pz], dense[pm], units.astype("str")


def _cijfers(b: Basis, m0: int, m1: int, niveau: str, soort: np.ndarray) -> pd.DataFrame:
    z = b.zaken
    gz, gm, units = _groepen(b, niveau)
    size, n = len(units), m1 - m0 + 1
    m_reg, m_eind = z["m_reg"].to_numpy(), z["m_eind"].to_numpy()

    r = (gz >= 0) & (m_reg >= m0) & (m_reg <= m1)
    ontvangen = np.bincount(gz[r] * n + (m_reg[r] - m0), minlength=size * n)
    c = (gz >= 0) & (m_eind >= m0) & (m_eind <= m1)
    gesl = _gesloten_cijfers(z, c, gz[c] * n + (m_eind[c] - m0), size * n)
    act = _activiteit(b, m0, m1)
    who = gm[act["mw"].to_numpy()]
    ok = who >= 0
    actief = np.bincount(who[ok] * n + (act["maand"].to_numpy()[ok] - m0), minlength=size * n)
    staf = np.bincount(gm[gm >= 0], minlength=size)

    # Every unit (from zaken and staff) times every month, so empty months and staff-only departments show.
    out = units.iloc[np.repeat(np.arange(size), n)].reset_index(drop=True)
    out["maand"] = np.tile(np.arange(m0, m1 + 1, dtype=np.int64), size)
    out["ontvangen"] = ontvangen.astype(np.int64)
    for col in gesl:
        out[col] = gesl[col].to_numpy()
    out["open_einde_maand"] = _open_einde(gz, m_reg, m_eind, m0, m1, size).astype(np.int64)
    out["actieve_gebruikers"] = actief.astype(np.int64)
    out["medewerkers"] = np.repeat(staf, n).astype(np.int64)
    out["aandeel_actief"] = out["actieve_gebruikers"] / out["medewerkers"].where(out["medewerkers"] > 0)
    # Received zaken by the kind of their channel; the share is of those whose channel is known.
    sleutel = gz[r] * n + (m_reg[r] - m0)
    per_soort = [np.bincount(sleutel[soort[r] == k], minlength=size * n).astype(np.int64) for k in range(4)]
    out["digitaal"] = per_soort[facts.DIGITAAL]
    out["kanaal_bekend"] = per_soort[facts.DIGITAAL] + per_soort[facts.NIET_DIGITAAL]
    out["kanaal_onbekend"] = per_soort[facts.KANAAL_ONBEKEND]
    out["zonder_kanaal"] = per_soort[facts.ZONDER_KANAAL]
    out["aandeel_digitaal"] = out["digitaal"] / out["kanaal_bekend"].where(out["kanaal_bekend"] > 0)
    return out


def kanaalsoort(basis: Basis, instellingen: Instellingen | None = None) -> np.ndarray:
    """Per zaak of ``basis``: the kind of its channel (:func:`zgwlib.maandrapportage.facts.kanaal_soort`)."""
    inst = instellingen or Instellingen()
    key = ("kanaalsoort", inst.digitale_kanalen, inst.niet_digitale_kanalen)
    if key not in basis.cache:
        basis.cache[key] = facts.kanaal_soort(basis.zaken["communicatiekanaal"], inst.digitale_kanalen,
                                              inst.niet_digitale_kanalen)
    return basis.cache[key]


def maandcijfers(basis: Basis, periode: str, maanden: int | None = None, niveau: str = "afdeling",
                 instellingen: Instellingen | None = None) -> pd.DataFrame:
    """Every figure of :data:`FIGUREN` for every department (or team) and each of the last ``maanden`` months.

    Parameters
    ----------
    basis : Basis
        From :func:`prepare` or :func:`load`.
    periode : str
        The report month ``YYYY-MM`` (the last month of the window).
    maanden : int, optional
        Length of the window; default :attr:`Instellingen.trend_maanden` (13:
        the same month last year is in it).
    niveau : {"afdeling", "team"}
        ``afdeling``: one row per department and month plus the whole
        organisation (``afdeling == "organisatie"``). ``team``: one row per
        (afdeling, team) and month; a zaak counts for its behandelaar's team.
    instellingen : Instellingen, optional
        Which channel names are digital (``aandeel_digitaal``); default :class:`Instellingen`.

    Returns
    -------
    DataFrame
        ``afdeling`` (and ``team``), ``maand`` (``YYYY-MM``) and one column per
        figure code, plus ``achteraf_aantal`` and the channel counts
        :data:`KANAALTELLINGEN`. Months without zaken have counts 0 and rates
        NaN; departments without staff have ``aandeel_actief`` NaN.
    """
    n = Instellingen().trend_maanden if maanden is None else int(maanden)
    soort = kanaalsoort(basis, instellingen)
    m1 = periode_index(periode)
    m0 = m1 - n + 1
    if n < 1:
        raise UsageError(f"maanden must be at least 1, not {maanden!r}.")
    if niveau == "afdeling":
        per = _cijfers(basis, m0, m1, "afdeling", soort)
        org = _cijfers(basis, m0, m1, "organisatie", soort)
        org.insert(0, "afdeling", ORGANISATIE)
        out = pd.concat([org, per], ignore_index=True)
    elif niveau == "team":
        out = _cijfers(basis, m0, m1, "team", soort)
    else:
        raise UsageError(f"niveau must be 'afdeling' or 'team', not {niveau!r}.")
    out["maand"] = [periode_tekst(int(m)) for m in out["maand"]]
    for k in ("afdeling", "team"):
        if k in out:
            out[k] = out[k].astype("str")
    cols = [c for c in ("afdeling", "team", "maand") if c in out] + list(FIGUREN) + ["achteraf_aantal", *KANAALTELLINGEN]
    return out[cols]


# --------------------------------------------------------------------------- selections for the report


def eenheid(tabel: pd.DataFrame, afdeling: str, team: str | None = None) -> pd.DataFrame:
    """The rows of one department (or ``"organisatie"``, or one team) of :func:`maandcijfers`, by month."""
    sel = tabel["afdeling"] == afdeling
    if team is not None:
        sel &= tabel["team"] == team
    return tabel[sel].sort_values("maand").reset_index(drop=True)


def oordeel(figuur: Figuur, verschil: float | None) -> str | None:
    """``"beter"``, ``"slechter"``, ``"gelijk"`` for a change, or None (no direction, or no change known)."""
    if verschil is None or pd.isna(verschil) or figuur.richting == 0:
        return None
    if verschil == 0:
        return "gelijk"
    return "beter" if verschil * figuur.richting > 0 else "slechter"


def kerncijfers(tabel: pd.DataFrame, afdeling: str, periode: str, codes: tuple[str, ...] = KERNCIJFERS) -> pd.DataFrame:
    """The tiles: each figure this month, last month and the same month last year, with changes and verdicts.

    Returns
    -------
    DataFrame
        One row per code: ``code``, ``label``, ``soort``, ``richting``,
        ``waarde``, ``vorige_maand``, ``vorig_jaar``, ``verschil_maand``,
        ``verschil_jaar``, ``oordeel_maand``, ``oordeel_jaar`` (:func:`oordeel`:
        ``"beter"``, ``"slechter"``, ``"gelijk"`` or None) and the formatted
        ``tekst``, ``tekst_maand``, ``tekst_jaar``. Comparisons are NaN when that
        month is outside the table or had no value.
    """
    rows = eenheid(tabel, afdeling).set_index("maand")
    m = periode_index(periode)
    vorige, jaar = periode_tekst(m - 1), periode_tekst(m - JAAR)

    def get(month: str, code: str) -> float:
        return float(rows.at[month, code]) if month in rows.index and pd.notna(rows.at[month, code]) else np.nan

    out = []
    for code in codes:
        f = FIGUREN[code]
        w, v, j = get(periode, code), get(vorige, code), get(jaar, code)
        dm, dj = w - v, w - j
        out.append({
            "code": code, "label": f.label, "soort": f.soort, "richting": f.richting,
            "waarde": w, "vorige_maand": v, "vorig_jaar": j, "verschil_maand": dm, "verschil_jaar": dj,
            "oordeel_maand": oordeel(f, dm), "oordeel_jaar": oordeel(f, dj),
            "tekst": f.tekst(w), "tekst_maand": f.verschil_tekst(dm), "tekst_jaar": f.verschil_tekst(dj),
        })
    frame = pd.DataFrame(out)
    for col in ("oordeel_maand", "oordeel_jaar"):  # None stays None (a text column would make it NaN)
        frame[col] = pd.Series([r[col] for r in out], dtype=object)
    return frame


def heeft_zaken(tabel: pd.DataFrame, afdeling: str, periode: str) -> bool:
    """Whether the department had any zaak in the month: received, closed, or open at its end."""
    rows = eenheid(tabel, afdeling)
    row = rows[rows["maand"] == periode]
    return bool(len(row)) and int(row[["ontvangen", "gesloten", "open_einde_maand"]].to_numpy().sum()) > 0


def vergelijking(tabel: pd.DataFrame, periode: str) -> pd.DataFrame:
    """Departments side by side in the month: ``afdeling`` and the :data:`VERGELIJKING` figures.

    Only departments with zaken in the month (received, closed or open); the
    organisation row last, as a reference.
    """
    month = tabel[tabel["maand"] == periode]
    active = month[["ontvangen", "gesloten", "open_einde_maand"]].sum(axis=1) > 0
    month = month[active]
    org = month[month["afdeling"] == ORGANISATIE]
    rest = month[month["afdeling"] != ORGANISATIE].sort_values("afdeling", key=lambda s: s.str.lower())
    return pd.concat([rest, org])[["afdeling", *VERGELIJKING]].reset_index(drop=True)


# --------------------------------------------------------------------------- the month, computed once


@dataclass
class Maand:
    """Everything of one report month, computed once for every department; reports select from it.

    Attributes
    ----------
    basis : Basis
    periode : str
        ``YYYY-MM``.
    instellingen : Instellingen
    tabel : DataFrame
        :func:`maandcijfers` per department and the organisation: the trend
        window, at least 13 months (the same month last year); :meth:`trend`
        gives the last ``trend_maanden`` of them.
    teams : DataFrame
        :func:`maandcijfers` per team (same window).
    zaken : DataFrame
        :func:`zgwlib.maandrapportage.figures.maand_flags`: the zaken of the month with their facts.
    actief : ndarray of bool
        Per row of ``basis.medewerkers``: active in the month (:func:`actief_in_maand`).
    """

    basis: Basis
    periode: str
    instellingen: Instellingen
    tabel: pd.DataFrame
    teams: pd.DataFrame
    zaken: pd.DataFrame
    actief: np.ndarray

    def trend(self, afdeling: str) -> pd.DataFrame:
        """The rows of one department (or the organisation) for the last ``trend_maanden`` months, oldest first."""
        return eenheid(self.tabel, afdeling).tail(self.instellingen.trend_maanden).reset_index(drop=True)

    def selectie(self, afdeling: str) -> pd.DataFrame:
        """The month's zaken of one department (all for ``"organisatie"``)."""
        if afdeling == ORGANISATIE:
            return self.zaken
        return self.zaken[(self.zaken["afdeling"] == afdeling).to_numpy()]


#: Per-zaak columns of :func:`maand_flags` besides the signals (the figures per zaaktype need them).
_FEITEN = ("identificatie", "zaaktype", "afdeling", "omschrijving", "vertrouwelijkheidaanduiding", "registratiedatum", "gesloten", "doorlooptijd",
           "binnen_norm", "binnen_termijn", "heeft_documenten", "heeft_behandelaar", "heeft_resultaat", "achteraf",
           "volgens_werkwijze", "communicatiekanaal")


def maand_flags(basis: Basis, periode: str, instellingen: Instellingen | None = None) -> pd.DataFrame:
    """The zaak signals of one month for every department at once, scoped as the module docstring says.

    Returns
    -------
    DataFrame
        One row per zaak registered in the month, closed in it or open at its
        end: the per-zaak facts of :class:`~zgwlib.maandrapportage.figures.Basis` (``identificatie``,
        ``zaaktype``, ``afdeling``, ``omschrijving``, ...), ``ontvangen_in_maand``,
        ``gesloten_in_maand``, ``open_einde_maand`` and one bool column per zaak
        signal of :data:`zgwlib.maandrapportage.signals.SIGNALEN` (without document data not
        ``gesloten_zonder_documenten``: unknown).
    """
    inst = instellingen or Instellingen()
    m, peil = periode_index(periode), maand_einde(periode)
    z = basis.zaken
    ontvangen = z["m_reg"].to_numpy() == m
    closed = z["m_eind"].to_numpy() == m
    open_nu = open_op(z, peil)
    rows = np.flatnonzero(ontvangen | closed | open_nu)
    dagen = dagen_sinds_laatste_status(z, basis.statussen, peil, basis.status_zaak, alleen=open_nu)[rows]
    sub = z.iloc[rows]
    out = sub[[c for c in _FEITEN if c in z]].reset_index(drop=True)
    closed, open_nu = closed[rows], open_nu[rows]
    out["ontvangen_in_maand"] = ontvangen[rows]
    out["gesloten_in_maand"] = closed
    out["open_einde_maand"] = open_nu
    out["achteraf_geregistreerd"] = closed & sub["achteraf"].to_numpy()
    if basis.documentgegevens:  # without document data this signal is unknown: no column, no signal, no tip
        out["gesloten_zonder_documenten"] = closed & ~sub["heeft_documenten"].to_numpy(dtype=bool)
    out["zonder_behandelaar"] = (closed | open_nu) & ~sub["heeft_behandelaar"].to_numpy()
    out["gesloten_zonder_resultaat"] = closed & ~sub["heeft_resultaat"].to_numpy()
    out["open_over_termijn"] = open_nu & open_over_termijn(sub, peil)
    out["geen_statuswijziging"] = open_nu & (dagen > inst.dagen_zonder_statuswijziging)
    return out


def maand(basis: Basis, periode: str | None = None, instellingen: Instellingen | None = None) -> Maand:
    """Compute the report month for every department at once (see :class:`Maand`).

    ``periode`` None: the last month the data covers completely. The tables
    cover at least 13 months (the same month last year), also when
    ``trend_maanden`` is shorter.
    """
    inst = instellingen or Instellingen()
    # The peildatum is meta.json's periode_tot when it has one (prepare), else the last day in the data.
    periode = choose_periode({"periode_tot": basis.peildatum.date().isoformat()}, periode)
    n = max(inst.trend_maanden, JAAR + 1)
    return Maand(
        basis=basis,
        periode=periode,
        instellingen=inst,
        # The same for every department's report: computed once per run under zgw run (zgwlib.core.cache).
        tabel=cached_frame("maandcijfers-afdeling", basis.bron, (periode, n, inst),
                           lambda: maandcijfers(basis, periode, n, instellingen=inst)),
        teams=cached_frame("maandcijfers-team", basis.bron, (periode, n, inst),
                           lambda: maandcijfers(basis, periode, n, niveau="team", instellingen=inst)),
        zaken=maand_flags(basis, periode, inst),
        actief=actief_in_maand(basis, periode).to_numpy(),
    )


def per_zaaktype(maand: Maand, afdeling: str = ORGANISATIE) -> pd.DataFrame:
    """Per zaaktype in the month: volume, lead time, on time, open and overdue, and the way of working.

    The figures are those of :func:`maandcijfers` (same definitions, same code),
    grouped by zaaktype instead of department.

    Returns
    -------
    DataFrame
        ``zaaktype``, ``omschrijving`` (untrusted text: escape it), ``ontvangen``,
        ``gesloten``, ``doorlooptijd_mediaan``, ``doorlooptijd_p90``,
        ``binnen_norm``, ``binnen_termijn``, ``open_einde_maand``,
        ``open_over_termijn``, ``met_documenten``, ``achteraf``,
        ``volgens_werkwijze``; zaaktypes with any zaak in the month, the most
        received first (then the most open, then by identificatie).
    """
    z = maand.selectie(afdeling)
    zt = z["zaaktype"]  # a categorical (prepare)
    codes, cats = zt.cat.codes.to_numpy().astype(np.int64), zt.cat.categories.astype("str")
    k = len(cats)
    ok = codes >= 0

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[ok & mask], minlength=k).astype(np.int64)

    closed = ok & z["gesloten_in_maand"].to_numpy()
    gesl = _gesloten_cijfers(z, closed, codes[closed], k)
    out = pd.DataFrame({"zaaktype": pd.Series(cats, dtype="str"),
                        "ontvangen": count(z["ontvangen_in_maand"].to_numpy())})
    for col in gesl:
        out[col] = gesl[col].to_numpy()
    out["open_einde_maand"] = count(z["open_einde_maand"].to_numpy())
    out["open_over_termijn"] = count(z["open_over_termijn"].to_numpy())
    out = out[(out["ontvangen"] + out["gesloten"] + out["open_einde_maand"] > 0).to_numpy()]
    names = maand.basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    out.insert(1, "omschrijving", [str(names.get(c, c)) for c in out["zaaktype"]])
    out["omschrijving"] = out["omschrijving"].astype("str")
    out = out.sort_values(["ontvangen", "open_einde_maand", "zaaktype"], ascending=[False, False, True],
                          kind="stable")
    cols = ["zaaktype", "omschrijving", "ontvangen", "gesloten", "doorlooptijd_mediaan", "doorlooptijd_p90",
            "binnen_norm", "binnen_termijn", "open_einde_maand", "open_over_termijn", "met_documenten", "achteraf",
            "volgens_werkwijze"]
    return out[cols].reset_index(drop=True)
