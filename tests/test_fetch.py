"""``zgw fetch`` against a real HTTP server that speaks the ZGW APIs (tests/zgw_server.py).

The server serves the sample municipality through the standard's endpoints and
checks every answer against the official OpenAPI files, so the client is tested
against the standard, not against itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pandas as pd
import pytest
import requests
from zgw_server import RemoteServer, ZgwTestServer

from zgwlib import cli
from zgwlib.data import contract
from zgwlib.maandrapportage import figures as metrics
from zgwlib.core.errors import ApiError, UsageError
from zgwlib.data.sources import load_snapshot
from zgwlib.data.snapshot import read_meta
from zgwlib.data.validate import validate_snapshot
from zgwlib.data.zgw.api import ZgwClient, fetch, read_secret
from zgwlib.data.zgw.mapping import Catalogue, duration_days, frame, map_informatieobjecttypen, project_page

SECRET = "test-geheim-van-de-zgw-rapportage-0123456789"
CLIENT_ID = "zgw-rapportage"
KEYS = {"zaken": ["identificatie"], "statussen": ["zaak", "datum_status_gezet", "volgnummer"],
        "documenten": ["identificatie"], "zaaktypen": ["identificatie"], "medewerkers": ["identificatie"],
        "informatieobjecttypen": ["omschrijving"], "zaaktype_informatieobjecttypen": ["zaaktype", "informatieobjecttype"]}


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame.sort_values(KEYS[table]).reset_index(drop=True)


def assert_same(got: pd.DataFrame, want: pd.DataFrame, table: str) -> None:
    pd.testing.assert_frame_equal(_sorted(got, table), _sorted(contract.conform(table, want), table))


def subset(tables: dict[str, pd.DataFrame], every: int) -> dict[str, pd.DataFrame]:
    """Every ``every``-th zaak of the sample with what belongs to it (a small municipality over the same period)."""
    zaken = tables["zaken"].iloc[::every].reset_index(drop=True)
    ids = set(zaken["identificatie"])
    docs = tables["documenten"]
    outside = docs[docs["zaak"].isna()].iloc[::every]
    statussen = tables["statussen"][tables["statussen"]["zaak"].isin(ids)].reset_index(drop=True)
    people = set(zaken["behandelaar"].dropna()) | set(statussen["gezet_door"].dropna())
    return {
        "zaken": zaken,
        "statussen": statussen,
        "documenten": pd.concat([docs[docs["zaak"].isin(ids)], outside]).reset_index(drop=True),
        "zaaktypen": tables["zaaktypen"],
        "informatieobjecttypen": tables["informatieobjecttypen"],
        "zaaktype_informatieobjecttypen": tables["zaaktype_informatieobjecttypen"],
        "medewerkers": tables["medewerkers"][tables["medewerkers"]["identificatie"].isin(people)].reset_index(drop=True),
    }


def as_of(tables: dict[str, pd.DataFrame], day: str) -> dict[str, pd.DataFrame]:
    """The same municipality as it was at the start of ``day``: later zaken, statuses and documents did not exist."""
    c = pd.Timestamp(day)
    zaken = tables["zaken"][tables["zaken"]["registratiedatum"] < c].copy()
    open_then = zaken["einddatum"] >= c
    zaken.loc[open_then, ["einddatum", "archiefactiedatum"]] = pd.NaT
    zaken.loc[open_then, "resultaat"] = None
    ids = set(zaken["identificatie"])
    st = tables["statussen"]
    st = st[st["zaak"].isin(ids) & (st["datum_status_gezet"] < c)]
    docs = tables["documenten"]
    docs = docs[(docs["creatiedatum"] < c) & (docs["zaak"].isna() | docs["zaak"].isin(ids))]
    return {**tables, "zaken": zaken.reset_index(drop=True), "statussen": st.reset_index(drop=True),
            "documenten": docs.reset_index(drop=True)}


@pytest.fixture(scope="session")
def sample_tables(small_sample: Path) -> dict[str, pd.DataFrame]:
    return load_snapshot(small_sample).tables


@pytest.fixture(scope="session")
def few(sample_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """About 200 zaken spread over the sample's two years."""
    return subset(sample_tables, 30)


@pytest.fixture(scope="session")
def sample_server(small_sample: Path):
    """The whole sample, served from a process of its own (checking 80,000 objects takes a core)."""
    with RemoteServer(small_sample, secret=SECRET, client_id=CLIENT_ID) as server:
        yield server
        assert server.violations == []


@pytest.fixture
def server(few: dict[str, pd.DataFrame]):
    """A fresh server with the small municipality, for tests that break it."""
    with ZgwTestServer(few, secret=SECRET, client_id=CLIENT_ID) as srv:
        yield srv
        assert srv.violations == []


def args(srv: ZgwTestServer, out: Path, *extra: str) -> list[str]:
    return ["fetch", "--zaken-url", srv.zaken_url, "--catalogi-url", srv.catalogi_url, "--documenten-url",
            srv.documenten_url, "--client-id", CLIENT_ID, "--out", str(out), *extra]


def quick(srv: ZgwTestServer, out: Path, **kw):
    """fetch() with short waits, for the robustness tests."""
    kw = {"timeout": 10.0, "retries": 2, "backoff": 0.05, "progress": False, **kw}
    return fetch(zaken_url=srv.zaken_url, catalogi_url=srv.catalogi_url, documenten_url=srv.documenten_url,
                 client_id=CLIENT_ID, out=out, secret=SECRET, **kw)


# -- the whole sample -----------------------------------------------------------------------

def test_full_fetch_equals_the_sample(sample_server, sample_tables, small_sample, tmp_path, monkeypatch, capsys):
    """With the HR export for the staff, the fetched snapshot is the sample: same tables, same report figures."""
    monkeypatch.setenv("ZGW_CLIENT_SECRET", SECRET)
    hr = tmp_path / "hr.csv"
    sample_tables["medewerkers"].to_csv(hr, sep=";", index=False)
    out = tmp_path / "opgehaald"
    assert cli.main(args(sample_server, out, "--gemeente", "Gemeente Voorbeeld", "--medewerkers", str(hr))) == 0
    printed = capsys.readouterr()
    assert "Snapshot written to" in printed.out and SECRET not in printed.out + printed.err

    snap = load_snapshot(out)
    for table in ("zaken", "statussen", "documenten", "zaaktypen", "informatieobjecttypen",
                  "zaaktype_informatieobjecttypen", "medewerkers"):
        assert_same(snap.tables[table], sample_tables[table], table)
    assert len(snap.zaaktype_informatieobjecttypen) > 0  # the complete-dossier check has its requirements
    assert len(snap.informatieobjecttypen) > snap.documenten["informatieobjecttype"].nunique()  # never-used types too
    # The monthly report of the last complete month: every figure of every department, team and month.
    want = metrics.maand(metrics.prepare(load_snapshot(small_sample)))
    got = metrics.maand(metrics.prepare(snap))
    assert got.periode == want.periode == "2026-10"
    pd.testing.assert_frame_equal(got.tabel, want.tabel)
    pd.testing.assert_frame_equal(got.teams, want.teams)

    meta = read_meta(out)
    assert meta["bron"] == f"zgw-api: {sample_server.zaken_url}" and meta["gemeente"] == "Gemeente Voorbeeld"
    assert meta["sinds"] is None and meta["zgw_api"]["documenten_url"] == sample_server.documenten_url
    assert meta["medewerkers_bron"] == "HR-export: hr.csv"
    # Read today: the data is complete up to yesterday.
    assert meta["periode_tot"] == (dt.date.fromisoformat(meta["opgehaald_op"][:10]) - dt.timedelta(days=1)).isoformat()
    assert meta["archief_gelezen_op"] == meta["opgehaald_op"][:10]  # a full fetch read every archive state now
    assert not any(SECRET.encode() in f.read_bytes() for f in out.iterdir())

    log = sample_server.log
    zaken_api = [r for r in log if r.path.startswith("/zaken/api/v1/zaken")]
    assert zaken_api and all(r.headers.get("accept-crs") == "EPSG:4326" for r in zaken_api)
    # Large pages: 6,000 zaken in 12 requests of 500, not 60 of the standard 100.
    assert len(zaken_api) == 12 and all(r.query.get("pageSize") == "500" for r in zaken_api)
    signed = [r for r in log if "authorization" in r.headers]
    claims = jwt.decode(signed[-1].headers["authorization"][7:], SECRET, algorithms=["HS256"])
    assert claims["iss"] == claims["client_id"] == CLIENT_ID
    assert {"user_id", "user_representation"} <= claims.keys() and abs(claims["iat"] - time.time()) < 600
    assert not any(r.path.startswith("/referentielijsten") and "authorization" in r.headers for r in log)


def test_staff_derived_from_the_rollen(server, few, tmp_path):
    """Without an HR export: everyone who handled a zaak or set a status, with the name and department of their
    rollen, active since their first rol (registration of a zaak they handle, or the first status they set)."""
    quick(server, tmp_path / "snap")
    snap = load_snapshot(tmp_path / "snap")
    z, st, mw = few["zaken"], few["statussen"], few["medewerkers"]
    handler = z.dropna(subset=["behandelaar"]).set_index("identificatie")["behandelaar"]
    own = st[st["gezet_door"].notna() & (st["gezet_door"] != st["zaak"].map(handler))]
    first = pd.concat([
        z.dropna(subset=["behandelaar"]).groupby("behandelaar")["registratiedatum"].min(),
        own.groupby("gezet_door")["datum_status_gezet"].min().dt.normalize(),
    ]).groupby(level=0).min()
    got = _sorted(snap.medewerkers, "medewerkers").set_index("identificatie")
    assert list(got.index) == sorted(first.index)
    want = mw.set_index("identificatie").loc[got.index]
    assert (got["naam"] == want["naam"]).all() and (got["afdeling"] == want["afdeling"]).all()
    assert (got["actief_sinds"] == first.loc[got.index].astype("datetime64[us]")).all()
    assert got["team"].isna().all() and read_meta(tmp_path / "snap")["medewerkers_bron"] == "rollen"
    assert gc.isenabled()


# -- incremental ----------------------------------------------------------------------------

@pytest.mark.parametrize("per_zaak", [True, False], ids=["per-zaak", "whole-lists"])
def test_incremental_fetch_brings_a_snapshot_up_to_date(few, tmp_path, per_zaak):
    cut = "2026-03-01"
    with ZgwTestServer(as_of(few, cut), secret=SECRET, client_id=CLIENT_ID) as srv:
        out = tmp_path / "snap"
        quick(srv, out)
        # The first fetch ran on the cut-off day; the zaaksysteem moved on since.
        meta = json.loads((out / "meta.json").read_text())
        meta["opgehaald_op"], meta["archief_gelezen_op"] = f"{cut}T06:00:00", cut
        (out / "meta.json").write_text(json.dumps(meta))
        srv.set_tables(few)
        srv.log.clear()
        result = quick(srv, out, per_zaak=per_zaak)
        assert srv.violations == []

    assert result.merged and result.sinds == dt.date(2026, 3, 1)
    snap = load_snapshot(out)
    for table in ("zaken", "statussen", "documenten", "zaaktypen", "informatieobjecttypen",
                  "zaaktype_informatieobjecttypen"):
        assert_same(snap.tables[table], few[table], table)
    assert set(snap.medewerkers["identificatie"]) == set(few["zaken"]["behandelaar"].dropna()) | set(
        few["statussen"]["gezet_door"].dropna())
    # Only what can have changed was read again: new, recently closed and open zaken.
    zaken_queries = [r.query for r in srv.requests_to("/zaken/api/v1/zaken") if "registratiedatum__gt" in r.query
                     or "einddatum__gt" in r.query or "einddatum__isnull" in r.query]
    assert {k for q in zaken_queries for k in q} >= {"registratiedatum__gt", "einddatum__gt", "einddatum__isnull"}
    assert all(q.get("registratiedatum__gt", "2026-02-28") == "2026-02-28" for q in zaken_queries)
    old = as_of(few, cut)["zaken"]
    unchanged = old[old["einddatum"].notna()]
    assert 0 < len(few["zaken"]) - len(unchanged) < len(few["zaken"])
    if per_zaak:
        asked = {r.query.get("zaak") for r in srv.requests_to("/statussen")}
        assert len(asked) == len(few["zaken"]) - len(unchanged)
    assert read_meta(out)["sinds"] == cut
    # Closed zaken whose archive is not finished were read again: the archive states are those of the fetch day.
    assert read_meta(out)["archief_gelezen_op"] == result_day(out)


def result_day(out: Path) -> str:
    return read_meta(out)["opgehaald_op"][:10]


def test_an_incremental_fetch_reads_the_new_archiefstatus_of_zaken_closed_before_it(few, tmp_path):
    """A zaak closed before the last fetch and archived since, and an archived one transferred since, get their new
    archiefstatus (only the zaken list is read again for them, not their statussen or documents)."""
    cut = "2026-03-01"
    first = as_of(few, cut)
    closed = first["zaken"]["einddatum"].notna()
    z = first["zaken"].copy()
    ids = list(z.loc[closed, "identificatie"].iloc[:2])
    at = z["identificatie"].isin
    z.loc[at(ids[:1]), ["archiefnominatie", "archiefstatus"]] = ["vernietigen", "nog_te_archiveren"]
    z.loc[at(ids[1:2]), ["archiefnominatie", "archiefstatus", "archiefactiedatum"]] = [
        "blijvend_bewaren", "gearchiveerd", pd.Timestamp("2026-01-15")]
    first = {**first, "zaken": z}
    later = z.copy()
    later.loc[at(ids[:1]), "archiefstatus"] = "gearchiveerd"
    later.loc[at(ids[1:2]), "archiefstatus"] = "overgedragen"
    with ZgwTestServer(first, secret=SECRET, client_id=CLIENT_ID) as srv:
        out = tmp_path / "snap"
        quick(srv, out)
        meta = json.loads((out / "meta.json").read_text())
        meta["opgehaald_op"], meta["archief_gelezen_op"] = f"{cut}T06:00:00", cut
        (out / "meta.json").write_text(json.dumps(meta))
        srv.set_tables({**first, "zaken": later})
        result = quick(srv, out)
        assert srv.violations == []
        asked = [r.query for r in srv.requests_to("/zaken/api/v1/zaken")]
    got = load_snapshot(out).zaken.set_index("identificatie")["archiefstatus"]
    assert list(got[ids]) == ["gearchiveerd", "overgedragen"]
    assert {"archiefstatus__in": "gearchiveerd,gearchiveerd_procestermijn_onbekend,overgedragen",
            "einddatum__isnull": "false"}.items() <= next(q for q in asked if "archiefstatus__in" in q).items()
    assert {"archiefstatus": "nog_te_archiveren", "archiefnominatie__in": "blijvend_bewaren,vernietigen",
            "einddatum__isnull": "false"}.items() <= next(q for q in asked if "archiefnominatie__in" in q).items()
    # Everything else of the snapshot is that of the served data.
    pd.testing.assert_frame_equal(load_snapshot(out).zaken.drop(columns="archiefstatus"),
                                  contract.conform("zaken", later).sort_values(["registratiedatum", "identificatie"])
                                  .reset_index(drop=True).drop(columns="archiefstatus"), check_like=True)
    assert read_meta(out)["archief_gelezen_op"] == result_day(out) and result.merged


def test_a_server_that_rejects_the_archive_filters_keeps_the_earlier_reading_day_and_says_so(few, tmp_path):
    cut = "2026-03-01"
    with ZgwTestServer(as_of(few, cut), secret=SECRET, client_id=CLIENT_ID) as srv:
        out = tmp_path / "snap"
        quick(srv, out)
        meta = json.loads((out / "meta.json").read_text())
        meta["opgehaald_op"], meta["archief_gelezen_op"] = f"{cut}T06:00:00", cut
        (out / "meta.json").write_text(json.dumps(meta))
        srv.set_tables(few)
        # A server that does not know the archive filters refuses them as it refuses any unknown parameter.
        srv.fail("/zaken/api/v1/zaken", [400], param="archiefstatus__in")
        srv.fail("/zaken/api/v1/zaken", [400], param="archiefnominatie__in")
        result = quick(srv, out)
    assert any(n.startswith("the Zaken API did not answer the archiefstatus filters") for n in result.notes)
    assert read_meta(out)["archief_gelezen_op"] == cut
    for table in ("zaken", "statussen", "documenten"):
        assert_same(load_snapshot(out).tables[table], few[table], table)


# -- the document types of a dossier: optional -----------------------------------------------

def test_a_catalogi_api_without_zaaktype_informatieobjecttypen_gives_a_snapshot_without_them_and_says_so(
        server, tmp_path):
    """A server that does not offer the list (HTTP 404) still gives a snapshot: the archive report then falls back
    to zaken closed without any document, and the fetch says why."""
    server.fail("/zaaktype-informatieobjecttypen", [404])
    result = quick(server, tmp_path / "snap")
    assert ("the Catalogi API gave no zaaktype-informatieobjecttypen; complete dossiers cannot be checked "
            "(the archive report falls back to zaken closed without any document).") in result.notes
    snap = load_snapshot(tmp_path / "snap")
    assert snap.zaaktype_informatieobjecttypen.empty and len(snap.zaken) > 0


def test_a_failing_zaaktype_informatieobjecttypen_list_still_stops_the_fetch(server, tmp_path):
    """Only 'not offered' (404) is tolerated: a refusal or a server error is not taken for an empty list."""
    server.fail("/zaaktype-informatieobjecttypen", [403])
    with pytest.raises(ApiError, match=r"Catalogi API refused access \(HTTP 403"):
        quick(server, tmp_path / "snap")
    assert not (tmp_path / "snap").exists()


# -- an organisation that keeps its documents elsewhere -------------------------------------

@pytest.mark.parametrize("with_documenten_api", [False, True], ids=["no-documenten-url", "empty-documenten-api"])
def test_a_source_without_documents_gives_a_valid_snapshot_that_says_so(few, tmp_path, with_documenten_api):
    """Zaken in the zaaksysteem, documents in another system: the fetch used to stop at 'documenten has no rows'."""
    no_docs = {**few, "documenten": few["documenten"].iloc[0:0]}
    with ZgwTestServer(no_docs, secret=SECRET, client_id=CLIENT_ID) as srv:
        result = fetch(zaken_url=srv.zaken_url, catalogi_url=srv.catalogi_url, client_id=CLIENT_ID,
                       documenten_url=srv.documenten_url if with_documenten_api else None, out=tmp_path / "snap",
                       secret=SECRET, progress=False)
        assert srv.violations == []
    meta = read_meta(tmp_path / "snap")
    assert meta["documenten_bron"] == "geen" and meta["aantallen"]["documenten"] == 0
    snap = load_snapshot(tmp_path / "snap")
    assert snap.documenten.empty and len(snap.zaken) == len(few["zaken"])
    assert [p for p in validate_snapshot(tmp_path / "snap") if p.severity == "error"] == []
    assert any("no documents" in n and "geen documentgegevens" in n for n in result.notes)
    # The monthly report knows it: no share of zaken with documents, not 0%.
    tabel = metrics.maandcijfers(metrics.load(tmp_path / "snap"), "2026-06", 1)
    assert tabel["gesloten"].sum() > 0
    assert tabel["met_documenten"].isna().all() and tabel["volgens_werkwijze"].isna().all()


def test_a_fetch_that_finds_documents_again_drops_the_declaration(few, tmp_path):
    no_docs = {**few, "documenten": few["documenten"].iloc[0:0]}
    with ZgwTestServer(no_docs, secret=SECRET, client_id=CLIENT_ID) as srv:
        quick(srv, tmp_path / "snap")
        assert read_meta(tmp_path / "snap")["documenten_bron"] == "geen"
        srv.set_tables(few)
        quick(srv, tmp_path / "snap", full=True)
    assert "documenten_bron" not in read_meta(tmp_path / "snap")
    assert_same(load_snapshot(tmp_path / "snap").documenten, few["documenten"], "documenten")


def test_sinds_cannot_be_merged_into_a_snapshot_from_elsewhere(server, small_sample, tmp_path):
    out = tmp_path / "snap"
    shutil.copytree(small_sample, out)
    with pytest.raises(UsageError, match="not fetched from"):
        quick(server, out, sinds="2026-01-01")


def test_hr_export_replaces_derived_staff(server, few, tmp_path):
    hr = few["medewerkers"].copy()
    hr["actief_sinds"] = hr["actief_sinds"].dt.strftime("%d-%m-%Y")  # as Excel writes it in the Netherlands
    path = tmp_path / "hr.csv"
    hr.to_csv(path, sep=";", index=False)
    quick(server, tmp_path / "snap", medewerkers=path)
    assert_same(load_snapshot(tmp_path / "snap").medewerkers, few["medewerkers"], "medewerkers")
    # A later incremental run without the export keeps it (teams and all), adding only people new in a rol.
    server.set_tables({**few, "medewerkers": few["medewerkers"].assign(naam="Anders", afdeling="Elders")})
    result = quick(server, tmp_path / "snap", sinds="2026-01-01")
    assert result.merged
    assert_same(load_snapshot(tmp_path / "snap").medewerkers, few["medewerkers"], "medewerkers")
    assert read_meta(tmp_path / "snap")["medewerkers_bron"] == "HR-export: hr.csv"


# -- a server that misbehaves --------------------------------------------------------------------

def test_retries_503_respecting_retry_after(server, few, tmp_path):
    server.fail("/zaken/api/v1/zaken", [503, 503], retry_after="1")
    quick(server, tmp_path / "snap")
    tries = server.requests_to("/zaken/api/v1/zaken")
    assert [r.status for r in tries[:3]] == [503, 503, 200]
    assert tries[1].at - tries[0].at >= 0.9 and tries[2].at - tries[1].at >= 0.9
    assert_same(load_snapshot(tmp_path / "snap").zaken, few["zaken"], "zaken")


def test_retries_429_502_504_with_growing_pauses(server, tmp_path):
    server.fail("/catalogi/api/v1/zaaktypen", [429, 502, 504])
    quick(server, tmp_path / "snap", retries=3, backoff=0.1)
    tries = server.requests_to("/zaaktypen")
    assert [r.status for r in tries[:4]] == [429, 502, 504, 200]
    pauses = [b.at - a.done for a, b in zip(tries, tries[1:4])]
    assert all(p >= 0.1 * 2**i * 0.9 for i, p in enumerate(pauses)), pauses  # 0.1, 0.2, 0.4 s


def test_a_connection_that_breaks_off_is_read_again(server, few, tmp_path):
    server.cut("/zaken/api/v1/statussen", times=2)
    quick(server, tmp_path / "snap")
    first = [r for r in server.requests_to("/statussen") if "page" not in r.query]
    assert len(first) == 3  # the first page, read whole on the third try
    assert_same(load_snapshot(tmp_path / "snap").statussen, few["statussen"], "statussen")


def test_a_server_that_is_down(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(ApiError, match=r"(Zaken|Catalogi) API: .* failed after 3 attempts: cannot connect "
                                       r"\(Connection refused\)\. Is the server at http://127"):
        fetch(zaken_url=f"{base}/zaken/api/v1", catalogi_url=f"{base}/catalogi/api/v1", client_id=CLIENT_ID,
              out=tmp_path / "snap", secret=SECRET, retries=2, backoff=0.05, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_never_answers_times_out(server, few, tmp_path):
    out = tmp_path / "snap"
    quick(server, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    server.hang("/statussen")
    start = time.monotonic()
    with pytest.raises(ApiError, match=r"Zaken API: .*statussen.* failed after 2 attempts: no answer within 0.3 s"):
        quick(server, out, timeout=0.3, retries=1, full=True)
    assert time.monotonic() - start < 10
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before  # the earlier snapshot is untouched
    assert gc.isenabled()  # paused while reading, back on after the failure
    assert [p.name for p in tmp_path.iterdir()] == ["snap"]  # and nothing half-written beside it


def test_a_failure_stops_the_other_requests(server, tmp_path):
    # One list is refused while another hangs: the hanging one is not retried after the fetch has failed.
    server.hang("/statussen")
    server.fail("/rollen", [403])
    with pytest.raises(ApiError, match="Zaken API refused access"):
        quick(server, tmp_path / "snap", timeout=0.3, retries=5, backoff=0.05)
    time.sleep(1.0)  # long enough for three more attempts, had it gone on
    assert len(server.requests_to("/statussen")) == 1


# urllib3 leaves the socket of a failed TLS handshake to the garbage collector; collected here (and its
# ResourceWarning ignored here) instead of failing whichever test runs when the collector happens to pass.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_untrusted_certificate_is_explained(tmp_path, monkeypatch):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)  # knows no GET: answers 501
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"https://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)

    def go() -> None:
        fetch(zaken_url=f"{base}/zaken/api/v1", catalogi_url=f"{base}/catalogi/api/v1", client_id=CLIENT_ID,
              out=tmp_path / "snap", secret=SECRET, retries=3, backoff=1.0, progress=False)

    try:
        start = time.monotonic()
        with pytest.raises(ApiError, match=r"TLS connection to 127\.0\.0\.1:\d+ failed \(CERTIFICATE_VERIFY_FAILED\)"
                                           r".*set REQUESTS_CA_BUNDLE"):
            go()
        assert time.monotonic() - start < 1  # not retried
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # the advice works: now the server itself answers
        with pytest.raises(ApiError, match="answered HTTP 501"):
            go()
    finally:
        httpd.shutdown()
        httpd.server_close()
        # The client stops its worker threads without waiting (a failed fetch returns at once); a worker still in
        # its handshake drops the socket after that. Wait for them, so the collection below finds every socket.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(t.name.startswith("zgw-fetch") for t in threading.enumerate()):
            time.sleep(0.01)
        gc.collect()


def test_wrong_secret_is_a_clear_message_without_traceback(server, tmp_path, monkeypatch, capsys):
    wrong = "niet-het-goede-geheim-maar-wel-lang-genoeg-0123"
    monkeypatch.setenv("ZGW_CLIENT_SECRET", wrong)
    code = cli.main(args(server, tmp_path / "snap"))
    err = capsys.readouterr().err
    assert code == 3
    assert "HTTP 403" in err and "secret" in err and CLIENT_ID in err and ("Zaken API" in err or "Catalogi API" in err)
    assert "Traceback" not in err and wrong not in err and SECRET not in err
    assert not (tmp_path / "snap").exists()


def test_missing_scope_names_the_api(few, tmp_path):
    with ZgwTestServer(few, secret=SECRET, client_id=CLIENT_ID, scopes={"zaken.lezen", "catalogi.lezen"}) as srv:
        with pytest.raises(ApiError, match=r"Documenten API refused access \(HTTP 403.*documenten\.lezen"):
            quick(srv, tmp_path / "snap")


@pytest.mark.parametrize("kind, message", [("json", "did not return valid JSON"), ("shape", "is not a ZGW list")])
def test_a_malformed_page_fails_cleanly(few, tmp_path, kind, message):
    with ZgwTestServer(few, secret=SECRET, client_id=CLIENT_ID, max_page_size=100) as srv:
        srv.malform("/statussen", kind, page="3")
        with pytest.raises(ApiError, match=message):
            quick(srv, tmp_path / "snap")
        assert any(r.query.get("page") == "3" for r in srv.requests_to("/statussen"))
    assert list(tmp_path.iterdir()) == []


def test_falls_back_to_the_standard_page_size(few, tmp_path):
    with ZgwTestServer(few, secret=SECRET, client_id=CLIENT_ID, accept_page_size=False) as srv:
        quick(srv, tmp_path / "snap")
        zaken = srv.requests_to("/zaken/api/v1/zaken")
        assert srv.violations == []
    assert zaken[0].status == 400 and "pageSize" in zaken[0].query
    assert all("pageSize" not in r.query and r.status == 200 for r in zaken[1:]), [(r.query, r.status) for r in zaken]
    assert len(zaken) - 1 == -(-len(few["zaken"]) // 100)  # pages of the standard 100
    assert_same(load_snapshot(tmp_path / "snap").statussen, few["statussen"], "statussen")


def test_requests_run_in_parallel_but_bounded(server, tmp_path):
    server.hang("", seconds=0.05)  # every answer takes a moment, as on a busy server
    quick(server, tmp_path / "snap", workers=3)
    log = server.log
    in_flight = max(sum(1 for o in log if o.at <= r.at < o.done) for r in log)
    assert in_flight == 3, in_flight


def test_progress_bars_count_what_was_read(server, few, tmp_path, capsys):
    quick(server, tmp_path / "snap", progress=True)
    err = capsys.readouterr().err
    for label, n in (("zaken", len(few["zaken"])), ("statussen", len(few["statussen"])),
                     ("documenten", len(few["documenten"]))):
        assert re.search(rf"\b{label}: 100%.* {n}/{n} ", err), (label, n, err[-2000:])


@pytest.mark.parametrize("status, message", [
    (412, "requires the Accept-Crs/Content-Crs headers"),
    (406, "does not accept Accept-Crs EPSG:4326"),
    (401, "did not accept the credentials"),
])
def test_refusals_are_explained(server, tmp_path, status, message):
    server.fail("/zaken/api/v1/zaken", [status])
    with pytest.raises(ApiError, match=rf"Zaken API .*{message}"):
        quick(server, tmp_path / "snap")


def test_wrong_base_url(server, tmp_path):
    with pytest.raises(ApiError, match=r"does not exist \(HTTP 404\)\. Is --catalogi-url .*/catalogi/api/v1"):
        fetch(zaken_url=server.zaken_url, catalogi_url=server.base + "/catalogus/api/v1", client_id=CLIENT_ID,
              out=tmp_path / "snap", secret=SECRET, progress=False)


def test_zgw_fetch_command_end_to_end(server, few, tmp_path):
    """The installed `zgw` command: a full fetch, an incremental one with --sinds, then a wrong secret."""
    zgw = Path(sys.executable).with_name("zgw")
    cmd = [str(zgw)] if zgw.exists() else [sys.executable, "-m", "zgwlib.cli"]
    out = tmp_path / "snap"
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZGW_CLIENT_SECRET")}

    def zgw_fetch(*extra: str, **secret: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd + args(server, out, *extra), env={**env, **secret}, capture_output=True,
                              text=True, timeout=120)

    first = zgw_fetch(ZGW_CLIENT_SECRET_FILE=str(secret_file))
    assert first.returncode == 0, first.stderr
    assert f"Fetched (everything, " in first.stdout and f"{len(few['zaken'])} zaken" in first.stdout
    again = zgw_fetch("--sinds", "2026-03-01", ZGW_CLIENT_SECRET=SECRET)
    assert again.returncode == 0, again.stderr
    assert "incremental since 2026-03-01, merged" in again.stdout and f"Snapshot written to {out}" in again.stdout
    for table in ("zaken", "statussen", "documenten"):
        assert_same(load_snapshot(out).tables[table], few[table], table)
    assert read_meta(out)["sinds"] == "2026-03-01"
    before = {f.name: f.read_bytes() for f in out.iterdir()}

    wrong = zgw_fetch(ZGW_CLIENT_SECRET="niet-het-goede-geheim-maar-wel-lang-genoeg-0123")
    assert wrong.returncode == 3 and wrong.stdout == ""
    assert wrong.stderr.startswith("zgw fetch: ") and "HTTP 403" in wrong.stderr
    assert "Traceback" not in wrong.stderr and "niet-het-goede" not in wrong.stderr
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before
    printed = first.stdout + first.stderr + again.stdout + again.stderr
    assert SECRET not in printed
    assert not [f for f in tmp_path.rglob("*") if f.is_file() and f != secret_file and SECRET.encode() in f.read_bytes()]


def test_the_server_enforces_the_standard(server):
    """The test server itself: Crs header rule, JWT check, pagination shape (so the tests above mean something)."""
    token = ZgwClient(zaken_url=server.zaken_url, catalogi_url=server.catalogi_url, client_id=CLIENT_ID,
                      secret=SECRET).token()
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{server.zaken_url}/zaken", headers=auth, timeout=5).status_code == 412
    assert requests.get(f"{server.zaken_url}/zaken", headers={**auth, "Accept-Crs": "EPSG:28992"},
                        timeout=5).status_code == 406
    bad = jwt.encode({"iss": CLIENT_ID, "client_id": CLIENT_ID, "iat": int(time.time()), "user_id": "x",
                      "user_representation": "x"}, "ander-geheim-" * 4, algorithm="HS256")
    assert requests.get(f"{server.catalogi_url}/zaaktypen", headers={"Authorization": f"Bearer {bad}"},
                        timeout=5).status_code == 403
    page = requests.get(f"{server.zaken_url}/statussen", headers=auth, timeout=5).json()
    assert set(page) == {"count", "next", "previous", "results"} and len(page["results"]) == 100
    assert page["next"].endswith("page=2") and page["previous"] is None
    assert isinstance(requests.get(f"{server.zaken_url}/zaakinformatieobjecten", headers=auth, timeout=5).json(), list)


# -- small parts --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, days", [("P56D", 56), ("P8W", 56), ("P6M", 183), ("P1Y", 365), ("P1M", 30),
                                          ("PT36H", 2), ("P1Y2M10D", 436), (None, None), ("", None)])
def test_durations_in_days(value, days):
    assert duration_days(value) == days


@pytest.mark.parametrize("bad", ["56D", "P", "PT", "P5X", "8 weken"])
def test_bad_durations_are_refused(bad):
    with pytest.raises(ValueError):
        duration_days(bad)


def test_informatieobjecttype_versions_become_one_row():
    """Versions share an omschrijving: the published one that began last wins; a concept only when alone."""
    rows = [("u1", "Besluit", "openbaar", "2020-01-01", "2023-12-31", False),
            ("u2", "Besluit", "zaakvertrouwelijk", "2024-01-01", None, False),
            ("u3", "Besluit", "geheim", "2025-01-01", None, True),
            ("u4", "Zienswijze", "", "2025-02-01", None, True)]
    empty = frame("zaaktypen", [])
    got = map_informatieobjecttypen(Catalogue(empty, frame("statustypen", []), frame("resultaattypen", []),
                                              frame("informatieobjecttypen", rows)))
    assert got["omschrijving"].tolist() == ["Besluit", "Zienswijze"]
    assert got["vertrouwelijkheidaanduiding"].iloc[0] == "zaakvertrouwelijk"
    assert pd.isna(got["vertrouwelijkheidaanduiding"].iloc[1]) and got["einde_geldigheid"].isna().all()
    assert got["begin_geldigheid"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2025-02-01")]
    assert dict(got.dtypes.astype(str)) == contract.INFORMATIEOBJECTTYPEN.dtypes


def test_verlenging_and_opschorting_become_the_optional_zaken_columns():
    """ZGW's verlenging {reden, duur} and opschorting {indicatie, reden}, as Open Zaak sends them, and null."""
    from zgwlib.data.zgw.mapping import map_verlenging_opschorting

    zaken = pd.DataFrame({
        "verlenging": [None, {"reden": "Advies nodig", "duur": "P42D"}, {"reden": "", "duur": "P6W"}],
        "opschorting": [{"indicatie": False, "eerdereOpschorting": False, "reden": ""},
                        {"indicatie": True, "reden": "Wacht op aanvulling"}, None],
    }, dtype=object)
    got = map_verlenging_opschorting(zaken)
    assert got["verlenging_duur_dagen"].astype("float").fillna(-1).tolist() == [-1, 42, 42]
    assert got["verlenging_reden"].tolist() == [None, "Advies nodig", None]
    assert got["opschorting_indicatie"].astype("object").fillna("onbekend").tolist() == [False, True, "onbekend"]
    assert got["opschorting_reden"].tolist() == [None, "Wacht op aanvulling", None]
    with pytest.raises(ApiError, match=r"zaken.verlenging.duur: '42 dagen' is not an ISO 8601 duration"):
        map_verlenging_opschorting(zaken.assign(verlenging=[None, {"reden": "x", "duur": "42 dagen"}, None]))
    with pytest.raises(ApiError, match=r"opschorting.indicatie holds 'ja'"):
        map_verlenging_opschorting(zaken.assign(opschorting=[None, {"indicatie": "ja", "reden": ""}, None]))


def test_items_that_break_the_standard_are_named():
    ok = {"url": "http://x/zaken/api/v1/statussen/1", "zaak": "http://x/z/1", "statustype": "http://x/st/1",
          "datumStatusGezet": "2026-01-05T09:00:00Z"}
    rows = project_page("statussen", [ok, {**ok, "url": "http://x/zaken/api/v1/statussen/2", "gezetdoor": "r"}], "src")
    assert rows == [(ok["url"], ok["zaak"], ok["statustype"], ok["datumStatusGezet"], None),
                    ("http://x/zaken/api/v1/statussen/2", ok["zaak"], ok["statustype"], ok["datumStatusGezet"], "r")]
    with pytest.raises(ApiError, match=r"src: a statussen item has no 'statustype' \(http://x/zaken/api/v1/statussen/2\)"):
        project_page("statussen", [ok, {**ok, "url": "http://x/zaken/api/v1/statussen/2", "statustype": ""}], "src")
    with pytest.raises(ApiError, match=r"src: a statussen item is not a JSON object \(list\)"):
        project_page("statussen", [ok, ["not", "an", "object"]], "src")


def test_secret_comes_only_from_the_environment(tmp_path, monkeypatch, capsys):
    f = tmp_path / "secret"
    f.write_text(SECRET + "\n")
    assert read_secret({"ZGW_CLIENT_SECRET_FILE": str(f)}) == SECRET
    assert read_secret({"ZGW_CLIENT_SECRET": "a", "ZGW_CLIENT_SECRET_FILE": str(f)}) == "a"
    with pytest.raises(UsageError, match="ZGW_CLIENT_SECRET"):
        read_secret({})
    with pytest.raises(UsageError, match=r"cannot read the client secret from .*nothing"):
        read_secret({"ZGW_CLIENT_SECRET_FILE": str(tmp_path / "nothing")})
    monkeypatch.delenv("ZGW_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("ZGW_CLIENT_SECRET_FILE", raising=False)
    code = cli.main(["fetch", "--zaken-url", "http://127.0.0.1:9/z", "--catalogi-url", "http://127.0.0.1:9/c",
                     "--client-id", CLIENT_ID, "--out", str(tmp_path / "snap")])
    assert code == 2 and "no client secret: set ZGW_CLIENT_SECRET" in capsys.readouterr().err
    sub = next(a for a in cli.build_parser()._actions if a.dest == "command").choices["fetch"]
    assert not [o for a in sub._actions for o in a.option_strings if "secret" in o]
    client = ZgwClient(zaken_url="http://a/z", catalogi_url="http://a/c", client_id="x", secret=SECRET)
    assert SECRET not in repr(client)


def test_tokens_are_signed_fresh_and_short_secrets_work(monkeypatch):
    # Many zaaksystemen hand out secrets shorter than 32 bytes; signing must not warn (warnings are errors here).
    client = ZgwClient(zaken_url="http://a/z", catalogi_url="http://a/c", client_id=CLIENT_ID, secret="kort")
    now = [1_800_000_000]
    monkeypatch.setattr(time, "time", lambda: now[0])
    tokens = [client.token()]
    now[0] += 3600
    tokens.append(client.token())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        claims = [jwt.decode(t, "kort", algorithms=["HS256"], options={"verify_iat": False}) for t in tokens]
    assert [c["iat"] for c in claims] == [1_800_000_000, 1_800_003_600]
    assert all(c["iss"] == c["client_id"] == c["user_id"] == CLIENT_ID and c["user_representation"] for c in claims)
