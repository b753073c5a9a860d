"""``zgw fetch`` against real Open Zaak answers, replayed (tests/openzaak-recorded, tests/zgw_server.py).

The exchanges were recorded while ``zgw fetch`` read a real Open Zaak 1.30.0
(Zaken API 1.5.1, Catalogi API 1.3.1, Documenten API 1.4.2); each scenario's
README gives the command and the row counts it produced, and the snapshot it
wrote is kept beside it. Replaying them checks the client against what a real
server sends (its paging, its plain arrays, its error bodies), not against a
server written here. Every request must have been recorded: an unmatched one
fails the test.

The kit reads ``zaaktype-informatieobjecttypen`` since the recordings were made. Its real answer was recorded
from the same server a few minutes later, among the lists the kit did not read then
(``full/exchanges-extra.jsonl``, the same request ``?pageSize=500``); the catalogue the three scenarios read is
byte-for-byte the same, so every scenario is replayed with that recorded answer (:func:`dossier`). A server
without the list is replayed with Open Zaak's real answer to a path it does not have (HTTP 404).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from zgw_server import ReplayServer, load_exchanges

from zgwlib import cli, style
from zgwlib.maandrapportage import figures as metrics
from zgwlib.data.snapshot import read_meta
from zgwlib.data.sources import load_snapshot

REC = Path(__file__).resolve().parent / "openzaak-recorded"
#: The recording proxy's address: every URL in the recorded bodies starts with it.
RECORDED_BASE = "http://127.0.0.1:8100"
#: The secret is redacted in the recordings and the replay does not check it; any value will do.
SECRET = "replay-geheim-wordt-niet-gecontroleerd-0123456789"
TABLES = ("zaken", "statussen", "documenten", "zaaktypen", "informatieobjecttypen")
KEYS = {"zaken": ["identificatie"], "statussen": ["zaak", "datum_status_gezet", "volgnummer"],
        "documenten": ["identificatie"], "zaaktypen": ["identificatie"], "medewerkers": ["identificatie"],
        "informatieobjecttypen": ["omschrijving"]}


def recording(scenario: str, name: str = "exchanges") -> list[dict[str, Any]]:
    """The exchanges of one recording, stored gzipped (or plain, as tests/record_openzaak.py writes them)."""
    folder = REC / scenario
    path = folder / f"{name}.jsonl.gz"
    return load_exchanges(path if path.exists() else folder / f"{name}.jsonl")


def dossier() -> list[dict[str, Any]]:
    """Open Zaak's recorded answer to ``zaaktype-informatieobjecttypen?pageSize=500`` (the one catalogue, shared by
    every organisation on the server; see the module docstring)."""
    return [e for e in recording("full", "exchanges-extra")
            if e["path"] == "/catalogi/api/v1/zaaktype-informatieobjecttypen"]


def error_exchange(case: str) -> dict[str, Any]:
    """Open Zaak's recorded answer in ``errors/`` for ``case`` (see cases.json)."""
    cases = {c["case"]: c for c in json.loads((REC / "errors" / "cases.json").read_text(encoding="utf-8"))}
    return next(e for e in recording("errors") if e["seq"] == cases[case]["seq"])


def run_info(scenario: str, name: str = "exchanges") -> dict[str, Any]:
    """What the recorded ``zgw fetch`` was given and produced (arguments, output, row counts)."""
    return json.loads((REC / scenario / f"{name}.run.json").read_text(encoding="utf-8"))


def argv(run: dict[str, Any], srv: ReplayServer, out: Path) -> list[str]:
    """The recorded command line, pointed at the replay server and at ``out``."""
    args = [srv.url(a) for a in run["argv"]]
    args[args.index("--out") + 1] = str(out)
    return args


def fetch_replayed(run: dict[str, Any], srv: ReplayServer, out: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setenv("ZGW_CLIENT_SECRET", SECRET)
    code = cli.main(argv(run, srv, out))
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def counts(out: Path) -> dict[str, int]:
    return {t: len(df) for t, df in load_snapshot(out).tables.items()}


def recorded_counts(out: Path, recorded: dict[str, int]) -> dict[str, int]:
    """The row counts of the tables the recording knew; a table added to the contract since (optional, and not in
    the ZGW APIs, such as activiteiten) must be empty, but for the dossiers' document types read from
    :func:`dossier` (the recorded 9, all of zaaktypen of this catalogue)."""
    got = counts(out)
    assert got["zaaktype_informatieobjecttypen"] == 9, got
    assert all(got[t] == 0 for t in got if t not in recorded and t != "zaaktype_informatieobjecttypen"), got
    return {t: n for t, n in got.items() if t in recorded}


def assert_same_tables(got: Path, want: Path, tables: tuple[str, ...] = TABLES) -> None:
    g, w = load_snapshot(got).tables, load_snapshot(want).tables
    for t in tables:
        pd.testing.assert_frame_equal(g[t].sort_values(KEYS[t]).reset_index(drop=True),
                                      w[t].sort_values(KEYS[t]).reset_index(drop=True), obj=t)


def assert_same_month(got: Path, want: Path) -> None:
    """The monthly report's figures (every department, team and month of the window) equal the recorded snapshot's."""
    w = metrics.maand(metrics.prepare(load_snapshot(want)))
    g = metrics.maand(metrics.prepare(load_snapshot(got)), w.periode)
    assert w.periode == "2026-10"
    assert w.tabel["ontvangen"].sum() > 0  # the window has data to compare
    pd.testing.assert_frame_equal(g.tabel, w.tabel)
    pd.testing.assert_frame_equal(g.teams, w.teams)


@pytest.fixture
def replay():
    """Start replay servers; each must have had no unmatched request at the end."""
    servers: list[ReplayServer] = []

    def start(*exchanges: list[dict[str, Any]]) -> ReplayServer:
        srv = ReplayServer([e for part in exchanges for e in part], recorded_base=RECORDED_BASE).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()
    for srv in servers:
        assert srv.unmatched == [], f"requests nothing was recorded for: {srv.unmatched}"


# -- the scenarios -------------------------------------------------------------------------------

def test_a_full_fetch_of_real_open_zaak_answers_gives_the_recorded_snapshot(replay, tmp_path, monkeypatch, capsys):
    run = run_info("full")
    exchanges = recording("full")
    srv = replay(exchanges, recording("full", "exchanges-links"), dossier())
    out = tmp_path / "full"
    code, stdout, stderr = fetch_replayed(run, srv, out, monkeypatch, capsys)
    assert code == 0, stderr
    assert recorded_counts(out, run["row_counts"]) == run["row_counts"]
    assert srv.unused(exchanges) == []  # every recorded request was made again
    assert stdout.startswith("Fetched (everything, ") and "30 zaken, 80 statussen, 57 documenten" in stdout
    assert "3 zaken have no rol of type organisatorische_eenheid" in stderr
    assert_same_tables(out, REC / "full" / "snapshot")
    assert_same_month(out, REC / "full" / "snapshot")
    # Open Zaak's zaakinformatieobjecten is a plain array: read once, without page or pageSize.
    zio = srv.requests_to("/zaakinformatieobjecten")
    assert [r.query for r in zio] == [{}]
    # Statussen and rollen (not filterable by organisation) came in pages 2 and 3 of 500.
    assert sorted(r.query.get("page", "1") for r in srv.requests_to("/rollen")) == ["1", "2", "3"]


def test_an_incremental_fetch_of_real_open_zaak_answers_gives_the_recorded_snapshot(replay, tmp_path, monkeypatch,
                                                                                  capsys):
    first, second = run_info("full"), run_info("full", "exchanges-incremental")
    # One server for both runs: the incremental run must see the same API URL as the first.
    srv = replay(recording("full"), recording("full", "exchanges-incremental"), recording("full", "exchanges-links"),
                 dossier())
    # The archive re-read (issue 15) came after the recording: nothing was recorded for its two zaken lists. They
    # are answered as Open Zaak answered a zaken query it refused (the recorded 400 of unknown_query_parameter), so
    # this replay shows the fetch without that re-read, and that it says so; tests/test_fetch.py shows the re-read.
    refused = error_exchange("unknown_query_parameter")
    srv.answer("/zaken/api/v1/zaken", refused, param="archiefstatus__in")
    srv.answer("/zaken/api/v1/zaken", refused, param="archiefnominatie__in")
    out = tmp_path / "full"
    assert fetch_replayed(first, srv, out, monkeypatch, capsys)[0] == 0
    # The first fetch ran when it was recorded: the second asks for what changed since that day.
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta["opgehaald_op"] = read_meta(REC / "full" / "snapshot")["opgehaald_op"]
    meta["archief_gelezen_op"] = "2026-11-01"  # as if the first fetch had read the archive states on that day
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    code, stdout, stderr = fetch_replayed(second, srv, out, monkeypatch, capsys)
    assert code == 0, stderr
    assert stdout.startswith("Fetched (incremental since 2026-11-27, merged, ")
    assert "the Zaken API did not answer the archiefstatus filters" in stderr
    assert read_meta(out)["archief_gelezen_op"] == "2026-11-01"  # not read again: the earlier day stays
    assert recorded_counts(out, second["row_counts"]) == second["row_counts"]
    asked = [r.query for r in srv.requests_to("/zaken/api/v1/zaken")][1:]
    assert {k for q in asked if "archiefstatus" not in q and "archiefstatus__in" not in q for k in q} == {
        "bronorganisatie", "pageSize", "registratiedatum__gt", "einddatum__gt", "einddatum__isnull"}
    assert read_meta(out)["sinds"] == "2026-11-27"
    assert_same_tables(out, REC / "full" / "snapshot-incremental")
    assert_same_month(out, REC / "full" / "snapshot-incremental")


def test_a_fetch_of_520_real_zaken_reads_the_second_page(replay, tmp_path, monkeypatch, capsys):
    run = run_info("paging")
    exchanges = recording("paging")
    srv = replay(exchanges, dossier())
    out = tmp_path / "paging"
    code, stdout, stderr = fetch_replayed(run, srv, out, monkeypatch, capsys)
    assert code == 0, stderr
    assert recorded_counts(out, run["row_counts"]) == run["row_counts"] and run["row_counts"]["zaken"] == 520
    assert srv.unused(exchanges) == []
    assert sorted(r.query.get("page", "1") for r in srv.requests_to("/zaken/api/v1/zaken")) == ["1", "2"]
    assert_same_tables(out, REC / "paging" / "snapshot")
    assert_same_month(out, REC / "paging" / "snapshot")


# -- the recorded error answers --------------------------------------------------------------------

#: How `zgw fetch` meets each recorded failure: (which paths get that answer, changes to the command line,
#: the message it must print). Paths that get no override are answered from the full scenario.
_AUTH = r"(Catalogi|Zaken|Documenten) API refused access \(HTTP 403: Je hebt geen toestemming om deze actie uit te " \
        r"voeren\.{detail}\): the client id 'zgw-kit' or its secret \(ZGW_CLIENT_SECRET\) is wrong, or the " \
        r"application lacks the scope \w+\.lezen"
ERROR_CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "wrong_secret": ("/", {}, _AUTH.format(detail="; Client credentials zijn niet geldig")),
    "unknown_client_id": ("/", {}, _AUTH.format(detail="; Client identifier bestaat niet")),
    "no_authorization_header": ("/", {}, _AUTH.format(detail="")),
    "token_iat_2_days_old": ("/", {}, _AUTH.format(detail="; De JWT die gebruikt is voor dit verzoek is verlopen")),
    "no_scope_documenten_lezen": ("/documenten/", {}, r"Documenten API refused access \(HTTP 403.*lacks the scope "
                                                       r"documenten\.lezen for the Documenten API"),
    "nonexistent_api_path": ("/zaken/api/v1/zakken/", {"--zaken-url": "/zaken/api/v1/zakken"},
                             r"Zaken API: .*/zaken/api/v1/zakken/\w+\S* does not exist \(HTTP 404\)\. Is --zaken-url "
                             r".*/zaken/api/v1/zakken right\? In Open Zaak it ends in /zaken/api/v1\."),
    "nonexistent_api_version_root": ("/zaken/api/v2/", {"--zaken-url": "/zaken/api/v2"},
                                     r"Zaken API: .* does not exist \(HTTP 404\)\. Is --zaken-url .*/zaken/api/v2 "
                                     r"right\? In Open Zaak it ends in /zaken/api/v1\."),
    "nonexistent_non_api_path": ("/catalogus/", {"--catalogi-url": "/catalogus/api/v1"},
                                 r"Catalogi API: .* does not exist \(HTTP 404\)\. Is --catalogi-url .*/catalogus/api/v1 "
                                 r"right\? In Open Zaak it ends in /catalogi/api/v1\."),
    "missing_accept_crs": ("/zaken/", {}, r"Zaken API requires the Accept-Crs/Content-Crs headers \(HTTP 412: "
                                          r"Voorwaarde is niet vervuld; 'Accept-Crs' header ontbreekt\)"),
    "unsupported_accept_crs": ("/zaken/", {}, r"Zaken API cannot answer as asked \(HTTP 406: Kan niet voldoen aan de "
                                              r"opgegeven Accept header\.; CRS 'EPSG:28992' is niet ondersteund\)"),
    "invalid_date_filter": ("/zaken/api/v1/zaken", {"--sinds": "2026-11-01"},
                            r"Zaken API rejected the request .* \(HTTP 400: Ongeldige invoer\.; registratiedatum__gt: "
                            r"Voer een geldige datum in\.\)"),
    "invalid_bronorganisatie_filter": ("/zaken/api/v1/zaken", {"--bronorganisatie": "12345"},
                                       r"Zaken API rejected the request .*bronorganisatie=12345.* \(HTTP 400: Ongeldige "
                                       r"invoer\.; bronorganisatie: Onjuist RSIN nummer\)"),
    "unknown_query_parameter": ("/zaken/api/v1/zaken", {},
                                r"Zaken API rejected the request .* \(HTTP 400: Ongeldige invoer\.; nonFieldErrors: "
                                r"Onbekende query parameters: foo\)"),
    "page_past_end_catalogi": ("/catalogi/api/v1/zaaktypen", {},
                               r"Catalogi API: .*/zaaktypen\S* does not exist \(HTTP 404\)\. Is --catalogi-url"),
    "page_past_end_documenten": ("/documenten/", {},
                                 r"Documenten API: .* does not exist \(HTTP 404\)\. Is --documenten-url"),
    "page_past_end_zaken": ("/zaken/api/v1/zaken", {}, r"Zaken API: .* does not exist \(HTTP 404\)\. Is --zaken-url"),
    "invalid_page_value": ("/zaken/api/v1/zaken", {}, r"Zaken API: .* does not exist \(HTTP 404\)\. Is --zaken-url"),
}
#: Recorded answers `zgw fetch` cannot meet as a failure, and why.
NOT_MET = {
    "token_iat_1_hour_in_future": "accepted (200): Open Zaak tolerates a clock that runs ahead",
    "invalid_isnull_filter": "accepted (200): an invalid boolean filter is ignored; the kit only sends 'true'",
    "pagesize_not_a_number": "accepted (200): the kit always sends a number",
    "pagesize_above_max_500": "accepted (200, capped at 500): the kit asks for 500",
    "nonexistent_zaak_uuid": "single zaken are only read to resolve old document links, tolerantly",
    "zaakinformatieobjecten_with_page": "the kit reads zaakinformatieobjecten as a plain array, never with page "
                                        "(the full scenario's replay proves it: any other request is unmatched)",
}


def test_every_recorded_error_answer_is_covered():
    cases = [c["case"] for c in json.loads((REC / "errors" / "cases.json").read_text(encoding="utf-8"))]
    assert len(cases) == 23
    assert sorted(cases) == sorted([*ERROR_CASES, *NOT_MET])


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_a_recorded_error_answer_gives_the_documented_message(case, replay, tmp_path, monkeypatch, capsys):
    """Each real failure answer of Open Zaak ends the fetch with one `zgw fetch:` line (docs/open-zaak.md),
    exit code 3, no traceback, nothing written."""
    cases = {c["case"]: c for c in json.loads((REC / "errors" / "cases.json").read_text(encoding="utf-8"))}
    exchange = next(e for e in recording("errors") if e["seq"] == cases[case]["seq"])
    prefix, changes, message = ERROR_CASES[case]
    srv = replay(recording("full"), recording("full", "exchanges-links"), dossier())
    srv.answer(prefix, exchange)
    run = run_info("full")
    out = tmp_path / "snap"
    args = argv(run, srv, out)
    for option, value in changes.items():
        if option in args:
            args[args.index(option) + 1] = srv.base + value if value.startswith("/") else value
        else:
            args += [option, value]
    monkeypatch.setenv("ZGW_CLIENT_SECRET", SECRET)
    code = cli.main(args)
    err = capsys.readouterr().err
    assert code == 3, err
    assert err.startswith("zgw fetch: ") and err.count("\n") == 1 and "Traceback" not in err
    assert re.search(message, err), err
    assert not out.exists()
    assert any(r.status == exchange["status"] for r in srv.log)  # the recorded answer was served


def test_the_replay_matches_queries_in_any_order_and_refuses_what_was_not_recorded():
    import requests

    with ReplayServer(recording("full"), recorded_base=RECORDED_BASE) as srv:
        page = requests.get(f"{srv.zaken_url}/rollen?pageSize=500&page=2", timeout=5)  # recorded as page=2&pageSize=500
        assert page.status_code == 200 and page.headers["API-version"] == "1.5.1"
        body = page.json()
        assert body["next"] == f"{srv.zaken_url}/rollen?page=3&pageSize=500"  # the recorded base became ours
        assert RECORDED_BASE not in page.text
        missing = requests.get(f"{srv.zaken_url}/rollen?page=4&pageSize=500", timeout=5)
        assert missing.status_code == 501
        assert srv.unmatched == ["GET /zaken/api/v1/rollen?page=4&pageSize=500"]


# -- what real data showed ---------------------------------------------------------------------------

def _results(exchanges: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return [x for e in exchanges if e["path"] == path and e["status"] == 200
            for x in (e["body"] if isinstance(e["body"], list) else e["body"]["results"])]


def _local_day(moment: str) -> str:
    from zoneinfo import ZoneInfo

    return pd.Timestamp(moment).tz_convert(ZoneInfo("Europe/Amsterdam")).date().isoformat()


def test_staff_are_active_since_their_first_work_not_since_the_rollen_were_loaded(replay, tmp_path, monkeypatch,
                                                                                    capsys):
    """Open Zaak stamps a rol with the moment it was stored: this server was loaded on 2026-11-27 (Dutch date),
    months after the statuses the staff set. actief_sinds is the earliest of the rol, the statuses a person set,
    the registratie of a zaak they were the first behandelaar of and the einddatum of one they closed."""
    exchanges = recording("full")
    srv = replay(exchanges, recording("full", "exchanges-links"), dossier())
    assert fetch_replayed(run_info("full"), srv, tmp_path / "full", monkeypatch, capsys)[0] == 0

    zaken = {z["url"]: z for z in _results(exchanges, "/zaken/api/v1/zaken")}
    rollen = [r for r in _results(exchanges, "/zaken/api/v1/rollen")
              if r["zaak"] in zaken and r["betrokkeneType"] == "medewerker"]
    person = {r["url"]: r["betrokkeneIdentificatie"]["identificatie"] for r in rollen}
    assert {_local_day(r["registratiedatum"]) for r in rollen} == {"2026-11-27"}  # the load day, for everyone
    days: dict[str, list[str]] = {p: [] for p in person.values()}
    for r in rollen:
        days[person[r["url"]]].append(_local_day(r["registratiedatum"]))
    for s in _results(exchanges, "/zaken/api/v1/statussen"):
        if s["zaak"] in zaken and s.get("gezetdoor") in person:
            days[person[s["gezetdoor"]]].append(_local_day(s["datumStatusGezet"]))
    handlers: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rollen, key=lambda r: r["registratiedatum"]):
        if r["omschrijvingGeneriek"] == "behandelaar":
            handlers.setdefault(r["zaak"], []).append(r)
    for url, hs in handlers.items():
        days[person[hs[0]["url"]]].append(zaken[url]["registratiedatum"])
        if zaken[url]["einddatum"]:
            days[person[hs[-1]["url"]]].append(zaken[url]["einddatum"])
    want = {p: min(d) for p, d in days.items()}

    got = load_snapshot(tmp_path / "full").medewerkers
    got = dict(zip(got["identificatie"], got["actief_sinds"].dt.strftime("%Y-%m-%d")))
    assert got == want
    assert max(got.values()) < "2026-11-01"  # everyone was at work long before the load


def hide_zaken(exchanges: list[dict[str, Any]], hidden: set[str]) -> list[dict[str, Any]]:
    """The answers as Open Zaak gives them to an application that may not see the zaken ``hidden``.

    The Zaken API leaves those zaken out of every list, with their statussen, rollen, resultaten and
    zaakinformatieobjecten (the count shrinks with them); the Documenten API is unchanged.
    """
    out = []
    for e in exchanges:
        e = json.loads(json.dumps(e))
        body = e["body"]
        if e["path"].startswith("/zaken/api/v1/") and e["status"] == 200:
            def visible(x: dict[str, Any]) -> bool:
                return x.get("url") not in hidden and x.get("zaak") not in hidden

            if isinstance(body, list):
                e["body"] = [x for x in body if visible(x)]
            else:
                kept = [x for x in body["results"] if visible(x)]
                body["count"] -= len(body["results"]) - len(kept)
                body["results"] = kept
        out.append(e)
    return out


def test_documents_of_zaken_the_application_may_not_see_are_not_outside_any_zaak(replay, tmp_path, monkeypatch,
                                                                                 capsys):
    """The recommended read-only application with maximum vertrouwelijkheidaanduiding `zaakvertrouwelijk`: Open
    Zaak hides the 9 `vertrouwelijk` zaken. Their documents are in a zaak (the Documenten API says so), not outside
    one: only the 3 real documents outside any zaak count, and meta.json says how much was not visible."""
    exchanges = recording("full")
    zaken = _results(exchanges, "/zaken/api/v1/zaken")
    hidden = {z["url"] for z in zaken if z["vertrouwelijkheidaanduiding"] == "vertrouwelijk"}
    links = [z for z in _results(exchanges, "/zaken/api/v1/zaakinformatieobjecten") if z["zaak"] in hidden]
    assert (len(hidden), len(links)) == (9, 14)  # the trial: 17 documents "outside" instead of 3
    srv = replay(hide_zaken(exchanges, hidden), recording("full", "exchanges-links"), dossier())
    out = tmp_path / "beperkt"
    code, stdout, stderr = fetch_replayed(run_info("full"), srv, out, monkeypatch, capsys)
    assert code == 0, stderr
    snap = load_snapshot(out)
    assert len(snap.zaken) == 21
    assert int(snap.documenten["zaak"].isna().sum()) == 3
    assert len(snap.documenten) == 57 - 14
    assert read_meta(out)["niet_zichtbaar"] == {"zaken": len({z["zaak"] for z in links}), "documenten": 14}
    assert "14 documents belong to" in stderr
    # With every autorisatie nothing is hidden, and meta.json says so.
    assert len(srv.requests_to("/objectinformatieobjecten")) == 17
    full = replay(exchanges, recording("full", "exchanges-links"), dossier())
    assert fetch_replayed(run_info("full"), full, tmp_path / "alles", monkeypatch, capsys)[0] == 0
    assert read_meta(tmp_path / "alles")["niet_zichtbaar"] == {"zaken": 0, "documenten": 0}
    assert style.make_visibility_note(read_meta(tmp_path / "alles")) is None
    note = style.make_visibility_note(read_meta(out))
    assert note == ("Let op: 14 documenten horen bij 9 zaken die de koppeling met het zaaksysteem niet mag zien "
                    "(door hun zaaktype of vertrouwelijkheid). Die zaken en documenten tellen niet mee in dit rapport.")


# -- the document types of each dossier ------------------------------------------------------------

def test_the_catalogue_is_the_same_in_every_recording_so_the_one_recorded_dossier_answer_fits_them_all():
    """Why :func:`dossier` may be replayed in every scenario: the catalogue lists all three read are identical."""
    for path in ("zaaktypen", "informatieobjecttypen", "statustypen", "resultaattypen"):
        bodies = [[e["body"] for e in recording(*which) if e["path"] == f"/catalogi/api/v1/{path}"]
                  for which in (("full",), ("full", "exchanges-incremental"), ("paging",))]
        assert bodies[0] and bodies[0] == bodies[1] == bodies[2], path
    assert [e["query"] for e in dossier()] == ["pageSize=500"] and dossier()[0]["status"] == 200


def test_open_zaak_names_a_dossiers_document_type_by_url_and_the_fetch_gives_its_omschrijving(replay, tmp_path,
                                                                                              monkeypatch, capsys):
    """Catalogi API 1.3.1 describes `informatieobjecttype` as the type's omschrijving; Open Zaak 1.30 sends the
    type's URL. Each recorded row becomes (zaaktype identificatie, omschrijving of that URL, richting, volgnummer)."""
    exchanges = recording("full")
    srv = replay(exchanges, recording("full", "exchanges-links"), dossier())
    assert fetch_replayed(run_info("full"), srv, tmp_path / "full", monkeypatch, capsys)[0] == 0
    naam = {t["url"]: t["omschrijving"] for t in _results(exchanges, "/catalogi/api/v1/informatieobjecttypen")}
    rows = _results(dossier(), "/catalogi/api/v1/zaaktype-informatieobjecttypen")
    assert all(r["informatieobjecttype"] in naam for r in rows)  # URLs, every one a known type
    want = sorted((r["zaaktypeIdentificatie"], naam[r["informatieobjecttype"]], r["richting"], r["volgnummer"])
                  for r in rows)
    got = load_snapshot(tmp_path / "full").zaaktype_informatieobjecttypen
    assert sorted(zip(got["zaaktype"], got["informatieobjecttype"], got["richting"], got["volgnummer"])) == want
    assert got["statustype"].isna().all() and len(want) == 9


def test_a_server_without_zaaktype_informatieobjecttypen_gives_a_snapshot_and_the_note(replay, tmp_path,
                                                                                     monkeypatch, capsys):
    """An older server without the list answers as Open Zaak answers any path it does not have (the recorded HTML
    404 of `nonexistent_api_path`): the fetch goes on without the table and says what that means."""
    cases = {c["case"]: c for c in json.loads((REC / "errors" / "cases.json").read_text(encoding="utf-8"))}
    not_found = next(e for e in recording("errors") if e["seq"] == cases["nonexistent_api_path"]["seq"])
    assert not_found["status"] == 404 and not not_found["body_is_json"]
    srv = replay(recording("full"), recording("full", "exchanges-links"))
    srv.answer("/catalogi/api/v1/zaaktype-informatieobjecttypen", not_found)
    out = tmp_path / "full"
    code, stdout, stderr = fetch_replayed(run_info("full"), srv, out, monkeypatch, capsys)
    assert code == 0, stderr
    assert ("the Catalogi API gave no zaaktype-informatieobjecttypen; complete dossiers cannot be checked"
            in stderr)
    assert load_snapshot(out).zaaktype_informatieobjecttypen.empty
    assert_same_tables(out, REC / "full" / "snapshot")
