"""A ZGW API server for tests: serves a snapshot through the standard's endpoints on 127.0.0.1.

The snapshot's tables are turned back into Zaken API 1.5.1, Catalogi API 1.3.1
and Documenten API 1.5.0 resources. The server behaves like a strict
implementation of the standard (Open Zaak style paths ``/zaken/api/v1`` ...):

- JWT (HS256) checked with its own HMAC code (not PyJWT, so the client is not
  tested against itself): no token 401, wrong secret or client id 403, a
  missing scope 403 for that API;
- ``Accept-Crs`` required where the OpenAPI file requires it (missing 412,
  another value 406);
- the standard's pagination (``page``, ``count``/``next``/``previous``/``results``,
  page size 100); ``pageSize`` up to 500 like Open Zaak, or rejected (HTTP 400,
  unknown parameter) with ``accept_page_size=False``; any query parameter the
  OpenAPI file does not list is rejected the same way;
- every response body is validated against the schema the official OpenAPI
  file gives for that path and status; a violation is recorded in
  :attr:`ZgwTestServer.violations` and answered with HTTP 500, so a test fails.

Faults for robustness tests: :meth:`ZgwTestServer.fail` (answer with given
statuses first), :meth:`~ZgwTestServer.hang` (never answer),
:meth:`~ZgwTestServer.malform` (invalid JSON or a body that is not a list), :meth:`~ZgwTestServer.cut`
(the connection drops halfway through an answer).

Communicatiekanalen are served at ``/referentielijsten/api/v1/communicatiekanalen``
without authentication, like the public VNG Referentielijsten API (there is no
OpenAPI file for it here, so those answers are not schema-checked).

Replay mode (:class:`ReplayServer`): instead of building answers from a
snapshot, answer each request with the answer a real server gave to the same
request (``tests/openzaak-recorded``, recorded from Open Zaak), its recorded
base URL rewritten to this server's; a request nothing was recorded for is
logged in :attr:`ReplayServer.unmatched` and answered with HTTP 501.

Run on its own (for manual tests or the benchmark)::

    ZGW_CLIENT_SECRET=... python tests/zgw_server.py SNAPSHOT_DIR [--port 8000] [--no-validate]
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Where the official OpenAPI files are looked for, in order.
OPENAPI_DIRS = [Path(os.environ["ZGW_OPENAPI_DIR"])] if os.environ.get("ZGW_OPENAPI_DIR") else []
OPENAPI_DIRS += [ROOT / "tests" / "zgw-openapi", ROOT.parent / "shared" / "zgw-openapi"]

APIS = {"zaken": "zaken-api.yaml", "catalogi": "catalogi-api.yaml", "documenten": "documenten-api.yaml"}
#: Scopes an application needs per API (read only).
ALL_SCOPES = frozenset({"zaken.lezen", "catalogi.lezen", "documenten.lezen"})
STANDARD_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
TZ = "Europe/Amsterdam"
_NS = uuid.UUID("6f1c2a8e-2c55-4a39-9a55-2d7c9e0b1f11")

# The Catalogi API 1.3.1 file documents these answers as "unspecified"; the component schema says what they are.
_ITEM_OVERRIDE = {
    ("catalogi", "/zaaktypen"): "ZaakType",
    ("catalogi", "/zaaktypen/{uuid}"): "ZaakType",
    ("catalogi", "/informatieobjecttypen"): "InformatieObjectType",
    ("catalogi", "/informatieobjecttypen/{uuid}"): "InformatieObjectType",
}


# -- the OpenAPI files as JSON Schema ------------------------------------------------------

def openapi_dir() -> Path:
    """The folder with the official OpenAPI files."""
    for d in OPENAPI_DIRS:
        if (d / "zaken-api.yaml").exists():
            return d
    raise FileNotFoundError("the official ZGW OpenAPI files were not found in "
                            + ", ".join(map(str, OPENAPI_DIRS)) + " (set ZGW_OPENAPI_DIR)")


_ANNOTATIONS = {"description", "title", "example", "readOnly", "writeOnly", "externalDocs", "xml", "deprecated"}


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema (draft 7): ``nullable`` becomes an explicit null branch."""
    if isinstance(node, list):
        return [_to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for k, v in node.items():
        if k in _ANNOTATIONS or k == "nullable":
            continue
        if k == "properties":
            out[k] = {name: _to_json_schema(s) for name, s in v.items()}  # keys are field names, keep them all
        else:
            out[k] = _to_json_schema(v)
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _resolve_discriminators(schemas: dict[str, Any]) -> None:
    """Make ``discriminator`` mappings checkable: each value of the property adds its subtype's fields."""
    for name, s in list(schemas.items()):
        disc = s.get("discriminator") if isinstance(s, dict) else None
        if not disc or not disc.get("mapping"):
            continue
        prop = disc["propertyName"]
        branches = []
        for value, ref in disc["mapping"].items():
            target = schemas[ref.rsplit("/", 1)[-1]]
            extra = [p for p in target.get("allOf", []) if p.get("$ref") != f"#/components/schemas/{name}"]
            branches.append({"if": {"properties": {prop: {"const": value}}, "required": [prop]},
                             "then": {"allOf": extra}})
        base = {k: v for k, v in s.items() if k != "discriminator"}
        schemas[name] = {"allOf": [base, *branches]}


class SchemaViolation(AssertionError):
    """A response of the test server does not match the official OpenAPI schema."""


class OpenApi:
    """One official OpenAPI file: allowed query and header parameters and response validators per path.

    Schemas are compiled with fastjsonschema (a dependency of nbformat): it
    validates a page of 500 zaken in milliseconds, where jsonschema needs
    seconds and takes seconds to import.
    """

    _cache: dict[str, OpenApi] = {}
    _lock = threading.Lock()

    def __init__(self, api: str) -> None:
        path = openapi_dir() / APIS[api]
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        self.api = api
        self.version = doc["info"]["version"]
        self.paths = doc["paths"]
        schemas = doc["components"]["schemas"]
        _resolve_discriminators(schemas)
        self._components = {"schemas": _to_json_schema(schemas)}
        self._validators: dict[tuple[str, int], Any] = {}
        self.templates = [(re.compile("^" + re.sub(r"\{[^}]+\}", "([^/]+)", t) + "$"), t) for t in self.paths]

    @classmethod
    def get(cls, api: str) -> OpenApi:
        """The parsed file of ``api`` (``zaken``, ``catalogi``, ``documenten``), loaded once."""
        with cls._lock:
            if api not in cls._cache:
                cls._cache[api] = OpenApi(api)
            return cls._cache[api]

    def match(self, path: str) -> tuple[str, list[str]] | None:
        """The path template ``path`` belongs to and its path parameters."""
        for rx, t in self.templates:
            m = rx.match(path)
            if m:
                return t, list(m.groups())
        return None

    def parameters(self, template: str, where: str) -> dict[str, dict[str, Any]]:
        """The GET parameters of ``template`` that are ``in`` ``where`` (query, header)."""
        return {p["name"]: p for p in self.paths[template]["get"].get("parameters", []) if p.get("in") == where}

    def _validator(self, template: str, status: int) -> tuple[Any, Any]:
        """Validators of the envelope and of one item (``None`` when the answer is not a list)."""
        import fastjsonschema

        key = (template, status)
        with self._lock:
            if key in self._validators:
                return self._validators[key]
        responses = self.paths[template]["get"]["responses"]
        spec = responses.get(str(status))
        if spec is None:
            raise SchemaViolation(f"{self.api} API {self.version} GET {template}: status {status} is not documented")
        content = spec.get("content") or {}
        media = content.get("application/json") or content.get("application/problem+json")
        envelope = item = None
        if media:
            schema = _to_json_schema(media["schema"])
            if "$ref" in schema:  # the Paginated...List components: inline them to split off the items
                schema = copy.deepcopy(self._components["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
            override = _ITEM_OVERRIDE.get((self.api, template)) if status == 200 else None
            item_schema = None
            if "results" in schema.get("properties", {}):
                item_schema = schema["properties"]["results"].pop("items")
            elif schema.get("type") == "array":
                item_schema = schema.pop("items")
            if override:
                ref = {"$ref": f"#/components/schemas/{override}"}
                if item_schema is not None:
                    item_schema = ref
                else:
                    schema = ref

            def compile_(s: dict[str, Any]) -> Any:
                root = {"$schema": "http://json-schema.org/draft-07/schema#", **s, "components": self._components}
                return fastjsonschema.compile(root, formats=_FORMATS)

            envelope = compile_(schema)
            item = compile_(item_schema) if item_schema is not None else None
        with self._lock:
            self._validators[key] = (envelope, item)
        return envelope, item

    def check(self, template: str, status: int, body: Any, seen: set[int] | None = None) -> None:
        """Raise :class:`SchemaViolation` when ``body`` does not match the documented response.

        A list is checked as its envelope plus each item; items whose ``id`` is in
        ``seen`` were checked before (the server's objects do not change), and
        checked items are added to it.
        """
        import fastjsonschema

        envelope, item = self._validator(template, status)
        if envelope is None:
            return
        where = f"{self.api} API {self.version} GET {template} -> {status}"
        try:
            envelope(body)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise SchemaViolation(f"{where}: {exc.message[:300]}") from None
        if item is None:
            return
        items = body["results"] if isinstance(body, dict) else body
        for i, x in enumerate(items):
            if seen is not None and id(x) in seen:
                continue
            try:
                item(x)
            except fastjsonschema.JsonSchemaValueException as exc:
                raise SchemaViolation(f"{where}: item {i} ({x.get('url') if isinstance(x, dict) else x!r}): "
                                      f"{exc.message[:300]}") from None
            if seen is not None:
                seen.add(id(x))


_DURATION_RX = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_UUID_RX = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
#: Formats the OpenAPI files use beyond JSON Schema's own.
_FORMATS = {"uuid": _UUID_RX.pattern, "duration": _DURATION_RX.pattern, "int64": lambda v: True}


# -- a snapshot as ZGW resources -----------------------------------------------------------

def _uuid(*parts: object) -> str:
    # A name-based UUID (version 5 layout), made directly: uuid.uuid5 is too slow for a million objects.
    h = hashlib.sha1(_NS.bytes + "|".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def _d(v: Any) -> str | None:
    return None if v is None else str(v)[:10]


def _utc(s: pd.Series) -> pd.Series:
    """Local (Amsterdam) wall-clock times -> UTC strings with a Z, as Open Zaak sends them."""
    s = pd.to_datetime(s)
    ambiguous = np.ones(len(s), dtype=bool)  # the doubled hour in October: take summer time
    utc = s.dt.tz_localize(TZ, ambiguous=ambiguous, nonexistent="shift_forward").dt.tz_convert("UTC")
    return utc.dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _s(v: Any) -> str | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


@dataclass
class Resources:
    """The resources of each list endpoint, in order, plus an index by UUID."""

    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_uuid: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    by_zaak: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    kanalen: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, item: dict[str, Any]) -> None:
        self.lists.setdefault(name, []).append(item)
        self.by_uuid.setdefault(name, {})[item["url"].rsplit("/", 1)[-1]] = item
        if "zaak" in item and name != "zaken":
            self.by_zaak.setdefault(name, defaultdict(list))[item["zaak"]].append(item)


def build_resources(tables: Mapping[str, pd.DataFrame], base: str, rsin: str) -> Resources:
    """Turn contract tables into ZGW resources served under ``base`` (``http://127.0.0.1:port``).

    The inverse of the client's mapping: department and handler become rollen,
    statuses refer to statustypen of the zaak's zaaktype, the resultaat to a
    resultaattype, documents become informatieobjecten linked by
    zaakinformatieobjecten; moments are sent in UTC.
    """
    zak, cat, doc = f"{base}/zaken/api/v1", f"{base}/catalogi/api/v1", f"{base}/documenten/api/v1"
    ref = f"{base}/referentielijsten/api/v1"
    catalogus = f"{cat}/catalogussen/{_uuid('catalogus')}"
    r = Resources()
    zaken, statussen, documenten = tables["zaken"], tables["statussen"], tables["documenten"]
    zaaktypen, medewerkers = tables["zaaktypen"], tables["medewerkers"]
    names = dict(zip(medewerkers["identificatie"], medewerkers["naam"]))

    def days(n: Any) -> str | None:
        return None if n is None or pd.isna(n) else f"P{int(n)}D"

    zt_url, st_url, rt_url, iot_url = {}, {}, {}, {}
    zaaktype_of = dict(zip(zaken["identificatie"], zaken["zaaktype"]))
    st_kinds = statussen.assign(zaaktype=statussen["zaak"].map(zaaktype_of))[
        ["zaaktype", "statustype", "volgnummer", "is_eindstatus"]].drop_duplicates(["zaaktype", "statustype"])
    rt_kinds = zaken.dropna(subset=["resultaat"])[["zaaktype", "resultaat"]].drop_duplicates()
    for z in zaaktypen.itertuples(index=False):
        u = _uuid("zaaktype", z.identificatie)
        url = zt_url[z.identificatie] = f"{cat}/zaaktypen/{u}"
        sts = st_kinds[st_kinds["zaaktype"] == z.identificatie].sort_values("volgnummer")
        rts = rt_kinds[rt_kinds["zaaktype"] == z.identificatie]
        for s in sts.itertuples(index=False):
            st_url[(z.identificatie, s.statustype)] = f"{cat}/statustypen/{_uuid('statustype', z.identificatie, s.statustype)}"
        for t in rts.itertuples(index=False):
            rt_url[(z.identificatie, t.resultaat)] = f"{cat}/resultaattypen/{_uuid('resultaattype', z.identificatie, t.resultaat)}"
        r.add("zaaktypen", {
            "url": url, "identificatie": z.identificatie, "omschrijving": z.omschrijving, "omschrijvingGeneriek": "",
            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk", "doel": z.omschrijving, "aanleiding": z.omschrijving,
            "toelichting": "", "indicatieInternOfExtern": "extern", "handelingInitiator": "aanvragen",
            "onderwerp": z.omschrijving, "handelingBehandelaar": "behandelen",
            "doorlooptijd": days(z.doorlooptijd_dagen), "servicenorm": days(z.servicenorm_dagen),
            "opschortingEnAanhoudingMogelijk": False, "verlengingMogelijk": bool(z.verlenging_mogelijk),
            "verlengingstermijn": days(z.verlengingstermijn_dagen), "trefwoorden": [], "publicatieIndicatie": False,
            "publicatietekst": "", "verantwoordingsrelatie": [], "productenOfDiensten": [],
            "referentieproces": {"naam": z.omschrijving[:80]},
            "verantwoordelijke": str(z.afdeling)[:50], "zaakobjecttypen": [], "catalogus": catalogus,
            "statustypen": [st_url[(z.identificatie, s)] for s in sts["statustype"]],
            "resultaattypen": [rt_url[(z.identificatie, t)] for t in rts["resultaat"]],
            "eigenschappen": [], "informatieobjecttypen": "", "roltypen": [], "besluittypen": [],
            "deelzaaktypen": [], "gerelateerdeZaaktypen": [], "beginGeldigheid": "2020-01-01", "eindeGeldigheid": None,
            "beginObject": None, "eindeObject": None, "versiedatum": "2020-01-01", "concept": False,
        })
        for s in sts.itertuples(index=False):
            r.add("statustypen", {
                "url": st_url[(z.identificatie, s.statustype)], "omschrijving": s.statustype,
                "omschrijvingGeneriek": s.statustype, "statustekst": "", "zaaktype": url, "catalogus": catalogus,
                "zaaktypeIdentificatie": z.identificatie, "volgnummer": int(s.volgnummer),
                "isEindstatus": bool(s.is_eindstatus), "informeren": False, "doorlooptijd": None, "toelichting": None,
                "checklistitemStatustype": [], "eigenschappen": [], "beginGeldigheid": None, "eindeGeldigheid": None,
                "beginObject": None, "eindeObject": None, "zaakobjecttype": f"{cat}/zaakobjecttypen/{_uuid('zot')}",
            })
        for t in rts.itertuples(index=False):
            r.add("resultaattypen", {
                "url": rt_url[(z.identificatie, t.resultaat)], "zaaktype": url,
                "zaaktypeIdentificatie": z.identificatie, "omschrijving": t.resultaat,
                "resultaattypeomschrijving": f"https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen/{_uuid('rto', t.resultaat)}",
                "omschrijvingGeneriek": t.resultaat,
                "selectielijstklasse": f"https://selectielijst.openzaak.nl/api/v1/resultaten/{_uuid('slk', t.resultaat)}",
                "toelichting": "", "archiefnominatie": "vernietigen", "archiefactietermijn": "P10Y",
                "brondatumArchiefprocedure": None, "procesobjectaard": None, "catalogus": catalogus,
                "beginGeldigheid": None, "eindeGeldigheid": None, "beginObject": None, "eindeObject": None,
                "indicatieSpecifiek": None, "procestermijn": None, "besluittypen": [], "besluittypeOmschrijving": [],
                "informatieobjecttypen": [], "informatieobjecttypeOmschrijving": [], "zaakobjecttypen": [],
            })
    # The catalogue of document types when the tables have one; types only the documents know get defaults.
    iot = tables.get("informatieobjecttypen")
    known = {} if iot is None else {t.omschrijving: t for t in iot.itertuples(index=False)}
    for omschrijving in sorted(set(documenten["informatieobjecttype"].dropna()) | set(known)):
        url = iot_url[omschrijving] = f"{cat}/informatieobjecttypen/{_uuid('iot', omschrijving)}"
        t = known.get(omschrijving)
        vert = t.vertrouwelijkheidaanduiding if t is not None and pd.notna(t.vertrouwelijkheidaanduiding) else None
        r.add("informatieobjecttypen", {
            "url": url, "catalogus": catalogus, "omschrijving": omschrijving,
            "vertrouwelijkheidaanduiding": vert or "zaakvertrouwelijk",
            "beginGeldigheid": (_d(t.begin_geldigheid) if t is not None and pd.notna(t.begin_geldigheid)
                                else "2020-01-01"),
            "eindeGeldigheid": _d(t.einde_geldigheid) if t is not None and pd.notna(t.einde_geldigheid) else None,
            "beginObject": None, "eindeObject": None, "concept": False, "zaaktypen": "",
            "besluittypen": [], "informatieobjectcategorie": "document", "trefwoord": [],
            "omschrijvingGeneriek": {"informatieobjecttypeOmschrijvingGeneriek": "", "definitieInformatieobjecttypeOmschrijvingGeneriek": "",
                                     "herkomstInformatieobjecttypeOmschrijvingGeneriek": "",
                                     "hierarchieInformatieobjecttypeOmschrijvingGeneriek": "",
                                     "opmerkingInformatieobjecttypeOmschrijvingGeneriek": ""},
        })
    # The document types of each zaaktype's dossier, named by omschrijving as Catalogi API 1.3.1 describes it.
    dossier = tables.get("zaaktype_informatieobjecttypen")
    for t in ([] if dossier is None else dossier.itertuples(index=False)):
        u = f"{cat}/zaaktype-informatieobjecttypen/{_uuid('ztiot', t.zaaktype, t.informatieobjecttype, t.richting)}"
        r.add("zaaktype-informatieobjecttypen", {
            "url": u, "zaaktype": zt_url[t.zaaktype], "zaaktypeIdentificatie": t.zaaktype,
            "catalogus": catalogus, "informatieobjecttype": t.informatieobjecttype,
            "volgnummer": int(t.volgnummer), "richting": t.richting,
            "statustype": None if pd.isna(t.statustype) else st_url[(t.zaaktype, t.statustype)],
        })
    for kanaal in sorted(zaken["communicatiekanaal"].dropna().unique()):
        u = _uuid("kanaal", kanaal)
        r.kanalen[u] = {"url": f"{ref}/communicatiekanalen/{u}", "naam": kanaal, "omschrijving": kanaal}

    # Zaken with their rollen, statussen and resultaat. Plain dicts: itertuples per zaak is far too slow.
    def records(df: pd.DataFrame) -> list[dict[str, Any]]:
        # Dates as ISO text at once (the zaken and documents tables have dates, not moments).
        cols = {c: (df[c].dt.strftime("%Y-%m-%d") if str(df[c].dtype).startswith("datetime") else df[c])
                for c in df.columns}
        cols = {c: v.astype(object).where(v.notna(), None).tolist() for c, v in cols.items()}
        return [dict(zip(cols, vals)) for vals in zip(*cols.values())]

    zaken = zaken.assign(reg_utc=_utc(zaken["registratiedatum"] + pd.Timedelta(hours=9)))
    statussen = statussen.assign(utc=_utc(statussen["datum_status_gezet"]))
    documenten = documenten.assign(utc=_utc(documenten["creatiedatum"] + pd.Timedelta(hours=12)))
    st_by_zaak: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in records(statussen.sort_values(["zaak", "datum_status_gezet", "volgnummer"])):
        st_by_zaak[s["zaak"]].append(s)
    docs = records(documenten)
    docs_by_zaak: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for dd in docs:
        if dd["zaak"] is not None:
            docs_by_zaak[dd["zaak"]].append(dd)
    oe_id = {a: _uuid("oe", a)[:24] for a in zaken["afdeling"].unique()}
    eio_url = {dd["identificatie"]: f"{doc}/enkelvoudiginformatieobjecten/{_uuid('eio', dd['identificatie'])}"
               for dd in docs}

    def person(who: str) -> dict[str, str]:
        return {"identificatie": who, "achternaam": _s(names.get(who)) or "", "voorletters": "",
                "voorvoegselAchternaam": ""}

    for z in records(zaken):
        ident = z["identificatie"]
        url = f"{zak}/zaken/{_uuid('zaak', ident)}"
        rollen = [{"url": f"{zak}/rollen/{_uuid('rol-oe', ident)}", "zaak": url,
                   "betrokkeneType": "organisatorische_eenheid", "omschrijvingGeneriek": "behandelaar",
                   "registratiedatum": z["reg_utc"],
                   "betrokkeneIdentificatie": {"identificatie": oe_id[z["afdeling"]], "naam": str(z["afdeling"])[:50],
                                               "isGehuisvestIn": ""}}]
        person_rol: dict[str, str] = {}
        if z["behandelaar"]:
            rol = {"url": f"{zak}/rollen/{_uuid('rol-mw', ident, z['behandelaar'])}", "zaak": url,
                   "betrokkeneType": "medewerker", "omschrijvingGeneriek": "behandelaar",
                   "registratiedatum": z["reg_utc"], "betrokkeneIdentificatie": person(z["behandelaar"])}
            rollen.append(rol)
            person_rol[z["behandelaar"]] = rol["url"]
        sts = st_by_zaak.get(ident, [])
        for s in sts:
            who = s["gezet_door"]
            if who and who not in person_rol:
                # Someone other than the behandelaar set a status: they have a rol of their own.
                rol = {"url": f"{zak}/rollen/{_uuid('rol-mw', ident, who)}", "zaak": url,
                       "betrokkeneType": "medewerker", "omschrijvingGeneriek": "adviseur",
                       "registratiedatum": s["utc"], "betrokkeneIdentificatie": person(who)}
                rollen.append(rol)
                person_rol[who] = rol["url"]
        status_urls = []
        for i, s in enumerate(sts):
            su = f"{zak}/statussen/{_uuid('status', ident, i)}"
            status_urls.append(su)
            item = {"url": su, "uuid": su.rsplit("/", 1)[-1], "zaak": url,
                    "statustype": st_url[(z["zaaktype"], s["statustype"])], "datumStatusGezet": s["utc"],
                    "statustoelichting": "", "indicatieLaatstGezetteStatus": i == len(sts) - 1,
                    "zaakinformatieobjecten": []}
            if s["gezet_door"]:
                item["gezetdoor"] = person_rol[s["gezet_door"]]
            r.add("statussen", item)
        for rol in rollen:
            rol.update({"uuid": rol["url"].rsplit("/", 1)[-1], "afwijkendeNaamBetrokkene": "",
                        "roltype": f"{cat}/roltypen/{_uuid('roltype', rol['omschrijvingGeneriek'])}",
                        "omschrijving": rol["omschrijvingGeneriek"], "roltoelichting": rol["omschrijvingGeneriek"],
                        "indicatieMachtiging": "", "contactpersoonRol": None, "statussen": []})
            r.add("rollen", rol)
        resultaat = None
        if z["resultaat"]:
            resultaat = f"{zak}/resultaten/{_uuid('resultaat', ident)}"
            r.add("resultaten", {"url": resultaat, "uuid": resultaat.rsplit("/", 1)[-1], "zaak": url,
                                 "resultaattype": rt_url[(z["zaaktype"], z["resultaat"])], "toelichting": ""})
        zio_urls = []
        for dd in docs_by_zaak.get(ident, []):
            zu = f"{zak}/zaakinformatieobjecten/{_uuid('zio', dd['identificatie'])}"
            zio_urls.append(zu)
            r.add("zaakinformatieobjecten", {
                "url": zu, "uuid": zu.rsplit("/", 1)[-1], "informatieobject": eio_url[dd["identificatie"]],
                "zaak": url, "aardRelatieWeergave": "Hoort bij, omgekeerd: kent", "titel": "", "beschrijving": "",
                "registratiedatum": dd["utc"], "vernietigingsdatum": None, "status": None})
            # The Documenten API keeps the same link from the document's side.
            ou = f"{doc}/objectinformatieobjecten/{_uuid('oio', dd['identificatie'])}"
            r.add("objectinformatieobjecten", {"url": ou, "informatieobject": eio_url[dd["identificatie"]],
                                               "object": url, "objectType": "zaak"})
        item = {
            "url": url, "uuid": url.rsplit("/", 1)[-1], "identificatie": ident, "bronorganisatie": rsin,
            "omschrijving": z["omschrijving"] or "", "toelichting": "", "zaaktype": zt_url[z["zaaktype"]],
            "registratiedatum": _d(z["registratiedatum"]), "verantwoordelijkeOrganisatie": rsin,
            "startdatum": _d(z["startdatum"]), "einddatum": _d(z["einddatum"]),
            "einddatumGepland": _d(z["einddatum_gepland"]),
            "uiterlijkeEinddatumAfdoening": _d(z["uiterlijke_einddatum_afdoening"]), "publicatiedatum": None,
            "productenOfDiensten": [], "vertrouwelijkheidaanduiding": z["vertrouwelijkheidaanduiding"] or "openbaar",
            "betalingsindicatie": "", "betalingsindicatieWeergave": "", "laatsteBetaaldatum": None,
            "zaakgeometrie": None,
            "verlenging": ({"reden": z.get("verlenging_reden") or "", "duur": f"P{int(z['verlenging_duur_dagen'])}D"}
                           if z.get("verlenging_duur_dagen") is not None else None),
            # Open Zaak sends an opschorting on every zaak (indicatie false, reden ""); unknown stays null.
            "opschorting": ({"indicatie": bool(z["opschorting_indicatie"]), "reden": z.get("opschorting_reden") or ""}
                            if z.get("opschorting_indicatie") is not None else None),
            "hoofdzaak": None, "deelzaken": [],
            "relevanteAndereZaken": [], "eigenschappen": [], "rollen": [x["url"] for x in rollen],
            "status": status_urls[-1] if status_urls else None, "zaakinformatieobjecten": zio_urls,
            "zaakobjecten": [], "kenmerken": [], "archiefnominatie": z["archiefnominatie"],
            "archiefstatus": z["archiefstatus"], "archiefactiedatum": _d(z["archiefactiedatum"]),
            "resultaat": resultaat, "opdrachtgevendeOrganisatie": "", "processobjectaard": None,
            "startdatumBewaartermijn": None, "processobject": None,
        }
        if z["communicatiekanaal"]:
            item["communicatiekanaal"] = f"{ref}/communicatiekanalen/{_uuid('kanaal', z['communicatiekanaal'])}"
        r.add("zaken", item)

    for dd in docs:
        url = eio_url[dd["identificatie"]]
        r.add("enkelvoudiginformatieobjecten", {
            "url": url, "identificatie": dd["identificatie"], "bronorganisatie": rsin,
            "creatiedatum": _d(dd["creatiedatum"]), "titel": f"{dd['informatieobjecttype']} {dd['identificatie']}"[:200],
            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk", "auteur": "zaaksysteem", "status": dd["status"] or "",
            "formaat": "application/pdf", "taal": "dut", "versie": 1, "beginRegistratie": dd["utc"],
            "bestandsnaam": f"{dd['identificatie']}.pdf", "inhoud": f"{url}/download?versie=1", "bestandsomvang": 1024,
            "beschrijving": "", "ontvangstdatum": None, "verzenddatum": None, "indicatieGebruiksrecht": None,
            "verschijningsvorm": "", "ondertekening": None, "integriteit": None,
            "informatieobjecttype": iot_url[dd["informatieobjecttype"]], "locked": False, "bestandsdelen": [],
            "trefwoorden": [], "inhoudIsVervallen": False,
        })
    return r


# -- the server ----------------------------------------------------------------------------

@dataclass
class _Fault:
    path: str  # substring of the path
    kind: str  # "status", "hang", "json", "shape", "cut"
    statuses: list[int] = field(default_factory=list)
    retry_after: str | None = None
    page: str | None = None  # only requests with this page parameter
    seconds: float | None = None
    param: str | None = None  # only requests with this query parameter

    def matches(self, path: str, query: Mapping[str, str]) -> bool:
        return (self.path in path and (self.page is None or query.get("page", "1") == self.page)
                and (self.param is None or self.param in query))


@dataclass
class LoggedRequest:
    """One request the server received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0
    at: float = 0.0  # time.monotonic() when it arrived
    done: float = 0.0  # and when the answer was sent (or the server gave up on it)


class ZgwTestServer:
    """Serve contract tables through the ZGW APIs on 127.0.0.1 (see the module docstring).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Contract tables (a loaded snapshot).
    secret : str
        Secret of the one registered application.
    client_id : str
        Its client id.
    scopes : set of str
        Its scopes (default: read access to all three APIs).
    bronorganisatie : str
        RSIN of the zaken and documents.
    validate : bool
        Check every response against the OpenAPI schemas.
    accept_page_size : bool
        Accept Open Zaak's ``pageSize`` (up to :data:`MAX_PAGE_SIZE`); otherwise reject it with 400.
    max_page_size : int
        Largest ``pageSize`` honoured.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        secret: str,
        client_id: str = "zgw-rapportage",
        scopes: frozenset[str] | set[str] = ALL_SCOPES,
        bronorganisatie: str = "002220647",
        validate: bool = True,
        accept_page_size: bool = True,
        max_page_size: int = MAX_PAGE_SIZE,
        port: int = 0,
        control: bool = False,
    ) -> None:
        self.control = control  # serve /_test/state (only for a server in its own process)
        self.secret = secret.encode("utf-8")
        self.client_id = client_id
        self.scopes = set(scopes)
        self.rsin = bronorganisatie
        self.validate = validate
        self.accept_page_size = accept_page_size
        self.max_page_size = max_page_size
        self.log: list[LoggedRequest] = []
        self.violations: list[str] = []
        self.faults: list[_Fault] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._filtered: dict[tuple, list[dict[str, Any]]] = {}
        self._validated: set[int] = set()  # ids of served objects already checked against their schema
        self.specs = {api: OpenApi.get(api) for api in APIS}
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.set_tables(tables)
        self._thread: threading.Thread | None = None

    # URLs the client is given
    @property
    def zaken_url(self) -> str:
        return f"{self.base}/zaken/api/v1"

    @property
    def catalogi_url(self) -> str:
        return f"{self.base}/catalogi/api/v1"

    @property
    def documenten_url(self) -> str:
        return f"{self.base}/documenten/api/v1"

    def set_tables(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Serve other data from now on (e.g. the same municipality a month later)."""
        res = build_resources(tables, self.base, self.rsin)
        with self._lock:
            self.resources = res
            self._filtered.clear()
            self._validated.clear()

    def start(self) -> ZgwTestServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ZgwTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # faults
    def fail(self, path: str, statuses: list[int], retry_after: str | None = None, page: str | None = None,
             param: str | None = None) -> None:
        """Answer the next requests whose path contains ``path`` (and whose query has ``param``) with ``statuses``,
        one each, then normally."""
        self.faults.append(_Fault(path, "status", list(statuses), retry_after, page, param=param))

    def hang(self, path: str = "", seconds: float | None = None) -> None:
        """Never answer (or only after ``seconds``) requests whose path contains ``path``."""
        self.faults.append(_Fault(path, "hang", seconds=seconds))

    def malform(self, path: str, kind: str = "json", page: str | None = None) -> None:
        """Answer requests whose path contains ``path`` with invalid JSON (``json``) or a non-list (``shape``)."""
        self.faults.append(_Fault(path, kind, page=page))

    def cut(self, path: str, times: int = 1) -> None:
        """Break off the next ``times`` answers to ``path`` halfway (the connection drops during the body)."""
        self.faults.append(_Fault(path, "cut", statuses=[0] * times))

    def clear_faults(self) -> None:
        self.faults.clear()

    def requests_to(self, fragment: str) -> list[LoggedRequest]:
        """The logged requests whose path contains ``fragment``."""
        return [r for r in self.log if fragment in r.path]

    # -- request handling -------------------------------------------------------------------

    def _fout(self, status: int, code: str, title: str, detail: str, path: str,
              invalid: list[dict[str, str]] | None = None) -> dict[str, Any]:
        body = {"type": f"https://zgw.example/fouten/{code}", "code": code, "title": title, "status": status,
                "detail": detail, "instance": f"urn:uuid:{uuid.uuid4()}"}
        if invalid is not None:
            body["invalidParams"] = invalid
        return body

    def _check_jwt(self, header: str | None, api: str, path: str) -> tuple[int, dict[str, Any]] | None:
        if not header or not header.startswith("Bearer "):
            return 401, self._fout(401, "not_authenticated", "Authenticatiegegevens zijn niet opgegeven.",
                                   "Authenticatiegegevens zijn niet opgegeven.", path)
        token = header[7:].strip()
        try:
            h64, p64, s64 = token.split(".")
            pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
            header_json = json.loads(base64.urlsafe_b64decode(pad(h64)))
            claims = json.loads(base64.urlsafe_b64decode(pad(p64)))
            signature = base64.urlsafe_b64decode(pad(s64))
        except (ValueError, TypeError):
            return 403, self._fout(403, "not_authenticated", "Ongeldige JWT.", "Het token is geen geldige JWT.", path)
        expected = hmac.new(self.secret, f"{h64}.{p64}".encode("ascii"), hashlib.sha256).digest()
        if header_json.get("alg") != "HS256" or not hmac.compare_digest(expected, signature):
            return 403, self._fout(403, "not_authenticated", "Ongeldige JWT.",
                                   "De JWT-handtekening is ongeldig (verkeerd secret?).", path)
        if claims.get("client_id") != self.client_id or claims.get("iss") != self.client_id:
            return 403, self._fout(403, "not_authenticated", "Onbekende client.",
                                   "Er is geen applicatie met deze client_id.", path)
        iat = claims.get("iat")
        if not isinstance(iat, int) or not (time.time() - 3600 <= iat <= time.time() + 60):
            return 403, self._fout(403, "not_authenticated", "JWT verlopen.", "De iat-claim is te oud of ontbreekt.", path)
        if not isinstance(claims.get("user_id"), str) or not isinstance(claims.get("user_representation"), str):
            return 403, self._fout(403, "not_authenticated", "Ongeldige JWT.",
                                   "user_id en user_representation ontbreken.", path)
        needed = {"zaken": {"zaken.lezen"}, "documenten": {"documenten.lezen"},
                  "catalogi": {"catalogi.lezen", "zaken.lezen", "documenten.lezen"}}[api]
        if not needed & self.scopes:
            return 403, self._fout(403, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.",
                                   f"Scope {sorted(needed)[0]} ontbreekt.", path)
        return None

    def state(self) -> dict[str, Any]:
        """Violations and the request log as JSON-able data (for :class:`RemoteServer`)."""
        with self._lock:
            return {"violations": list(self.violations),
                    "log": [vars(r) for r in self.log]}

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        entry = None
        try:
            entry = self._handle(req)
        finally:
            if entry is not None and not entry.done:
                entry.done = time.monotonic()

    def _handle(self, req: BaseHTTPRequestHandler) -> LoggedRequest | None:
        parts = urlsplit(req.path)
        if self.control and parts.path == "/_test/state":
            self._send(req, 200, json.dumps(self.state()).encode(), {})
            return None
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in req.headers.items()}
        entry = LoggedRequest(parts.path, query, headers, at=time.monotonic())
        with self._lock:
            self.log.append(entry)
            faults = [f for f in self.faults if f.matches(parts.path, query)]
        for f in faults:
            if f.kind == "hang":
                self._stop.wait(f.seconds)
                if f.seconds is None or self._stop.is_set():
                    req.close_connection = True
                    return entry
            if f.kind == "status":
                with self._lock:
                    status = f.statuses.pop(0) if f.statuses else None
                if status is not None:
                    extra = {"Retry-After": f.retry_after} if f.retry_after else {}
                    body = self._fout(status, "unavailable", "Tijdelijk niet beschikbaar.", "Probeer later.", parts.path)
                    entry.status = status
                    self._send(req, status, json.dumps(body).encode(), extra, problem=True, entry=entry)
                    return entry
        status, body, extra, api, template = self._route(parts.path, query, headers)
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if self.validate and api in self.specs and template is not None:
            try:
                self.specs[api].check(template, status, body, self._validated)
            except SchemaViolation as exc:
                with self._lock:
                    self.violations.append(str(exc))
                status, raw = 500, json.dumps(self._fout(500, "error", "Schema", str(exc), parts.path)).encode()
        for f in faults:
            with self._lock:
                cut = f.kind == "cut" and bool(f.statuses) and f.statuses.pop() == 0
            if cut:
                entry.status = status
                entry.done = time.monotonic()
                req.close_connection = True
                try:  # the full length announced, half of it sent, then the connection closes
                    req.send_response(status)
                    req.send_header("Content-Type", "application/json")
                    req.send_header("Content-Length", str(len(raw)))
                    req.end_headers()
                    req.wfile.write(raw[: len(raw) // 2])
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return entry
            if f.kind == "json":
                raw = raw[: max(1, len(raw) // 2)]
            elif f.kind == "shape":
                raw = json.dumps({"items": [], "total": 0}).encode()
        entry.status = status
        self._send(req, status, raw, extra, problem=status >= 400, entry=entry)
        return entry

    def _send(self, req: BaseHTTPRequestHandler, status: int, raw: bytes, extra: Mapping[str, str],
              problem: bool = False, entry: LoggedRequest | None = None) -> None:
        if entry is not None:
            # Stamped before writing: the client's next request on this connection comes after it.
            entry.done = time.monotonic()
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/problem+json" if problem else "application/json")
            req.send_header("Content-Length", str(len(raw)))
            for k, v in extra.items():
                req.send_header(k, v)
            req.end_headers()
            req.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            req.close_connection = True

    def _route(self, path: str, query: dict[str, str], headers: dict[str, str]
               ) -> tuple[int, Any, dict[str, str], str, str | None]:
        m = re.match(r"^/(zaken|catalogi|documenten|referentielijsten)/api/v1(/.*)?$", path)
        if not m:
            return 404, self._fout(404, "not_found", "Niet gevonden.", "Onbekend pad.", path), {}, "", None
        api, sub = m.group(1), (m.group(2) or "/").rstrip("/") or "/"
        if api == "referentielijsten":
            km = re.match(r"^/communicatiekanalen/([^/]+)$", sub)
            item = self.resources.kanalen.get(km.group(1)) if km else None
            if item is None:
                return 404, {"detail": "Niet gevonden."}, {}, api, None
            return 200, item, {}, api, None
        spec = self.specs[api]
        matched = spec.match(sub)
        if matched is None:
            return 404, self._fout(404, "not_found", "Niet gevonden.", f"Geen resource op {sub}.", path), {}, api, None
        template, args = matched
        extra = {"API-version": spec.version}
        if "get" not in spec.paths[template]:
            return 405, self._fout(405, "method_not_allowed", "Methode niet toegestaan.", "", path), extra, api, None
        denied = self._check_jwt(headers.get("authorization"), api, path)
        if denied:
            return denied[0], denied[1], extra, api, template
        crs = spec.parameters(template, "header").get("Accept-Crs")
        if crs and crs.get("required"):
            extra["Content-Crs"] = "EPSG:4326"
            if "accept-crs" not in headers:
                return 412, self._fout(412, "precondition_failed", "Precondition failed",
                                       "'Accept-Crs' header ontbreekt", path), extra, api, template
            if headers["accept-crs"] != "EPSG:4326":
                return 406, self._fout(406, "not_acceptable", "CRS niet ondersteund",
                                       f"CRS '{headers['accept-crs']}' is niet ondersteund", path), extra, api, template
        allowed = set(spec.parameters(template, "query")) | ({"pageSize"} if self.accept_page_size else set())
        unknown = sorted(set(query) - allowed)
        if unknown:
            invalid = [{"name": "nonFieldErrors", "code": "unknown-parameters",
                        "reason": f"Onbekende query parameters: {', '.join(unknown)}"}]
            return 400, self._fout(400, "invalid", "Invalid input.", "Onbekende query parameters.", path, invalid), \
                extra, api, template
        resource = template.strip("/").split("/")[0]
        if "{" in template:
            item = self.resources.by_uuid.get(resource, {}).get(args[-1])
            if item is None:
                return 404, self._fout(404, "not_found", "Niet gevonden.", "Niet gevonden.", path), extra, api, template
            return 200, item, extra, api, template
        items = self._filter(resource, query)
        if resource in ("zaakinformatieobjecten", "objectinformatieobjecten"):  # plain arrays, no pages
            return 200, items, extra, api, template
        size = STANDARD_PAGE_SIZE
        if "pageSize" in query:
            try:
                size = max(1, min(int(query["pageSize"]), self.max_page_size))
            except ValueError:
                size = STANDARD_PAGE_SIZE
        try:
            page = int(query.get("page", "1"))
        except ValueError:
            page = 0
        pages = max(1, -(-len(items) // size))
        if page < 1 or page > pages:
            return 404, self._fout(404, "not_found", "Niet gevonden.", "Ongeldige pagina.", path), extra, api, template

        def link(p: int) -> str | None:
            if p < 1 or p > pages:
                return None
            return f"{self.base}{path}?{urlencode({**query, 'page': str(p)})}"

        body = {"count": len(items), "next": link(page + 1), "previous": link(page - 1),
                "results": items[(page - 1) * size: page * size]}
        return 200, body, extra, api, template

    def _filter(self, resource: str, query: Mapping[str, str]) -> list[dict[str, Any]]:
        filters = tuple(sorted((k, v) for k, v in query.items() if k not in ("page", "pageSize")))
        key = (resource, filters)
        with self._lock:
            cached = self._filtered.get(key)
            res = self.resources
        if cached is not None:
            return cached
        if "zaak" in query and resource in res.by_zaak:
            items = list(res.by_zaak[resource].get(query["zaak"], []))
            rest = [(k, v) for k, v in filters if k != "zaak"]
        else:
            items = res.lists.get(resource, [])
            rest = list(filters)
        for k, v in rest:
            items = [x for x in items if _keep(x, k, v)]
        with self._lock:
            self._filtered[key] = items
        return items


def _keep(item: Mapping[str, Any], key: str, value: str) -> bool:
    field_, _, op = key.partition("__")
    have = item.get(field_)
    if op == "":
        return str(have) == value if have is not None else False
    if op == "isnull":
        return (have is None) == (value.lower() in ("true", "1"))
    if have is None:
        return False
    if op == "gt":
        return str(have) > value
    if op == "gte":
        return str(have) >= value
    if op == "lt":
        return str(have) < value
    if op == "lte":
        return str(have) <= value
    if op == "in":
        return str(have) in value.split(",")
    return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server behind a proxy
    # Headers and body go out in two writes; without TCP_NODELAY the second waits for the client's
    # delayed ACK (40 ms a request), which no production server suffers.
    disable_nagle_algorithm = True
    app: ZgwTestServer | ReplayServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.app.handle(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


# -- replaying recorded answers --------------------------------------------------------------

def load_exchanges(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The exchanges of one recording (``exchanges*.jsonl``, or gzipped ``.jsonl.gz``), one dict per line.

    Each has ``seq``, ``method``, ``path``, ``query`` (raw), ``request_headers``,
    ``status``, ``headers``, ``body_is_json`` and ``body``
    (see tests/openzaak-recorded/README.md).
    """
    path = Path(path)
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class ReplayServer:
    """Answer each request with the recorded answer of a real ZGW server to the same request.

    A request matches an exchange on method, path and query (the order of the
    query parameters does not matter); the recorded base URL in the query and
    in the answer is this server's. Nothing is computed: status, the headers
    that matter (Content-Type, Content-Crs, API-version, Retry-After) and the
    body are the real server's. An exchange recorded more than once for the same
    request is served in recorded order (the last one again after that).

    A request nothing was recorded for is not guessed at: it is added to
    :attr:`unmatched` and answered with HTTP 501, so the client fails and a test
    that asserts ``unmatched == []`` names the request.

    Parameters
    ----------
    exchanges : list of dict
        From :func:`load_exchanges` (several recordings may be concatenated).
    recorded_base : str
        Scheme and host the recording was made at (``http://127.0.0.1:8100``).
    """

    def __init__(self, exchanges: list[dict[str, Any]], *, recorded_base: str = "http://127.0.0.1:8100",
                 port: int = 0) -> None:
        self.recorded_base = recorded_base.rstrip("/")
        self.log: list[LoggedRequest] = []
        self.unmatched: list[str] = []
        self.used: set[int] = set()  # id() of the exchanges served
        self._lock = threading.Lock()
        self._answers: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        self._served: dict[tuple, int] = defaultdict(int)
        self._overrides: list[tuple[str, str | None, dict[str, Any]]] = []
        self.exchanges = list(exchanges)
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        for e in self.exchanges:
            self._answers[self._key(e["method"], e["path"], self._ours(parse_qsl(e["query"] or "",
                                                                                 keep_blank_values=True)))].append(e)
        self._thread: threading.Thread | None = None

    @property
    def zaken_url(self) -> str:
        return f"{self.base}/zaken/api/v1"

    @property
    def catalogi_url(self) -> str:
        return f"{self.base}/catalogi/api/v1"

    @property
    def documenten_url(self) -> str:
        return f"{self.base}/documenten/api/v1"

    def url(self, recorded: str) -> str:
        """A URL of the recording as this server serves it."""
        return recorded.replace(self.recorded_base, self.base)

    def _ours(self, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self.url(v)) for k, v in query]

    @staticmethod
    def _key(method: str, path: str, query: list[tuple[str, str]]) -> tuple:
        return method.upper(), path, tuple(sorted(query))

    def answer(self, path_prefix: str, exchange: dict[str, Any], param: str | None = None) -> None:
        """Answer every request whose path starts with ``path_prefix`` (and whose query has ``param``) with
        ``exchange`` (whatever the rest of its query).

        For recorded failures: a real server that refuses the credentials refuses
        every request, not only the one that was recorded.
        """
        self._overrides.append((path_prefix, param, exchange))

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests_to(self, fragment: str) -> list[LoggedRequest]:
        """The logged requests whose path contains ``fragment``."""
        return [r for r in self.log if fragment in r.path]

    def unused(self, exchanges: list[dict[str, Any]]) -> list[str]:
        """Those of ``exchanges`` that no request asked for, as ``METHOD path?query``."""
        return [f"{e['method']} {e['path']}?{e['query']}" for e in exchanges if id(e) not in self.used]

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in req.headers.items()}
        entry = LoggedRequest(parts.path, dict(query), headers, at=time.monotonic())
        key = self._key(req.command, parts.path, query)
        with self._lock:
            self.log.append(entry)
            found = next((e for prefix, param, e in self._overrides
                          if parts.path.startswith(prefix) and (param is None or param in dict(query))), None)
            if found is None and self._answers.get(key):
                options = self._answers[key]
                found = options[min(self._served[key], len(options) - 1)]
                self._served[key] += 1
            if found is None:
                self.unmatched.append(f"{req.command} {req.path}")
            else:
                self.used.add(id(found))
        if found is None:
            body = {"type": "replay", "code": "not_recorded", "title": "No recorded answer", "status": 501,
                    "detail": f"nothing was recorded for {req.command} {req.path}", "instance": ""}
            status, raw, extra = 501, json.dumps(body).encode("utf-8"), {"Content-Type": "application/json"}
        else:
            status = int(found["status"])
            text = json.dumps(found["body"], ensure_ascii=False) if found["body_is_json"] else str(found["body"])
            raw = self.url(text).encode("utf-8")
            extra = {k: v for k, v in (found.get("headers") or {}).items()
                     if k.lower() in ("content-type", "content-crs", "api-version", "retry-after")}
        entry.status = status
        entry.done = time.monotonic()
        try:
            req.send_response(status)
            for k, v in extra.items():
                req.send_header(k, v)
            req.send_header("Content-Length", str(len(raw)))
            req.end_headers()
            req.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            req.close_connection = True


class RemoteServer:
    """A :class:`ZgwTestServer` in a process of its own, so it runs on another core than the client.

    For the whole sample and the benchmark; faults cannot be injected. The
    child process stops when this object is stopped or the parent goes away.

    Parameters
    ----------
    snapshot : path
        Snapshot directory to serve.
    secret, client_id, validate
        As for :class:`ZgwTestServer`.
    """

    def __init__(self, snapshot: str | os.PathLike[str], *, secret: str, client_id: str = "zgw-rapportage",
                 validate: bool = True) -> None:
        import subprocess

        cmd = [sys.executable, str(Path(__file__).resolve()), str(snapshot), "--client-id", client_id, "--control"]
        if not validate:
            cmd.append("--no-validate")
        env = {**os.environ, "ZGW_CLIENT_SECRET": secret}
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.proc.wait(10)
            raise RuntimeError(f"the test server did not start (exit code {self.proc.returncode})")
        urls = json.loads(line)
        self.zaken_url, self.catalogi_url, self.documenten_url = urls["zaken"], urls["catalogi"], urls["documenten"]
        self.base = self.zaken_url.rsplit("/zaken/api/v1", 1)[0]

    def state(self) -> dict[str, Any]:
        import requests

        return requests.get(f"{self.base}/_test/state", timeout=30).json()

    @property
    def violations(self) -> list[str]:
        return self.state()["violations"]

    @property
    def log(self) -> list[LoggedRequest]:
        return [LoggedRequest(**r) for r in self.state()["log"]]

    def requests_to(self, fragment: str) -> list[LoggedRequest]:
        return [r for r in self.log if fragment in r.path]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except Exception:
                self.proc.kill()
        for f in (self.proc.stdin, self.proc.stdout):
            if f:
                f.close()

    def __enter__(self) -> RemoteServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Serve a snapshot until interrupted; prints the three root URLs as one JSON line."""
    import argparse

    sys.path.insert(0, str(ROOT))
    from zgwlib.data.sources import load_snapshot

    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("snapshot")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--client-id", default="zgw-rapportage")
    p.add_argument("--no-validate", action="store_true")
    p.add_argument("--control", action="store_true", help="serve /_test/state; stop when stdin closes")
    args = p.parse_args(argv)
    secret = os.environ.get("ZGW_CLIENT_SECRET")
    if not secret:
        print("set ZGW_CLIENT_SECRET", file=sys.stderr)
        return 2
    server = ZgwTestServer(load_snapshot(args.snapshot).tables, secret=secret, client_id=args.client_id,
                           validate=not args.no_validate, port=args.port, control=args.control)
    if args.control:
        def watch() -> None:  # the parent closed our stdin (stopped or died): stop serving
            sys.stdin.read()
            server.httpd.shutdown()

        threading.Thread(target=watch, daemon=True).start()
    print(json.dumps({"zaken": server.zaken_url, "catalogi": server.catalogi_url,
                      "documenten": server.documenten_url}), flush=True)
    try:
        server.httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
