"""The data contract: every table of a snapshot, its columns, types and allowed values.

This module is the single source of truth. Validation, imports, the sample
generator, the API client and ``docs/data-contract.md`` (generated from
:func:`render_markdown`, a test keeps it current) all read it from here.

Column kinds and their pandas dtypes:

========  ====================  ===========================================
kind      pandas dtype          notes
========  ====================  ===========================================
str       ``str``               empty string is stored as missing
int       ``Int64``             nullable integer
float     ``float64``           missing is NaN
bool      ``boolean``           nullable boolean
date      ``datetime64[us]``    always midnight; imports drop a time part
datetime  ``datetime64[us]``    local time, no timezone
========  ====================  ===========================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core.terms import DOCUMENTEN_BRON, GEEN_DOCUMENTEN

#: Version of this contract, written into every snapshot's ``meta.json``.
#: Raise the major number when a snapshot of the old version cannot be read; the minor one when
#: something optional is added (1.1: the optional catalogue of informatieobjecttypen; 1.2: the optional
#: extension and suspension columns of zaken, an empty ``documenten`` table when ``meta.json`` says the source
#: has no document data, see :data:`META`, the required document types per zaaktype,
#: zaaktype_informatieobjecttypen, and activiteiten, what the organisation does to make the new way of working
#: stick).
CONTRACT_VERSION = "1.2"

#: pandas dtype for each column kind.
DTYPES: dict[str, str] = {
    "str": "str",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[us]",
    "datetime": "datetime64[us]",
}

# ZGW enumerations (Zaken API 1.5.1, Documenten API 1.5.0).
ARCHIEFNOMINATIE = ("blijvend_bewaren", "vernietigen")
ARCHIEFSTATUS = ("nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen")
VERTROUWELIJKHEIDAANDUIDING = (
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
)
#: Levels from which a zaak is never described on a published page (its omschrijving stays out).
VERTROUWELIJK_OF_HOGER = VERTROUWELIJKHEIDAANDUIDING[VERTROUWELIJKHEIDAANDUIDING.index("vertrouwelijk"):]
#: What a published page or appendix says in place of a text that would describe such a zaak.
NIET_GETOOND = "(vertrouwelijk: niet getoond)"
DOCUMENT_STATUS = ("in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd")
# Catalogi API 1.3: ZaakTypeInformatieObjectType.richting.
RICHTING = ("inkomend", "intern", "uitgaand")
# Cleanup (opschoonactie) and survey vocabularies: the kit's own, see docs/data-contract.md.
OPSCHONING_ACTIE = ("inventarisatie", "gedigitaliseerd", "vernietigd", "overgebracht", "gearchiveerd")
OPSCHONING_EENHEID = ("strekkende_meters", "dossiers")
ENQUETE_METING = ("nulmeting", "evaluatie")
#: Kinds of borging actions (VNG tips 4, 6, 7, 8 and 9, and anything else); the kit's own vocabulary.
ACTIVITEIT_SOORT = ("inloopspreekuur", "training", "buddy", "keyuser_overleg", "intranet", "overig")


@dataclass(frozen=True)
class Column:
    """One column of a contract table.

    Parameters
    ----------
    name : str
        Column name (ZGW field name in snake_case).
    kind : str
        One of the keys of :data:`DTYPES`.
    description : str
        What the column means, for the data-contract page.
    source : str
        Where it comes from in the ZGW APIs (or ``"-"`` when it is not there).
    nullable : bool
        Whether a row may leave it empty.
    allowed : tuple of str, optional
        The only values allowed (enumerations).
    unique : bool
        Whether every value must differ (primary key).
    references : tuple of (table, column), optional
        Foreign key: every non-empty value must exist there.
    reference_warning : bool
        Whether a value missing from ``references`` is only a warning, checked
        only when that table has rows (a reference into an optional catalogue:
        without the catalogue there is nothing to check against).
    max_length : int, optional
        Longest allowed text.
    min_value, max_value : float, optional
        Bounds for numbers.
    optional : bool
        Whether a snapshot or an export may lack the column altogether (added in a minor contract version, or
        something not every zaaksysteem records); it is then read as empty, without a warning.
    """

    name: str
    kind: str
    description: str
    source: str = "-"
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    unique: bool = False
    references: tuple[str, str] | None = None
    reference_warning: bool = False
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    optional: bool = False

    @property
    def dtype(self) -> str:
        """The pandas dtype of this column."""
        return DTYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """One table of a snapshot.

    Parameters
    ----------
    name : str
        Table name; also the Parquet file name, CSV file name and Excel sheet name.
    description : str
        What one row is.
    columns : tuple of Column
        The columns in their canonical order.
    required : bool
        Whether a snapshot must have rows in it. Optional tables are written
        empty when a source does not have them.
    empty_when : tuple of (str, str), optional
        A required table may still be empty when ``meta.json`` has this key
        with this value: the source says it has no such data (``documenten``:
        ``documenten_bron`` ``geen``).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    required: bool = True
    empty_when: tuple[str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        """Column names in canonical order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name}")

    def may_be_empty(self, meta: Mapping[str, Any] | None) -> bool:
        """Whether this table may have no rows in a snapshot with this ``meta.json``."""
        if not self.required:
            return True
        if self.empty_when is None:
            return False
        key, value = self.empty_when
        return str((meta or {}).get(key) or "").strip().lower() == value

    @property
    def dtypes(self) -> dict[str, str]:
        """Mapping of column name to pandas dtype."""
        return {c.name: c.dtype for c in self.columns}

    def empty(self) -> pd.DataFrame:
        """An empty frame with this table's columns and dtypes."""
        return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in self.columns})

    @property
    def optional_columns(self) -> list[str]:
        """Columns a snapshot or an export may lack (read as empty)."""
        return [c.name for c in self.columns if c.optional]


def empty_column(column: Column, index: pd.Index) -> pd.Series:
    """An all-empty column of ``column``'s dtype on ``index`` (an optional column a source lacks)."""
    return pd.Series(pd.NA if column.kind in ("str", "int", "bool") else None, index=index, dtype=column.dtype)


C = Column

ZAKEN = Table(
    "zaken",
    "One zaak (case) as registered in the zaaksysteem.",
    (
        C("identificatie", "str", "Zaaknummer, unique within the municipality.", "Zaak.identificatie",
          nullable=False, unique=True, max_length=40),
        C("zaaktype", "str", "Identificatie of the zaaktype.", "Zaak.zaaktype -> ZaakType.identificatie",
          nullable=False, references=("zaaktypen", "identificatie")),
        C("afdeling", "str", "Department that handles the zaak.",
          "Rol with betrokkeneType organisatorische_eenheid -> identificatie", nullable=False),
        C("behandelaar", "str", "Medewerker identificatie of the handler; empty when nobody is assigned.",
          "Rol with betrokkeneType medewerker, omschrijvingGeneriek behandelaar -> identificatie",
          references=("medewerkers", "identificatie")),
        C("registratiedatum", "date", "Date the zaak was registered in the system.", "Zaak.registratiedatum",
          nullable=False),
        C("startdatum", "date", "Date the zaak started (request received).", "Zaak.startdatum", nullable=False),
        C("einddatum", "date", "Date the zaak was closed; empty while open.", "Zaak.einddatum"),
        C("einddatum_gepland", "date", "Planned end date from the service norm.", "Zaak.einddatumGepland"),
        C("uiterlijke_einddatum_afdoening", "date", "Legal deadline.", "Zaak.uiterlijkeEinddatumAfdoening"),
        C("resultaat", "str", "Outcome (resultaattype omschrijving); empty when none was recorded.",
          "Zaak.resultaat -> Resultaat.resultaattype -> ResultaatType.omschrijving"),
        C("archiefnominatie", "str", "Whether the dossier is kept or destroyed.", "Zaak.archiefnominatie",
          allowed=ARCHIEFNOMINATIE),
        C("archiefstatus", "str", "Archive state of the dossier.", "Zaak.archiefstatus", nullable=False,
          allowed=ARCHIEFSTATUS),
        C("archiefactiedatum", "date", "Date the archive action (destroy, transfer) is due.",
          "Zaak.archiefactiedatum"),
        C("vertrouwelijkheidaanduiding", "str", "Confidentiality level.", "Zaak.vertrouwelijkheidaanduiding",
          allowed=VERTROUWELIJKHEIDAANDUIDING),
        C("communicatiekanaal", "str", "Channel the request came in by (e-formulier, balie, telefoon, ...).",
          "Zaak.communicatiekanaalNaam"),
        C("omschrijving", "str", "Free text from the zaaksysteem. Untrusted: always escaped in reports.",
          "Zaak.omschrijving", max_length=80),
        C("verlenging_reden", "str", "Why the term was extended; empty when it was not. Untrusted text.",
          "Zaak.verlenging.reden", max_length=200, optional=True),
        C("verlenging_duur_dagen", "int", "Days the term was extended by; empty when it was not (see "
          "docs/metrics.md, Termijnbewaking, for how the legal deadline follows).",
          "Zaak.verlenging.duur (ISO 8601 duration)", optional=True),
        C("opschorting_indicatie", "bool", "Whether handling is suspended (opgeschort) now; empty when unknown.",
          "Zaak.opschorting.indicatie", optional=True),
        C("opschorting_reden", "str", "Why handling is suspended; empty when it is not. Untrusted text.",
          "Zaak.opschorting.reden", max_length=200, optional=True),
    ),
)

STATUSSEN = Table(
    "statussen",
    "One status a zaak reached (the zaak's event log).",
    (
        C("zaak", "str", "Identificatie of the zaak.", "Status.zaak -> Zaak.identificatie", nullable=False,
          references=("zaken", "identificatie")),
        C("statustype", "str", "Statustype omschrijving (Geregistreerd, In behandeling, Afgehandeld, ...).",
          "Status.statustype -> StatusType.omschrijving", nullable=False),
        C("volgnummer", "int", "Position of the statustype in its zaaktype's sequence.",
          "StatusType.volgnummer", nullable=False, min_value=1),
        C("datum_status_gezet", "datetime", "When the status was set.", "Status.datumStatusGezet",
          nullable=False),
        C("is_eindstatus", "bool", "Whether this is the zaaktype's final status.", "StatusType.isEindstatus",
          nullable=False),
        C("gezet_door", "str", "Medewerker identificatie of who set the status, when known.",
          "Status.gezetdoor -> Rol -> medewerker identificatie", references=("medewerkers", "identificatie")),
    ),
)

DOCUMENTEN = Table(
    "documenten",
    "One document (enkelvoudig informatieobject), linked to a zaak or not.",
    (
        C("identificatie", "str", "Document identificatie.", "EnkelvoudigInformatieObject.identificatie",
          nullable=False, unique=True),
        C("zaak", "str", "Identificatie of the zaak it belongs to; empty for a document outside any zaak.",
          "ZaakInformatieObject.zaak -> Zaak.identificatie", references=("zaken", "identificatie")),
        C("informatieobjecttype", "str", "Document type omschrijving (Aanvraag, Besluit, ...).",
          "EnkelvoudigInformatieObject.informatieobjecttype -> InformatieObjectType.omschrijving", nullable=False,
          references=("informatieobjecttypen", "omschrijving"), reference_warning=True),
        C("creatiedatum", "date", "Date the document was created.", "EnkelvoudigInformatieObject.creatiedatum",
          nullable=False),
        C("status", "str", "Document status.", "EnkelvoudigInformatieObject.status", allowed=DOCUMENT_STATUS),
    ),
    empty_when=(DOCUMENTEN_BRON, GEEN_DOCUMENTEN),
)

ZAAKTYPEN = Table(
    "zaaktypen",
    "One zaaktype from the catalogue.",
    (
        C("identificatie", "str", "Zaaktype identificatie.", "ZaakType.identificatie", nullable=False,
          unique=True),
        C("omschrijving", "str", "Name of the zaaktype.", "ZaakType.omschrijving", nullable=False),
        C("afdeling", "str", "Department that owns the zaaktype.", "- (catalogue management; from the zaken)",
          nullable=False),
        C("doorlooptijd_dagen", "int", "Legal term in days.", "ZaakType.doorlooptijd (ISO 8601 duration)",
          nullable=False, min_value=0),
        C("servicenorm_dagen", "int", "Service norm in days, if the municipality set one.",
          "ZaakType.servicenorm (ISO 8601 duration)", min_value=0),
        C("verlenging_mogelijk", "bool", "Whether the term may be extended.", "ZaakType.verlengingMogelijk",
          nullable=False),
        C("verlengingstermijn_dagen", "int", "Length of one extension in days.",
          "ZaakType.verlengingstermijn (ISO 8601 duration)", min_value=0),
    ),
)

INFORMATIEOBJECTTYPEN = Table(
    "informatieobjecttypen",
    "One document type (informatieobjecttype) from the catalogue, used or not. Optional: without it the "
    "reports know only the types the documents have, so a type that was never used cannot be listed.",
    (
        C("omschrijving", "str", "Name of the document type; the value `documenten.informatieobjecttype` holds.",
          "InformatieObjectType.omschrijving", nullable=False, unique=True, max_length=80),
        C("vertrouwelijkheidaanduiding", "str", "Confidentiality level of documents of this type.",
          "InformatieObjectType.vertrouwelijkheidaanduiding", allowed=VERTROUWELIJKHEIDAANDUIDING),
        C("begin_geldigheid", "date", "First day the type may be used.", "InformatieObjectType.beginGeldigheid",
          nullable=False),
        C("einde_geldigheid", "date", "Last day the type may be used; empty while it is valid.",
          "InformatieObjectType.eindeGeldigheid"),
    ),
    required=False,
)

ZAAKTYPE_INFORMATIEOBJECTTYPEN = Table(
    "zaaktype_informatieobjecttypen",
    "One document type that belongs in the dossier of a zaaktype, with its direction. Optional: without it the "
    "reports can only tell a closed zaak without any document, not one that misses a required document. A type "
    "with richting inkomend or uitgaand is required for a complete dossier; intern types are not (docs/metrics.md, "
    "*Archief*).",
    (
        C("zaaktype", "str", "Identificatie of the zaaktype.",
          "ZaakTypeInformatieObjectType.zaaktype -> ZaakType.identificatie", nullable=False,
          references=("zaaktypen", "identificatie")),
        C("informatieobjecttype", "str", "Document type omschrijving, as in `documenten.informatieobjecttype`.",
          "ZaakTypeInformatieObjectType.informatieobjecttype (-> InformatieObjectType.omschrijving)",
          nullable=False, references=("informatieobjecttypen", "omschrijving"), reference_warning=True,
          max_length=100),
        C("richting", "str", "Incoming (from the citizen), outgoing (to the citizen) or internal.",
          "ZaakTypeInformatieObjectType.richting", nullable=False, allowed=RICHTING),
        C("volgnummer", "int", "Order of the type within the zaaktype.", "ZaakTypeInformatieObjectType.volgnummer",
          min_value=1),
        C("statustype", "str", "Statustype omschrijving from which the document must be there; empty: by the end.",
          "ZaakTypeInformatieObjectType.statustype -> StatusType.omschrijving"),
    ),
    required=False,
)

MEDEWERKERS = Table(
    "medewerkers",
    "One member of staff who may work in the zaaksysteem.",
    (
        C("identificatie", "str", "Medewerker identificatie (as in the behandelaar rol).",
          "Rol.betrokkeneIdentificatie.identificatie (medewerker)", nullable=False, unique=True),
        C("naam", "str", "Display name. Never shown in a report unless toon_namen is set.",
          "Rol.betrokkeneIdentificatie achternaam/voorletters, or an HR export"),
        C("afdeling", "str", "Department the person works in.", "- (HR export)", nullable=False),
        C("team", "str", "Team within the department.", "- (HR export)"),
        C("actief_sinds", "date", "First day in the zaaksysteem; empty for someone who never used it.",
          "- (first appearance in a rol, or an HR export)"),
    ),
)

OPSCHONING = Table(
    "opschoning",
    "One registration of the paper cleanup (opschoonactie).",
    (
        C("afdeling", "str", "Department that registered the work.", nullable=False),
        C("datum", "date", "Date of the work.", nullable=False),
        C("actie", "str", "What was done.", nullable=False, allowed=OPSCHONING_ACTIE),
        C("eenheid", "str", "Unit of the amount.", nullable=False, allowed=OPSCHONING_EENHEID),
        C("hoeveelheid", "float", "Amount in the unit.", nullable=False, min_value=0),
        C("locatie", "str", "Where the paper was (archive room, cupboard).",),
        C("omschrijving", "str", "Free text. Untrusted: always escaped in reports.", max_length=200),
    ),
    required=False,
)

OPSCHONING_DOELEN = Table(
    "opschoning_doelen",
    "The inventoried starting amount and target date of one department's cleanup.",
    (
        C("afdeling", "str", "Department.", nullable=False, unique=True),
        C("strekkende_meters", "float", "Inventoried paper in linear metres of shelf.", min_value=0),
        C("dossiers", "int", "Inventoried number of dossiers.", min_value=0),
        C("streefdatum", "date", "Date the cleanup should be finished."),
    ),
    required=False,
)

ENQUETE = Table(
    "enquete",
    "One answer of one respondent to one survey question (5-point scale).",
    (
        C("respondent", "str", "Anonymous respondent code.", nullable=False),
        C("afdeling", "str", "Department of the respondent.", nullable=False),
        C("meting", "str", "Which round: before go-live or at the evaluation.", nullable=False,
          allowed=ENQUETE_METING),
        C("datum", "date", "Date of the answer.", nullable=False),
        C("vraag", "str", "The question (statement) in Dutch.", nullable=False),
        C("score", "int", "1 = helemaal oneens ... 5 = helemaal eens.", nullable=False, min_value=1,
          max_value=5),
    ),
    required=False,
)

ACTIVITEITEN = Table(
    "activiteiten",
    "One action that helps the new way of working stick (a drop-in hour, a training, a buddy, a key-user "
    "meeting, an intranet piece), recorded by the project leader. For a drop-in hour, one row per question "
    "asked (`vraag`), each with the same datum, afdeling and onderwerp. Optional: without it the borging report "
    "says what to record.",
    (
        C("datum", "date", "Day of the action.", nullable=False),
        C("soort", "str", "Kind of action.", nullable=False, allowed=ACTIVITEIT_SOORT),
        C("afdeling", "str", "Department it was for (as in `zaken.afdeling`).", nullable=False),
        C("team", "str", "Team it was for (as in `medewerkers.team`); empty for the whole department."),
        C("deelnemers", "int", "Number of people who took part.", min_value=0),
        C("onderwerp", "str", "Subject, free text. Untrusted: always escaped in reports.", nullable=False,
          max_length=200),
        C("vraag", "str", "For a drop-in hour: one question asked, free text (one row per question). Untrusted: "
          "always escaped in reports.", max_length=300),
    ),
    required=False,
)

del C

#: Every table of the contract, by name, in the order documents list them.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (ZAKEN, STATUSSEN, DOCUMENTEN, ZAAKTYPEN, INFORMATIEOBJECTTYPEN, ZAAKTYPE_INFORMATIEOBJECTTYPEN,
              MEDEWERKERS, OPSCHONING, OPSCHONING_DOELEN, ENQUETE, ACTIVITEITEN)
}


#: The keys of ``meta.json`` every snapshot has, and the ones a report reads when they are there.
META: dict[str, str] = {
    "gemeente": "Municipality name shown in the reports.",
    "bron": "Where the data came from: `voorbeeld`, `import: <path>` or `zgw-api: <url>`.",
    "aangemaakt_op": "When the snapshot was written (local time).",
    "periode_van": "First registratiedatum of the zaken.",
    "periode_tot": "Last day the data covers; the default report month is the last complete month up to it.",
    "aantallen": "Rows per table.",
    "contract_versie": "Version of this contract the snapshot was written for.",
    "niet_zichtbaar": ("`zgw fetch` only: how many zaken and documents the application was not allowed to see "
                       "(`{\"zaken\": N, \"documenten\": M}`), see [open-zaak.md](open-zaak.md); every report says so."),
    DOCUMENTEN_BRON: (
        f"Optional. `{GEEN_DOCUMENTEN}`: the source has no document data (the organisation keeps its documents in "
        "another system), so the table `documenten` is empty on purpose and every report says "
        "\"geen documentgegevens\" instead of a figure about documents. `zgw import` writes it when the export has "
        "no documenten file or an empty one, `zgw fetch` when it finds no documents. Without it an empty "
        "`documenten` table is an error, and with it a `documenten` table that has rows is an error."
    ),
}


def hide_confidential(texts: Any, vertrouwelijkheid: Any = None) -> np.ndarray:
    """Free texts about zaken as a published page may show them: never one of a confidential zaak.

    Parameters
    ----------
    texts : sequence or Series
        One text per zaak that describes it (``omschrijving``, ``verlenging_reden``, ...); often a citizen's name,
        address or circumstances, which is why a report shows them only when asked (``toon_omschrijving``).
    vertrouwelijkheid : sequence or Series, optional
        Each zaak's ``vertrouwelijkheidaanduiding``, aligned with ``texts``; None when the data has none.

    Returns
    -------
    ndarray of object
        ``texts`` with every text of a zaak whose vertrouwelijkheidaanduiding is ``vertrouwelijk`` or higher
        (:data:`VERTROUWELIJK_OF_HOGER`) replaced by :data:`NIET_GETOOND`; a missing text stays missing (it
        says nothing).
    """
    out = np.asarray(texts, dtype=object).copy()
    if vertrouwelijkheid is None or not len(out):
        return out
    geheim = pd.Series(np.asarray(vertrouwelijkheid, dtype=object)).isin(VERTROUWELIJK_OF_HOGER).to_numpy(bool)
    out[geheim & pd.notna(out)] = NIET_GETOOND
    return out


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the contract's columns, in order, cast to their dtypes.

    Meant for frames that are already right in content (generated or validated);
    it does not check values. Extra columns are dropped.

    Parameters
    ----------
    table : str
        Contract table name.
    frame : pandas.DataFrame
        Data with at least the contract's columns.
    """
    spec = TABLES[table]
    out = {}
    for col in spec.columns:
        if col.optional and col.name not in frame.columns:
            out[col.name] = empty_column(col, frame.index)
            continue
        s = frame[col.name]
        if str(s.dtype) != col.dtype:
            s = s.astype(col.dtype)
        out[col.name] = s
    return pd.DataFrame(out).reset_index(drop=True)


def render_markdown() -> str:
    """Render the contract as the Markdown of ``docs/data-contract.md``."""
    lines = [
        "# The data contract",
        "",
        "<!-- Generated from zgwlib/data/contract.py by `zgw contract > docs/data-contract.md`; "
        "a test keeps it current. -->",
        "",
        f"Contract version **{CONTRACT_VERSION}**.",
        "",
        "A snapshot is a directory with one Parquet file per table (`zaken.parquet`, ...) "
        "and `meta.json` (municipality, source, created at, date range, row counts, contract version). "
        "Every report reads a snapshot; imports, the ZGW API client and the sample generator write one. "
        "Column names follow the ZGW field names in snake_case.",
        "",
        "Column kinds: `str` text, `int` whole number, `float` number, `bool` true/false, "
        "`date` a calendar day, `datetime` a moment (local time). "
        "*Empty* says whether a row may leave the column empty.",
        "",
    ]
    for t in TABLES.values():
        lines += _table_markdown(t)
    lines += [
        "## Rules across tables",
        "",
        "- `zaken.einddatum` is not before `zaken.startdatum` (an error). A `startdatum` after the "
        "`registratiedatum` is suspicious but usable (a warning): a zaak is normally registered on or after "
        "the day it started.",
        "- `statussen`, `documenten` point at existing zaken; `zaken.zaaktype` at an existing zaaktype; "
        "`zaken.behandelaar` and `statussen.gezet_door` at an existing medewerker.",
        "- When `informatieobjecttypen` has rows, a `documenten.informatieobjecttype` (or a "
        "`zaaktype_informatieobjecttypen.informatieobjecttype`) that is not in it is a "
        "warning (the catalogue export may be older than the documents), not an error.",
        "- Processed cleanup amounts above the inventoried starting amount are a warning (over-reporting), "
        "not an error.",
        "",
        "## `meta.json`",
        "",
        "A JSON object beside the tables. These keys are always there or mean something to the reports; "
        "sources add more (`zgw fetch`: `opgehaald_op`, `sinds`, ..., see [open-zaak.md](open-zaak.md)).",
        "",
        "| key | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in META.items()]
    lines.append("")
    return "\n".join(lines)


def _table_markdown(t: Table) -> list[str]:
    """The section of one table in ``docs/data-contract.md``: its description and a row per column."""
    lines = [f"## `{t.name}`{'' if t.required else ' (optional)'}", "", t.description, ""]
    if t.required and t.empty_when:
        lines += [f"Empty only when `meta.json` has `\"{t.empty_when[0]}\": \"{t.empty_when[1]}\"` "
                  "(see below).", ""]
    lines += ["| column | kind | empty | rule | ZGW source | meaning |", "|---|---|---|---|---|---|"]
    for c in t.columns:
        lines.append(f"| `{c.name}` | {c.kind} | {'yes' if c.nullable else 'no'} | {'; '.join(_rules(c)) or '-'} "
                     f"| {c.source} | {c.description} |")
    return lines + [""]


def _rules(c: Column) -> list[str]:
    """The checks on one column, in words."""
    rules = []
    if c.unique:
        rules.append("unique")
    if c.allowed:
        rules.append("one of " + ", ".join(f"`{a}`" for a in c.allowed))
    if c.references and c.reference_warning:
        rules.append(f"should refer to `{c.references[0]}.{c.references[1]}` (a warning; "
                     "checked when that table has rows)")
    elif c.references:
        rules.append(f"refers to `{c.references[0]}.{c.references[1]}`")
    if c.max_length:
        rules.append(f"at most {c.max_length} characters")
    if c.min_value is not None:
        rules.append(f">= {c.min_value:g}")
    if c.max_value is not None:
        rules.append(f"<= {c.max_value:g}")
    if c.optional:
        rules.append("optional column (a source may lack it: then empty)")
    return rules
