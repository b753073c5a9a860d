"""Mapping ZGW API resources onto the snapshot contract.

The client (:mod:`zgwlib.data.zgw.api`) downloads the resources and keeps only the
fields listed in :data:`FIELDS`; this module turns those raw frames into the
contract tables, derives ``medewerkers`` from the rollen (or reads an HR
export) and merges an incremental fetch into an existing snapshot.

Column names of the output come from :mod:`zgwlib.data.contract` only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.data import contract
from zgwlib.core.errors import ApiError, InputFileError, Problem, ValidationError

#: Time zone of the municipality: the API sends moments in UTC (or with an offset),
#: the contract stores local time without a zone.
LOCAL_TZ = "Europe/Amsterdam"

#: Fields kept of each resource (everything else in the JSON is dropped at once to save memory).
FIELDS: dict[str, tuple[str, ...]] = {
    "zaken": (
        "url", "identificatie", "bronorganisatie", "zaaktype", "registratiedatum", "startdatum", "einddatum",
        "einddatumGepland", "uiterlijkeEinddatumAfdoening", "resultaat", "archiefnominatie", "archiefstatus",
        "archiefactiedatum", "vertrouwelijkheidaanduiding", "communicatiekanaal", "communicatiekanaalNaam",
        "omschrijving", "verlenging", "opschorting",
    ),
    "statussen": ("url", "zaak", "statustype", "datumStatusGezet", "gezetdoor"),
    # betrokkeneIdentificatie is flattened by :func:`project` into identificatie and naam.
    "rollen": ("url", "zaak", "betrokkeneType", "omschrijvingGeneriek", "registratiedatum", "identificatie", "naam"),
    "resultaten": ("url", "zaak", "resultaattype"),
    "zaakinformatieobjecten": ("url", "zaak", "informatieobject", "registratiedatum"),
    # Documenten API: the document's side of its links to zaken (and besluiten).
    "objectinformatieobjecten": ("informatieobject", "object", "objectType"),
    "enkelvoudiginformatieobjecten": (
        "url", "identificatie", "bronorganisatie", "informatieobjecttype", "creatiedatum", "status",
    ),
    "zaaktypen": (
        "url", "identificatie", "omschrijving", "doorlooptijd", "servicenorm", "verlengingMogelijk",
        "verlengingstermijn", "verantwoordelijke", "versiedatum", "beginGeldigheid",
    ),
    "statustypen": ("url", "zaaktype", "omschrijving", "volgnummer", "isEindstatus"),
    "resultaattypen": ("url", "zaaktype", "omschrijving"),
    "informatieobjecttypen": (
        "url", "omschrijving", "vertrouwelijkheidaanduiding", "beginGeldigheid", "eindeGeldigheid", "concept",
    ),
    # Catalogi API /zaaktype-informatieobjecttypen: the document types of a zaaktype's dossier.
    "zaaktype_informatieobjecttypen": (
        "url", "zaaktype", "zaaktypeIdentificatie", "informatieobjecttype", "volgnummer", "richting", "statustype",
    ),
}

#: Fields without which a resource cannot be used; their absence means the answer breaks the standard.
REQUIRED: dict[str, tuple[str, ...]] = {
    "zaken": ("url", "zaaktype", "startdatum"),
    "statussen": ("url", "zaak", "statustype", "datumStatusGezet"),
    "rollen": ("url", "zaak", "betrokkeneType"),
    "resultaten": ("url", "zaak", "resultaattype"),
    "zaakinformatieobjecten": ("zaak", "informatieobject"),
    "objectinformatieobjecten": ("informatieobject", "object"),
    "enkelvoudiginformatieobjecten": ("url", "informatieobjecttype", "creatiedatum"),
    "zaaktypen": ("url", "identificatie", "omschrijving", "doorlooptijd"),
    "statustypen": ("url", "omschrijving", "volgnummer"),
    "resultaattypen": ("url", "omschrijving"),
    "informatieobjecttypen": ("url", "omschrijving"),
    "zaaktype_informatieobjecttypen": ("url", "zaaktype", "informatieobjecttype", "richting"),
}

# The Documenten API knows more document statuses than the contract; map the extra ones
# onto the nearest contract value (concept: still being worked on; vastgesteld: final).
DOCUMENT_STATUS_MAP = {"concept": "in_bewerking", "vastgesteld": "definitief"}

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<y>\d+(?:[.,]\d+)?)Y)?(?:(?P<mo>\d+(?:[.,]\d+)?)M)?(?:(?P<w>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<d>\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
# A month or year has no fixed length; the Gregorian averages keep P6M at 183 days and P1Y at 365.
_DAYS_PER = {"y": 365.2425, "mo": 365.2425 / 12, "w": 7.0, "d": 1.0, "h": 1 / 24, "mi": 1 / 1440, "s": 1 / 86400}
_OFFSET = re.compile(r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$")


def duration_days(value: str | None) -> int | None:
    """Convert an ISO 8601 duration (``P56D``, ``P8W``, ``P6M``, ``P1Y2M``) to whole days.

    Months and years count as their Gregorian average (30.44 and 365.24 days),
    rounded to the nearest day at the end.

    Returns
    -------
    int or None
        ``None`` for an empty value.

    Raises
    ------
    ValueError
        When ``value`` is not an ISO 8601 duration.
    """
    if value is None or value == "":
        return None
    m = _DURATION.match(str(value).strip())
    if not m:
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    days = sum(float(v.replace(",", ".")) * _DAYS_PER[k] for k, v in m.groupdict().items() if v)
    return int(round(days))


def project(name: str, item: Any, source: str) -> tuple[Any, ...]:
    """Keep the :data:`FIELDS` of one resource as a tuple, checking the :data:`REQUIRED` ones.

    Parameters
    ----------
    name : str
        Resource name (key of :data:`FIELDS`).
    item : object
        One decoded JSON object from the API.
    source : str
        The URL it came from, for the error message.

    Raises
    ------
    ApiError
        When ``item`` is not an object or lacks a required field.
    """
    if not isinstance(item, dict):
        raise ApiError(f"{source}: a {name} item is not a JSON object ({type(item).__name__}); "
                       "the answer does not follow the ZGW standard.")
    for key in REQUIRED[name]:
        if item.get(key) in (None, ""):
            raise ApiError(f"{source}: a {name} item has no {key!r} "
                           f"({item.get('url') or 'no url'}); the answer does not follow the ZGW standard.")
    if name == "rollen":
        ident = item.get("betrokkeneIdentificatie") or {}
        if not isinstance(ident, dict):
            ident = {}
        if item.get("betrokkeneType") == "medewerker":
            naam = " ".join(str(p) for p in (ident.get("voorletters"), ident.get("voorvoegselAchternaam"),
                                             ident.get("achternaam")) if p) or None
        else:
            naam = ident.get("naam") or None
        return (item["url"], item["zaak"], item["betrokkeneType"], item.get("omschrijvingGeneriek"),
                item.get("registratiedatum"), ident.get("identificatie") or None, naam)
    return tuple(item.get(k) for k in FIELDS[name])


def project_page(name: str, items: list[Any], source: str) -> list[tuple[Any, ...]]:
    """:func:`project` for a whole page of resources at once (column by column: about 3x faster).

    Raises
    ------
    ApiError
        As :func:`project`, naming the first item that is not an object or lacks a required field.
    """
    fields = FIELDS[name]
    if name == "rollen" or not items:
        return [project(name, x, source) for x in items]
    try:
        columns = [[x.get(k) for x in items] for k in fields]
    except AttributeError:  # an item that is not a JSON object
        for x in items:
            project(name, x, source)
        raise
    for k in REQUIRED[name]:
        column = columns[fields.index(k)]
        if None in column or "" in column:
            for x in items:
                project(name, x, source)
    return list(zip(*columns))


def frame(name: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Turn projected rows of resource ``name`` into a frame with the :data:`FIELDS` as columns.

    The columns stay Python objects: they are mostly URLs used as join keys, and
    converting them to pandas' Arrow strings first would only cost time.
    """
    return pd.DataFrame(rows or None, columns=list(FIELDS[name]), dtype=object)


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """Row of each of ``values`` in the unique ``index`` (-1 when absent or empty): one pass over the values."""
    return index.get_indexer(values.to_numpy(dtype=object))


def _take(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values[positions]`` with ``None`` where the position is -1."""
    return np.append(values.astype(object), None)[positions]


def _scatter(n: int, positions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """An object array of ``n`` ``None`` with ``values`` put at ``positions`` (>= 0; the last of a repeat wins)."""
    out = np.full(n, None, dtype=object)
    ok = positions >= 0
    out[positions[ok]] = values[ok]
    return out


def _lookup(values: pd.Series, mapping: Mapping[Any, Any]) -> np.ndarray:
    """``values`` mapped through ``mapping`` (``None`` where missing), looking up each distinct value once.

    Much cheaper than ``Series.map(dict)`` on long URL strings: one hash pass over
    the values, and the (usually few) distinct ones through the dict.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    return np.array([mapping.get(u) for u in uniques] + [None], dtype=object)[codes]


def _blank_to_na(s: pd.Series) -> pd.Series:
    s = s.astype(object)
    return s.where(s.notna() & (s != ""), None)


def _dates(s: pd.Series, what: str) -> pd.Series:
    s = _blank_to_na(s)
    try:
        # Only the day counts; a time part (some servers send one) is dropped.
        return pd.to_datetime(s.str.slice(0, 10), format="%Y-%m-%d").astype("datetime64[us]")
    except (ValueError, TypeError, AttributeError):
        bad = [v for v in s.dropna().unique()[:1000] if not re.match(r"^\d{4}-\d{2}-\d{2}", str(v))][:3]
        raise ApiError(f"{what} holds values that are not dates (e.g. {', '.join(map(repr, bad)) or '?'}); "
                       "the answer does not follow the ZGW standard.") from None


def local_datetimes(s: pd.Series, what: str) -> pd.Series:
    """Parse ISO 8601 moments to local time without a zone (contract ``datetime``).

    A moment with an offset (``Z``, ``+01:00``) is converted to :data:`LOCAL_TZ`;
    one without an offset is taken as local time already.
    """
    s = _blank_to_na(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    present = s.notna()
    if not present.any():
        return out
    text = s[present].astype(str)
    has_offset = text.str.contains(_OFFSET)
    try:
        if has_offset.any():
            aware = pd.to_datetime(text[has_offset], format="ISO8601", utc=True)
            out.loc[aware.index] = aware.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[us]")
        if (~has_offset).any():
            naive = pd.to_datetime(text[~has_offset], format="ISO8601")
            out.loc[naive.index] = naive.astype("datetime64[us]")
    except (ValueError, TypeError):
        raise ApiError(f"{what} holds values that are not ISO 8601 date-times (e.g. {text.iloc[0]!r}); "
                       "the answer does not follow the ZGW standard.") from None
    return out


def _durations(s: pd.Series, what: str) -> pd.Series:
    values = {}
    for v in s.dropna().unique():
        try:
            values[v] = duration_days(v)
        except ValueError:
            raise ApiError(f"{what}: {v!r} is not an ISO 8601 duration; the answer does not follow the ZGW standard."
                           ) from None
    return s.map(values).astype("Int64")


def _part(s: pd.Series, key: str) -> pd.Series:
    """Field ``key`` of a nested object column (``verlenging``, ``opschorting``); ``None`` where absent."""
    return pd.Series([v.get(key) if isinstance(v, dict) else None for v in s.to_numpy(dtype=object)],
                     index=s.index, dtype=object)


def map_verlenging_opschorting(zaken: pd.DataFrame) -> dict[str, pd.Series]:
    """The contract's extension and suspension columns from the Zaken API's ``verlenging`` and ``opschorting``.

    ``verlenging`` is ``null`` or ``{reden, duur}`` with ``duur`` an ISO 8601 duration (``P42D``): its days become
    ``verlenging_duur_dagen``. ``opschorting`` is ``{indicatie, reden}``; Open Zaak sends it on every zaak (indicatie
    false, reden ""), so a missing object means "unknown", not "not suspended". Reasons are kept as written.
    """
    verlenging = zaken["verlenging"] if "verlenging" in zaken else pd.Series(None, index=zaken.index, dtype=object)
    opschorting = zaken["opschorting"] if "opschorting" in zaken else pd.Series(None, index=zaken.index, dtype=object)
    indicatie = _part(opschorting, "indicatie")
    bad = indicatie.notna() & ~indicatie.map(lambda v: isinstance(v, bool))
    if bad.any():
        raise ApiError(f"zaken.opschorting.indicatie holds {indicatie[bad].iloc[0]!r}, not true or false; "
                       "the answer does not follow the ZGW standard.")
    return {
        "verlenging_reden": _blank_to_na(_part(verlenging, "reden")),
        "verlenging_duur_dagen": _durations(_blank_to_na(_part(verlenging, "duur")), "zaken.verlenging.duur"),
        "opschorting_indicatie": pd.Series(indicatie.to_numpy(dtype=object), index=zaken.index, dtype="boolean"),
        "opschorting_reden": _blank_to_na(_part(opschorting, "reden")),
    }


@dataclass
class Catalogue:
    """The Catalogi API resources the mapping needs, keyed by URL.

    Attributes
    ----------
    zaaktypen : pandas.DataFrame
        Raw zaaktypen (every version).
    statustypen, resultaattypen, informatieobjecttypen : pandas.DataFrame
        Raw types.
    zaaktype_informatieobjecttypen : pandas.DataFrame or None
        Raw document types per zaaktype; ``None`` when the Catalogi API has no such list (HTTP 404).
    """

    zaaktypen: pd.DataFrame
    statustypen: pd.DataFrame
    resultaattypen: pd.DataFrame
    informatieobjecttypen: pd.DataFrame
    zaaktype_informatieobjecttypen: pd.DataFrame | None = None

    def zaaktype_ids(self) -> dict[str, str]:
        """Zaaktype URL -> identificatie (every version)."""
        return dict(zip(self.zaaktypen["url"], self.zaaktypen["identificatie"]))

    def missing(self, kind: str, urls: pd.Series) -> list[str]:
        """URLs in ``urls`` that the ``kind`` table does not have (e.g. a concept version)."""
        known = set(getattr(self, kind)["url"])
        return sorted({u for u in urls.dropna().unique() if u not in known})


@dataclass
class Mapped:
    """Result of mapping one fetch onto the contract.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``zaken``, ``statussen``, ``documenten``, ``zaaktypen``, ``informatieobjecttypen``, ``medewerkers``.
    zaak_urls : dict of str to str
        Zaak URL -> identificatie of the zaken in this fetch.
    notes : list of str
        Things the user should know (fallbacks taken), in English like the CLI.
    """

    tables: dict[str, pd.DataFrame]
    zaak_urls: dict[str, str]
    notes: list[str] = field(default_factory=list)
    #: Documents in zaken the application may not see, and those zaken (``None``: not looked up).
    niet_zichtbaar: dict[str, int] | None = None


def _latest_zaaktypen(cat: Catalogue) -> pd.DataFrame:
    """The version of each zaaktype the snapshot describes: the latest versiedatum (then beginGeldigheid)."""
    zt = cat.zaaktypen.copy()
    zt["_versie"] = zt["versiedatum"].fillna("").astype(str) + "|" + zt["beginGeldigheid"].fillna("").astype(str)
    return zt.sort_values("_versie").drop_duplicates("identificatie", keep="last")


def map_zaaktypen(cat: Catalogue, zaken: pd.DataFrame | None = None) -> pd.DataFrame:
    """Map the zaaktypen onto the contract: one row per identificatie, its latest version.

    ``afdeling`` is the department that handles most of the zaaktype's zaken
    (the catalogue has no department); without zaken it is the zaaktype's
    ``verantwoordelijke``.
    """
    zt = _latest_zaaktypen(cat)
    out = pd.DataFrame({
        "identificatie": zt["identificatie"].astype(str),
        "omschrijving": zt["omschrijving"].astype(str),
        "doorlooptijd_dagen": _durations(zt["doorlooptijd"], "zaaktypen.doorlooptijd"),
        "servicenorm_dagen": _durations(_blank_to_na(zt["servicenorm"]), "zaaktypen.servicenorm"),
        "verlenging_mogelijk": zt["verlengingMogelijk"].fillna(False).astype(bool),
        "verlengingstermijn_dagen": _durations(_blank_to_na(zt["verlengingstermijn"]), "zaaktypen.verlengingstermijn"),
        "afdeling": _blank_to_na(zt["verantwoordelijke"]),
    })
    if zaken is not None and len(zaken):
        counts = zaken.groupby(["zaaktype", "afdeling"]).size().reset_index(name="n")
        # Most zaken first; alphabetical on a tie so the choice is stable.
        best = counts.sort_values(["zaaktype", "n", "afdeling"], ascending=[True, False, True]).drop_duplicates(
            "zaaktype")
        from_zaken = out["identificatie"].map(dict(zip(best["zaaktype"], best["afdeling"])))
        out["afdeling"] = from_zaken.where(from_zaken.notna(), out["afdeling"])
    out["afdeling"] = out["afdeling"].fillna("onbekend")
    return contract.conform("zaaktypen", out.sort_values("identificatie"))


def map_informatieobjecttypen(cat: Catalogue) -> pd.DataFrame:
    """Map the informatieobjecttypen onto the contract's optional catalogue: one row per omschrijving.

    The documents name their type by omschrijving, so versions of one type (the
    same omschrijving) become one row: the published version that began last,
    a concept only when there is no published one.
    """
    iot = cat.informatieobjecttypen
    if iot.empty:
        return contract.TABLES["informatieobjecttypen"].empty()
    iot = iot.assign(
        _concept=iot["concept"].fillna(False).astype(bool),
        _begin=_dates(iot["beginGeldigheid"], "informatieobjecttypen.beginGeldigheid"),
    )
    iot = iot.sort_values(["_concept", "_begin"], ascending=[False, True], na_position="first", kind="stable")
    iot = iot.drop_duplicates("omschrijving", keep="last")
    einde = _blank_to_na(iot["eindeGeldigheid"])
    out = pd.DataFrame({
        "omschrijving": iot["omschrijving"].astype(str),
        "vertrouwelijkheidaanduiding": _blank_to_na(iot["vertrouwelijkheidaanduiding"]),
        "begin_geldigheid": iot["_begin"],
        "einde_geldigheid": (_dates(einde, "informatieobjecttypen.eindeGeldigheid") if einde.notna().any()
                             else pd.Series(pd.NaT, index=iot.index, dtype="datetime64[us]")),
    })
    return contract.conform("informatieobjecttypen", out.sort_values("omschrijving"))


def map_zaaktype_informatieobjecttypen(cat: Catalogue) -> pd.DataFrame:
    """Map the Catalogi API's zaaktype-informatieobjecttypen onto the contract's optional table.

    Only the rows of the zaaktype version the snapshot describes (:func:`_latest_zaaktypen`) count, so an
    older version's dossier does not add requirements. The Catalogi API 1.3 names the document type by its
    omschrijving; Open Zaak 1.30 sends the informatieobjecttype's URL instead (tests/openzaak-recorded), which is
    looked up in the catalogue. A statustype URL becomes its omschrijving.
    """
    zti = cat.zaaktype_informatieobjecttypen
    if zti is None or zti.empty:
        return contract.TABLES["zaaktype_informatieobjecttypen"].empty()
    latest = _latest_zaaktypen(cat)
    zti = zti[zti["zaaktype"].isin(set(latest["url"]))]
    iot = dict(zip(cat.informatieobjecttypen["url"], cat.informatieobjecttypen["omschrijving"]))
    naam = pd.Series([iot.get(v, v) for v in zti["informatieobjecttype"]], index=zti.index, dtype=object)
    unknown = naam.str.match(r"^https?://")
    if unknown.any():
        raise ApiError(f"a zaaktype-informatieobjecttype refers to informatieobjecttype {naam[unknown].iloc[0]}, "
                       "which the Catalogi API does not know.")
    statustype = dict(zip(cat.statustypen["url"], cat.statustypen["omschrijving"]))
    out = pd.DataFrame({
        "zaaktype": _lookup(zti["zaaktype"], cat.zaaktype_ids()),
        "informatieobjecttype": naam,
        "richting": zti["richting"],
        "volgnummer": pd.array(zti["volgnummer"].to_numpy(dtype=object), dtype="Int64"),
        "statustype": _lookup(_blank_to_na(zti["statustype"]), statustype),
    }, index=zti.index)
    return contract.conform("zaaktype_informatieobjecttypen",
                            out.sort_values(["zaaktype", "volgnummer", "informatieobjecttype"]))


def map_fetch(
    cat: Catalogue,
    raw: Mapping[str, pd.DataFrame],
    kanalen: Mapping[str, str | None],
    *,
    documents_listed: bool,
    old_links: Mapping[str, str] | None = None,
    extra_zaken: Mapping[str, str] | None = None,
    hidden: Mapping[str, str] | None = None,
) -> Mapped:
    """Map the resources of one fetch onto the contract tables.

    Parameters
    ----------
    cat : Catalogue
        The catalogue (every type URL the resources refer to must be in it).
    raw : mapping of str to DataFrame
        Frames of projected resources (see :func:`frame`): ``zaken``, ``statussen``,
        ``rollen``, ``resultaten``, ``zaakinformatieobjecten``, ``enkelvoudiginformatieobjecten``.
    kanalen : mapping of str to str
        Communicatiekanaal URL -> naam (``None`` when it could not be resolved).
    documents_listed : bool
        Whether ``enkelvoudiginformatieobjecten`` is the complete Documenten API list
        (then a document without a zaak is a document outside any zaak) or only the
        documents the zaken of this fetch point to.
    old_links : mapping of str to str, optional
        Document identificatie -> zaak identificatie from an earlier snapshot, for
        documents of zaken that this (incremental) fetch did not read again.
    extra_zaken : mapping of str to str, optional
        Zaak URL -> identificatie of zaken not in this fetch but known to be in the
        snapshot (looked up separately), so links to them are kept.
    hidden : mapping of str to str, optional
        Document URL -> zaak URL for documents that the Documenten API links to a
        zaak the Zaken API did not return (one the application may not see): they
        are not documents outside any zaak, and are left out and counted in
        :attr:`Mapped.niet_zichtbaar`. ``None``: not looked up.
    """
    zk = _index_zaken(raw["zaken"])
    rollen = _attach_rollen(raw["rollen"], zk)
    notes: list[str] = []
    out = _map_zaken(zk, cat, kanalen, rollen, _map_resultaten(raw["resultaten"], cat, zk), notes)
    statussen, st_zaak = _map_statussen(raw["statussen"], cat, zk, rollen.medewerkers)
    documenten, niet_zichtbaar = _map_documenten(raw, cat, zk, notes, documents_listed=documents_listed,
                                                 old_links=old_links, extra_zaken=extra_zaken, hidden=hidden)
    at_work = _days_at_work(statussen, rollen, out)
    tables = {
        "zaken": contract.conform("zaken", out.sort_values(["registratiedatum", "identificatie"])),
        "statussen": contract.conform("statussen", statussen.iloc[_status_order(statussen, st_zaak, zk)]),
        "documenten": contract.conform("documenten", documenten.sort_values("identificatie")),
        "medewerkers": derive_medewerkers(rollen.all, {}, dict(zip(zk.frame["_key"], out["afdeling"])), at_work),
    }
    tables["zaaktypen"] = map_zaaktypen(cat, tables["zaken"])
    tables["informatieobjecttypen"] = map_informatieobjecttypen(cat)
    tables["zaaktype_informatieobjecttypen"] = map_zaaktype_informatieobjecttypen(cat)
    return Mapped(tables, dict(zip(zk.frame["_key"], zk.frame["identificatie"])), notes, niet_zichtbaar)


@dataclass
class _Zaken:
    """The zaken of one fetch, resolved once: everything that points at a zaak finds its row through ``index``.

    Attributes
    ----------
    frame : DataFrame
        The raw zaken, one row per URL (``_key``), ``identificatie`` filled in (a zaak without one: its UUID).
    index : pandas.Index
        The zaak URLs, in the rows' order (one hash table, reused).
    ids : numpy.ndarray
        The identificaties, in the rows' order.
    """

    frame: pd.DataFrame
    index: pd.Index
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.frame)


def _index_zaken(raw_zaken: pd.DataFrame) -> _Zaken:
    """The zaken with their identificatie, one per URL; refuses two zaken sharing an identificatie."""
    zaken = raw_zaken.copy()
    zaken["_key"] = zaken["url"]
    zaken["identificatie"] = _blank_to_na(zaken["identificatie"])
    # A zaak without identificatie (allowed by the standard) is named by its UUID.
    no_id = zaken["identificatie"].isna()
    zaken.loc[no_id, "identificatie"] = zaken.loc[no_id, "_key"].str.rsplit("/", n=1).str[-1]
    zaken = zaken.drop_duplicates("_key", keep="last").reset_index(drop=True)
    dup = zaken["identificatie"].duplicated(keep=False)
    if dup.any():
        raise ApiError(f"the Zaken API returned {int(dup.sum())} zaken sharing an identificatie "
                       f"(e.g. {zaken.loc[dup, 'identificatie'].iloc[0]!r}); use --bronorganisatie to read "
                       "one organisation's zaken.")
    return _Zaken(zaken, pd.Index(zaken["_key"].to_numpy(dtype=object), dtype=object),
                  zaken["identificatie"].to_numpy(dtype=object))


@dataclass
class _Rollen:
    """The rollen of the fetched zaken (``_z``: the zaak's row), and the ones that say who and which department.

    Attributes
    ----------
    all : DataFrame
        Every rol of a fetched zaak, with ``_z``, ``_zaak`` and ``_reg`` (local registratiedatum).
    afdeling : DataFrame
        Per zaak its department rol (organisatorische_eenheid; the behandelaar one first, then the earliest).
    medewerkers : DataFrame
        Medewerker rollen with an identificatie.
    behandelaar : DataFrame
        Per zaak its latest behandelaar rol (a handover adds a new rol).
    """

    all: pd.DataFrame
    afdeling: pd.DataFrame
    medewerkers: pd.DataFrame
    behandelaar: pd.DataFrame


def _attach_rollen(raw_rollen: pd.DataFrame, zk: _Zaken) -> _Rollen:
    """Rollen: the department and the handler of each zaak."""
    pos = _positions(zk.index, raw_rollen["zaak"])
    rollen = raw_rollen[pos >= 0].assign(_z=pos[pos >= 0])
    rollen["_zaak"] = rollen["zaak"]
    rollen["_reg"] = local_datetimes(rollen["registratiedatum"], "rollen.registratiedatum")
    org = rollen[(rollen["betrokkeneType"] == "organisatorische_eenheid")
                 & (rollen["naam"].notna() | rollen["identificatie"].notna())].copy()
    # The reports name departments, so the unit's name wins over its code.
    org["afdeling"] = org["naam"].where(org["naam"].notna(), org["identificatie"])
    org["_pref"] = (org["omschrijvingGeneriek"] != "behandelaar").astype(int)
    org = org.sort_values(["_z", "_pref", "_reg"], kind="stable").drop_duplicates("_z")
    mdw = rollen[(rollen["betrokkeneType"] == "medewerker") & rollen["identificatie"].notna()]
    beh = mdw[mdw["omschrijvingGeneriek"] == "behandelaar"].sort_values(["_z", "_reg"], kind="stable")
    # The latest behandelaar rol is the current handler (a handover adds a new rol).
    return _Rollen(rollen, org, mdw, beh.drop_duplicates("_z", keep="last"))


def _map_resultaten(raw_resultaten: pd.DataFrame, cat: Catalogue, zk: _Zaken) -> np.ndarray:
    """Per zaak its resultaattype omschrijving: by the zaak's resultaat URL, else by the resultaat's zaak."""
    res = raw_resultaten.drop_duplicates("url")
    rt = dict(zip(cat.resultaattypen["url"], cat.resultaattypen["omschrijving"]))
    res_naam = _lookup(res["resultaattype"], rt)
    resultaat = _take(res_naam, _positions(pd.Index(res["url"].to_numpy(dtype=object), dtype=object),
                                           zk.frame["resultaat"]))
    by_zaak = _scatter(len(zk), _positions(zk.index, res["zaak"]), res_naam)
    return np.where(pd.isna(resultaat), by_zaak, resultaat)


def _map_zaken(zk: _Zaken, cat: Catalogue, kanalen: Mapping[str, str | None], rollen: _Rollen,
               resultaat: np.ndarray, notes: list[str]) -> pd.DataFrame:
    """The contract's zaken (unsorted), noting the fallbacks taken (afdeling, communicatiekanaal)."""
    zaken, n_zaken = zk.frame, len(zk)
    zaaktype = pd.Series(_lookup(zaken["zaaktype"], cat.zaaktype_ids()), dtype=object)
    if zaaktype.isna().any():
        bad = zaken.loc[zaaktype.isna(), "zaaktype"].iloc[0]
        raise ApiError(f"zaak {zaken.loc[zaaktype.isna(), 'identificatie'].iloc[0]} refers to zaaktype {bad}, "
                       "which the Catalogi API does not know; check --catalogi-url.")
    kanaal = _blank_to_na(zaken["communicatiekanaalNaam"])
    kanaal = kanaal.where(kanaal.notna(), pd.Series(_lookup(_blank_to_na(zaken["communicatiekanaal"]), kanalen),
                                                    index=zaken.index, dtype=object))
    org, beh = rollen.afdeling, rollen.behandelaar
    out = pd.DataFrame({
        "identificatie": zaken["identificatie"],
        "zaaktype": zaaktype,
        "afdeling": _scatter(n_zaken, org["_z"].to_numpy(), org["afdeling"].to_numpy(dtype=object)),
        "behandelaar": _scatter(n_zaken, beh["_z"].to_numpy(), beh["identificatie"].to_numpy(dtype=object)),
        "registratiedatum": _dates(zaken["registratiedatum"].where(zaken["registratiedatum"].notna(),
                                                                   zaken["startdatum"]), "zaken.registratiedatum"),
        "startdatum": _dates(zaken["startdatum"], "zaken.startdatum"),
        "einddatum": _dates(zaken["einddatum"], "zaken.einddatum"),
        "einddatum_gepland": _dates(zaken["einddatumGepland"], "zaken.einddatumGepland"),
        "uiterlijke_einddatum_afdoening": _dates(zaken["uiterlijkeEinddatumAfdoening"],
                                                 "zaken.uiterlijkeEinddatumAfdoening"),
        "resultaat": resultaat,
        "archiefnominatie": _blank_to_na(zaken["archiefnominatie"]),
        "archiefstatus": _blank_to_na(zaken["archiefstatus"]).fillna("nog_te_archiveren"),
        "archiefactiedatum": _dates(zaken["archiefactiedatum"], "zaken.archiefactiedatum"),
        "vertrouwelijkheidaanduiding": _blank_to_na(zaken["vertrouwelijkheidaanduiding"]),
        "communicatiekanaal": kanaal,
        "omschrijving": _blank_to_na(zaken["omschrijving"]),
        **map_verlenging_opschorting(zaken),
    })
    no_org = out["afdeling"].isna()
    if no_org.any():
        # Without an organisatorische_eenheid rol the zaaktype's owner is the best guess.
        by_url = dict(zip(cat.zaaktypen["url"], _blank_to_na(cat.zaaktypen["verantwoordelijke"])))
        owner = pd.Series(_lookup(zaken.loc[no_org, "zaaktype"], by_url), index=out.index[no_org], dtype=object)
        out.loc[no_org, "afdeling"] = owner.fillna("onbekend")
        notes.append(f"{int(no_org.sum())} zaken have no rol of type organisatorische_eenheid; their afdeling "
                     "is the zaaktype's verantwoordelijke.")
    unresolved = sum(1 for v in kanalen.values() if v is None)
    if unresolved:
        notes.append(f"{unresolved} communicatiekanaal URL(s) could not be resolved to a name; "
                     "communicatiekanaal is left empty for those zaken.")
    return out


def _map_statussen(raw_statussen: pd.DataFrame, cat: Catalogue, zk: _Zaken, mdw: pd.DataFrame
                   ) -> tuple[pd.DataFrame, np.ndarray]:
    """The contract's statussen of the fetched zaken (unsorted) and each one's zaak row."""
    st = raw_statussen.drop_duplicates("url")
    pos = _positions(zk.index, st["zaak"])
    st, st_zaak = st[pos >= 0], pos[pos >= 0]
    stt = cat.statustypen.drop_duplicates("url")
    codes, types = pd.factorize(st["statustype"].to_numpy(dtype=object))
    # The few distinct statustypen are looked up once; each status takes its type's row.
    tpos = np.append(_positions(pd.Index(stt["url"].to_numpy(dtype=object), dtype=object), pd.Series(types)), -1)[codes]
    rol_person = dict(zip(mdw["url"], mdw["identificatie"]))
    statussen = pd.DataFrame({
        "zaak": zk.ids[st_zaak],
        "statustype": _take(stt["omschrijving"].to_numpy(dtype=object), tpos),
        "volgnummer": pd.array(_take(stt["volgnummer"].to_numpy(dtype=object), tpos), dtype="Int64"),
        "datum_status_gezet": local_datetimes(st["datumStatusGezet"], "statussen.datumStatusGezet").to_numpy(),
        "is_eindstatus": _take(stt["isEindstatus"].to_numpy(dtype=object), tpos) == True,  # noqa: E712 - None is False
        "gezet_door": _lookup(st["gezetdoor"], rol_person),
    })
    if (tpos < 0).any():
        bad = st["statustype"].iloc[int(np.flatnonzero(tpos < 0)[0])]
        raise ApiError(f"a status refers to statustype {bad}, which the Catalogi API does not know.")
    return statussen, st_zaak


def _status_order(statussen: pd.DataFrame, st_zaak: np.ndarray, zk: _Zaken) -> np.ndarray:
    """Statussen in zaak order: the rank of each zaak's identificatie, not a sort of 400,000 strings."""
    rank = np.empty(len(zk), dtype=np.int64)
    rank[np.argsort(zk.ids.astype(str), kind="stable")] = np.arange(len(zk))
    return np.lexsort((statussen["volgnummer"].to_numpy(dtype="float64", na_value=np.nan),
                       statussen["datum_status_gezet"].to_numpy(), rank[st_zaak]))


def _document_zaken(raw: Mapping[str, pd.DataFrame], zk: _Zaken, extra_zaken: Mapping[str, str] | None
                    ) -> tuple[pd.DataFrame, set[str]]:
    """Per document URL (``_io``) its zaak identificatie (``_zaak``), and the documents linked only to other zaken."""
    known_zaak = dict(zip(zk.frame["_key"], zk.frame["identificatie"]))
    known_zaak.update(extra_zaken or {})
    zio = raw["zaakinformatieobjecten"].copy()
    zio["_zaak"] = _lookup(zio["zaak"], known_zaak)
    zio["_io"] = zio["informatieobject"]
    foreign = set(zio.loc[zio["_zaak"].isna(), "_io"])
    # A document linked to several zaken belongs to the first one it was linked to.
    zio = zio[zio["_zaak"].notna()].sort_values("registratiedatum", na_position="last", kind="stable")
    return zio.drop_duplicates("_io", keep="first"), foreign


def _map_documenten(raw: Mapping[str, pd.DataFrame], cat: Catalogue, zk: _Zaken, notes: list[str], *,
                    documents_listed: bool, old_links: Mapping[str, str] | None,
                    extra_zaken: Mapping[str, str] | None, hidden: Mapping[str, str] | None
                    ) -> tuple[pd.DataFrame, dict[str, int] | None]:
    """The contract's documenten (unsorted) and what the application may not see (see :func:`map_fetch`)."""
    zio, foreign = _document_zaken(raw, zk, extra_zaken)
    eio = raw["enkelvoudiginformatieobjecten"].copy()
    eio["_key"] = eio["url"]
    eio = eio.drop_duplicates("_key", keep="last")
    eio["identificatie"] = _blank_to_na(eio["identificatie"])
    no_id = eio["identificatie"].isna()
    eio.loc[no_id, "identificatie"] = eio.loc[no_id, "_key"].str.rsplit("/", n=1).str[-1]
    doc_zaak = pd.Series(_take(zio["_zaak"].to_numpy(dtype=object),
                               _positions(pd.Index(zio["_io"].to_numpy(dtype=object), dtype=object), eio["_key"])),
                         index=eio.index, dtype=object)
    if old_links:
        doc_zaak = doc_zaak.where(doc_zaak.notna(), pd.Series(_lookup(eio["identificatie"], old_links),
                                                              index=eio.index, dtype=object))
    # Linked only to zaken outside this snapshot (another organisation): not ours to count.
    keep = doc_zaak.notna() | ~eio["_key"].isin(foreign)
    if not documents_listed:
        keep &= doc_zaak.notna()
    # In a zaak this application may not see (above its maximum vertrouwelijkheidaanduiding, or of a zaaktype it
    # may not read): the Zaken API hides the zaak and its links, the Documenten API still knows the link.
    invisible = doc_zaak.isna() & eio["_key"].isin(set(hidden or ()))
    keep &= ~invisible
    niet_zichtbaar = None if hidden is None else {
        "zaken": len({hidden[u] for u in eio.loc[invisible, "_key"]}), "documenten": int(invisible.sum())}
    if niet_zichtbaar and niet_zichtbaar["documenten"]:
        notes.append(f"{niet_zichtbaar['documenten']} documents belong to {niet_zichtbaar['zaken']} zaken this "
                     "application may not see; they are left out (meta.json: niet_zichtbaar).")
    iot = dict(zip(cat.informatieobjecttypen["url"], cat.informatieobjecttypen["omschrijving"]))
    documenten = pd.DataFrame({
        "identificatie": eio["identificatie"],
        "zaak": doc_zaak,
        "informatieobjecttype": _lookup(eio["informatieobjecttype"], iot),
        "creatiedatum": _dates(eio["creatiedatum"], "enkelvoudiginformatieobjecten.creatiedatum"),
        "status": _blank_to_na(eio["status"]).replace(DOCUMENT_STATUS_MAP),
    })[keep.to_numpy()]
    if documenten["informatieobjecttype"].isna().any():
        raise ApiError("a document refers to an informatieobjecttype the Catalogi API does not know.")
    return documenten[~documenten["identificatie"].duplicated(keep="last")], niet_zichtbaar


def _days_at_work(statussen: pd.DataFrame, rollen: _Rollen, out: pd.DataFrame) -> pd.DataFrame:
    """Days that show a person at work (``identificatie``, ``_when``), for :func:`derive_medewerkers`.

    A rol's registratiedatum is the day the zaaksysteem stored the rol (after a migration or bulk load, the load
    day), so the statuses they set and the zaken they handled count too: the first behandelaar from the zaak's
    registratie, the last one on its einddatum.
    """
    mdw, beh = rollen.medewerkers, rollen.behandelaar
    handlers = mdw[mdw["omschrijvingGeneriek"] == "behandelaar"].sort_values(["_z", "_reg"], kind="stable")
    first_handler = handlers.drop_duplicates("_z", keep="first")
    return pd.concat([
        pd.DataFrame({"identificatie": statussen["gezet_door"].to_numpy(dtype=object),
                      "_when": statussen["datum_status_gezet"].to_numpy()}),
        pd.DataFrame({"identificatie": first_handler["identificatie"].to_numpy(dtype=object),
                      "_when": out["registratiedatum"].to_numpy()[first_handler["_z"].to_numpy()]}),
        pd.DataFrame({"identificatie": beh["identificatie"].to_numpy(dtype=object),
                      "_when": out["einddatum"].to_numpy()[beh["_z"].to_numpy()]}),
    ], ignore_index=True).dropna()


def update_archive_states(zaken: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Copy the archive fields of re-read zaken (``raw``, Zaken API frames) onto the contract ``zaken``.

    ``archiefnominatie``, ``archiefstatus`` and ``archiefactiedatum`` of each zaak in both (by identificatie, a
    zaak without one by its UUID, as :func:`map_fetch` names it) become those of ``raw``; nothing else changes, and
    zaken only in ``raw`` are not added.
    """
    if raw.empty:
        return zaken
    ident = _blank_to_na(raw["identificatie"])
    ident = ident.where(ident.notna(), raw["url"].str.rsplit("/", n=1).str[-1])
    new = pd.DataFrame({
        "archiefnominatie": _blank_to_na(raw["archiefnominatie"]).to_numpy(),
        "archiefstatus": _blank_to_na(raw["archiefstatus"]).fillna("nog_te_archiveren").to_numpy(),
        "archiefactiedatum": _dates(raw["archiefactiedatum"], "zaken.archiefactiedatum").to_numpy(),
    }, index=pd.Index(ident.to_numpy(dtype=object), name="identificatie"))
    new = new[~new.index.duplicated(keep="last")]
    pos = _positions(pd.Index(new.index, dtype=object), zaken["identificatie"])
    hit = pos >= 0
    out = zaken.copy()
    for col in new.columns:
        values = out[col].to_numpy(copy=True)
        values[hit] = new[col].to_numpy()[pos[hit]]
        out[col] = values
    return contract.conform("zaken", out)


def derive_medewerkers(rollen: pd.DataFrame, zaak_id: Mapping[str, str], zaak_afdeling: Mapping[str, str],
                       at_work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Staff from the medewerker rollen: the ZGW APIs have no staff register.

    ``actief_sinds`` is the earliest day that shows a person at work: their
    first rol, or an earlier day in ``at_work`` (columns ``identificatie`` and
    ``_when``: statuses they set, zaken they handled); ``afdeling`` the
    department of most of the zaken they have a rol in, ``naam`` from the rol.
    """
    r = rollen
    if "_zaak" not in r:
        r = r.assign(_zaak=r["zaak"], _reg=local_datetimes(r["registratiedatum"], "rollen.registratiedatum"))
    m = r[(r["betrokkeneType"] == "medewerker") & r["identificatie"].notna()].copy()
    if m.empty:
        return contract.TABLES["medewerkers"].empty()
    m["_afd"] = _lookup(m["_zaak"], zaak_afdeling)
    counts = m.dropna(subset=["_afd"]).groupby(["identificatie", "_afd"]).size().reset_index(name="n")
    afd = counts.sort_values(["identificatie", "n", "_afd"], ascending=[True, False, True]).drop_duplicates(
        "identificatie").set_index("identificatie")["_afd"]
    m = m.sort_values("_reg", na_position="last")
    first = m.groupby("identificatie")["_reg"].min()
    if at_work is not None and len(at_work):
        seen = at_work[at_work["identificatie"].isin(first.index)]
        first = pd.concat([first, seen.groupby("identificatie")["_when"].min()]).groupby(level=0).min()
    naam = m.dropna(subset=["naam"]).drop_duplicates("identificatie", keep="last").set_index("identificatie")["naam"]
    ids = pd.Index(sorted(m["identificatie"].unique()))
    out = pd.DataFrame({
        "identificatie": ids,
        "naam": ids.map(naam),
        "afdeling": ids.map(afd).fillna("onbekend"),
        "team": None,
        "actief_sinds": ids.map(first).astype("datetime64[us]").normalize(),
    })
    return contract.conform("medewerkers", out)


def merge_incremental(
    old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame], *, documents_listed: bool
) -> dict[str, pd.DataFrame]:
    """Merge the tables of an incremental fetch into those of an earlier snapshot.

    Every zaak in ``new`` replaces the zaak with the same identificatie in
    ``old`` together with its statussen (and documents, unless the documents
    were listed completely, in which case ``new`` has them all). Staff keep the
    earliest ``actief_sinds``; the catalogue (zaaktypen, informatieobjecttypen,
    zaaktype_informatieobjecttypen) is always read whole, so it comes from ``new``. The optional tables of ``old`` (cleanup, survey) are kept.
    """
    fresh = set(new["zaken"]["identificatie"])
    replaced = ("zaken", "statussen", "documenten", "zaaktypen", "informatieobjecttypen",
                "zaaktype_informatieobjecttypen", "medewerkers")
    out: dict[str, pd.DataFrame] = {k: v for k, v in old.items() if k not in replaced}
    oz = old["zaken"]
    out["zaken"] = pd.concat([oz[~oz["identificatie"].isin(fresh)], new["zaken"]], ignore_index=True)
    out["zaken"] = out["zaken"].sort_values(["registratiedatum", "identificatie"]).reset_index(drop=True)
    os_ = old["statussen"]
    out["statussen"] = pd.concat([os_[~os_["zaak"].isin(fresh)], new["statussen"]], ignore_index=True).sort_values(
        ["zaak", "datum_status_gezet", "volgnummer"]).reset_index(drop=True)
    if documents_listed:
        out["documenten"] = new["documenten"]
    else:
        od = old["documenten"]
        keep = ~od["identificatie"].isin(set(new["documenten"]["identificatie"])) & ~od["zaak"].isin(fresh)
        out["documenten"] = pd.concat([od[keep], new["documenten"]], ignore_index=True).sort_values(
            "identificatie").reset_index(drop=True)
    out["zaaktypen"] = new["zaaktypen"]
    if "informatieobjecttypen" in new:
        out["informatieobjecttypen"] = new["informatieobjecttypen"]
    elif "informatieobjecttypen" in old:
        out["informatieobjecttypen"] = old["informatieobjecttypen"]
    if "zaaktype_informatieobjecttypen" in new:
        out["zaaktype_informatieobjecttypen"] = new["zaaktype_informatieobjecttypen"]
    elif "zaaktype_informatieobjecttypen" in old:
        out["zaaktype_informatieobjecttypen"] = old["zaaktype_informatieobjecttypen"]
    om, nm = old["medewerkers"], new["medewerkers"]
    both = pd.concat([om, nm], ignore_index=True)
    first = both.groupby("identificatie")["actief_sinds"].min()
    merged = pd.concat([om[~om["identificatie"].isin(set(nm["identificatie"]))], nm], ignore_index=True)
    merged["actief_sinds"] = merged["identificatie"].map(first)
    old_naam = om.set_index("identificatie")["naam"]
    merged["naam"] = merged["naam"].where(merged["naam"].notna(), merged["identificatie"].map(old_naam))
    out["medewerkers"] = contract.conform("medewerkers", merged.sort_values("identificatie"))
    return out


def complete_medewerkers(hr: pd.DataFrame, derived: pd.DataFrame, used: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Use an HR export as ``medewerkers``, adding anyone the zaken refer to that it lacks.

    Parameters
    ----------
    hr : DataFrame
        The HR export in contract form (see :func:`read_medewerkers_csv`).
    derived : DataFrame
        Staff derived from the rollen (:func:`derive_medewerkers`).
    used : set of str
        Medewerker identificaties the zaken and statussen refer to.
    """
    notes = []
    missing = sorted(used - set(hr["identificatie"]))
    if missing:
        add = derived[derived["identificatie"].isin(missing)]
        notes.append(f"{len(missing)} medewerker(s) with a rol are not in the HR export (e.g. {missing[0]}); "
                     "added from the rollen.")
        hr = pd.concat([hr, add], ignore_index=True)
    return contract.conform("medewerkers", hr.sort_values("identificatie")), notes


def read_medewerkers_csv(path: str | Path) -> pd.DataFrame:
    """Read an HR export of staff (CSV, comma or semicolon separated) as contract ``medewerkers``.

    Needs the columns ``identificatie`` and ``afdeling``; ``naam``, ``team`` and
    ``actief_sinds`` (``YYYY-MM-DD`` or ``DD-MM-YYYY``) are optional. Header
    names are matched without regard to case or surrounding spaces.

    Raises
    ------
    InputFileError
        The file cannot be read or lacks a required column.
    ValidationError
        Rows break the contract (empty identificatie or afdeling, duplicates, bad dates).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the HR export ({exc.strerror}).") from None
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # Excel on Windows saves CSV in this encoding
    head = text.splitlines()[0] if text.strip() else ""
    sep = ";" if head.count(";") > head.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=sep))
    if not rows:
        raise InputFileError(f"{path}: the HR export is empty.")
    header = [h.strip().lower() for h in rows[0]]
    spec = contract.TABLES["medewerkers"]
    for col in ("identificatie", "afdeling"):
        if col not in header:
            raise InputFileError(f"{path}: the HR export has no column {col!r} (columns: {', '.join(header)}); "
                                 f"expected {', '.join(spec.column_names)}.")
    data = {c: [] for c in spec.column_names}
    for r in rows[1:]:
        if not any(v.strip() for v in r):
            continue
        rec = dict(zip(header, (v.strip() for v in r)))
        for c in spec.column_names:
            data[c].append(rec.get(c) or None)
    df = pd.DataFrame(data, dtype=object)
    problems: list[Problem] = []
    for col in ("identificatie", "afdeling"):
        empty = df[col].isna()
        if empty.any():
            rows_ = [int(i) + 1 for i in df.index[empty][:5]]
            problems.append(Problem("medewerkers", "empty value", col, rows_, [], int(empty.sum()), str(path)))
    dup = df["identificatie"].notna() & df["identificatie"].duplicated(keep=False)
    if dup.any():
        problems.append(Problem("medewerkers", "identificatie occurs more than once", "identificatie",
                                [int(i) + 1 for i in df.index[dup][:5]], list(df.loc[dup, "identificatie"][:3]),
                                int(dup.sum()), str(path)))
    iso = pd.to_datetime(df["actief_sinds"], format="%Y-%m-%d", errors="coerce")
    nl = pd.to_datetime(df["actief_sinds"], format="%d-%m-%Y", errors="coerce")
    dates = iso.fillna(nl)
    bad = df["actief_sinds"].notna() & dates.isna()
    if bad.any():
        problems.append(Problem("medewerkers", "not a date (YYYY-MM-DD or DD-MM-YYYY)", "actief_sinds",
                                [int(i) + 1 for i in df.index[bad][:5]], list(df.loc[bad, "actief_sinds"][:3]),
                                int(bad.sum()), str(path)))
    if problems:
        raise ValidationError(problems, source=str(path))
    df["actief_sinds"] = dates
    return contract.conform("medewerkers", df)
