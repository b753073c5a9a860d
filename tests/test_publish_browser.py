"""The published pages in a real headless Chromium, opened from the file like a user would.

Chromium is driven over its DevTools protocol through a pipe
(``--remote-debugging-pipe``: commands on fd 3, answers on fd 4, each message
ended by a NUL byte), so no websocket library or driver is needed. The browser
gets a new empty profile and every background service switched off, so any
request it makes comes from the page.
"""

from __future__ import annotations

import base64
import json
import re
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from zgwlib.publish import runner as run
from zgwlib.data.sources import afdelingen, load_snapshot
from zgwlib.data.snapshot import read_meta, write_snapshot
from zgwlib.core import periods

FIXTURES = Path(__file__).parent / "notebooks"
PLANTED = '<script>alert("zgw")</script> melding'
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability", "--no-default-browser-check", "--mute-audio",
    "--hide-scrollbars", "--window-size=412,915",  # a phone's width: the pages must work there
]

#: In CI a missing browser is a failure, not a skip: a skipped browser test would let CI pass unproven.
IN_CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not IN_CI,
    reason="Chromium is not installed; `make test` installs Debian's chromium package (apt-get install chromium).",
)


class Browser:
    """A minimal DevTools-protocol client for one headless Chromium over a pipe."""

    def __init__(self, profile: Path) -> None:
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's fixed descriptors
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            if select.select([self._r], [], [], left)[0]:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> dict[str, Any]:
        for e in self.events:
            if e.get("method") == method and e.get("sessionId") == session:
                return e
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            self.events.append(m)
            if m.get("method") == method and m.get("sessionId") == session:
                return m

    def open(self, url: str) -> str:
        """Open ``url`` in a new tab with network, console and log reporting on; return the session."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        # Anything a page would do after load (a timer, a late request) gets a moment to show up.
        self.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 300))", "awaitPromise": True},
                  session=session)
        return session

    def evaluate(self, expression: str, session: str) -> Any:
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                         session=session)["result"].get("value")

    def screenshot(self, session: str, path: Path) -> None:
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
        path.write_bytes(base64.b64decode(shot["data"]))

    def of(self, session: str, *methods: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e.get("sessionId") == session and e.get("method") in methods]

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)


@pytest.fixture(scope="module")
def published(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report for the whole organisation, from the sample with a script planted in an omschrijving."""
    snap = load_snapshot(small_sample)
    zaken = snap.zaken.copy()
    zaken.loc[zaken.index[zaken["afdeling"] == afdelingen(small_sample)[0]][0], "omschrijving"] = PLANTED
    data = write_snapshot(dict(snap.tables, zaken=zaken), tmp_path_factory.mktemp("data") / "gemeente", snap.meta)
    out = tmp_path_factory.mktemp("site") / "outputs"
    result = run.run([FIXTURES / "rapport_ok.ipynb"], afdelingen=["organisatie"], data=data, out=out, progress=False)
    assert not result.failed, result.table()
    assert periods.last_complete_month(read_meta(data)["periode_tot"]) == result.periode
    return out / result.periode


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    if CHROMIUM is None:
        pytest.fail("CI has no chromium: `make test` installs it (apt-get install chromium); the pages are unproven.")
    profile = tmp_path / "profile"
    profile.mkdir()
    b = Browser(profile)
    yield b
    b.close()


def _check_page(b: Browser, session: str) -> None:
    urls = [p["request"]["url"] for p in b.of(session, "Network.requestWillBeSent")]
    assert urls, "the page was not loaded at all"
    elsewhere = [u for u in urls if not u.startswith(("file://", "data:", "about:"))]
    assert not elsewhere, f"the page asked another address for: {elsewhere}"
    assert not b.of(session, "Runtime.exceptionThrown"), "a script error was thrown"
    console = [p for p in b.of(session, "Runtime.consoleAPICalled") if p.get("type") in ("error", "assert")]
    logged = [p["entry"] for p in b.of(session, "Log.entryAdded") if p["entry"].get("level") == "error"]
    assert not console and not logged, (console, logged)
    assert not b.of(session, "Page.javascriptDialogOpening"), "a script on the page opened a dialog"
    assert b.evaluate("document.scripts.length", session) == 0
    # Readable on a phone: nothing wider than the screen except inside the scrolling table/figure boxes.
    assert b.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1", session)


def test_index_and_report_open_offline_without_scripts(published: Path, browser: Browser, tmp_path: Path) -> None:
    top = browser.open((published.parent / "index.html").as_uri())
    _check_page(browser, top)
    browser.screenshot(top, tmp_path / "index.png")

    period = browser.open((published / "index.html").as_uri())
    _check_page(browser, period)
    assert "Hele organisatie" in browser.evaluate("document.body.innerText", period)
    links = browser.evaluate("[...document.querySelectorAll('main a')].map(a => a.href)", period)
    report_url = next(u for u in links if u.endswith("/organisatie/rapport_ok.html"))
    browser.screenshot(period, tmp_path / "periode.png")

    report = browser.open(report_url)
    _check_page(browser, report)
    text = browser.evaluate("document.body.innerText", report)
    # The planted script is on the page as text, and did not run (no dialog, no script element).
    assert PLANTED in text
    assert browser.evaluate("document.querySelectorAll('img[src^=\"data:image/png\"]').length", report) >= 1
    assert browser.evaluate("document.title", report).startswith("Testrapport ")
    browser.screenshot(report, tmp_path / "rapport.png")
    for name in ("index.png", "periode.png", "rapport.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def published_week(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The weekly Termijnbewaking for the whole organisation, with the shipped parameters and links per zaak."""
    root = Path(__file__).resolve().parents[1]
    cfg = tmp_path_factory.mktemp("cfg") / "termijnbewaking.yaml"
    cfg.write_text((root / "parameters" / "termijnbewaking.yaml").read_text(encoding="utf-8")
                   + 'zaak_url: "https://zaken.example.nl/zaak/{identificatie}"\n', encoding="utf-8")
    out = tmp_path_factory.mktemp("site-week") / "outputs"
    result = run.run([root / "notebooks" / "termijnbewaking.ipynb"], afdelingen=["organisatie"], data=small_sample,
                     out=out, config=cfg, progress=False)
    assert not result.failed, result.table()
    assert result.periode == periods.last_complete_week(read_meta(small_sample)["periode_tot"])
    return out / result.periode


def test_a_published_week_opens_offline_without_scripts(published_week: Path, browser: Browser, tmp_path: Path) -> None:
    top = browser.open((published_week.parent / "index.html").as_uri())
    _check_page(browser, top)
    assert "week 43 van 2026" in browser.evaluate("document.body.innerText", top)

    week = browser.open((published_week / "index.html").as_uri())
    _check_page(browser, week)
    links = browser.evaluate("[...document.querySelectorAll('main a')].map(a => a.href)", week)
    report_url = next(u for u in links if u.endswith("/organisatie/termijnbewaking.html"))

    report = browser.open(report_url)
    _check_page(browser, report)
    browser.screenshot(report, tmp_path / "termijnbewaking.png")
    text = browser.evaluate("document.body.innerText", report)
    assert "Werklijst" in text and "Risico, geen schuld" in text and "te laat" in text
    assert browser.evaluate("document.title", report) == "Termijnbewaking Gemeente Voorbeeld – week 43 van 2026"
    zaak_links = browser.evaluate(
        "[...document.querySelectorAll('main a')].map(a => a.href).filter(h => h.startsWith('https://zaken.'))",
        report)
    assert zaak_links and all(h.startswith("https://zaken.example.nl/zaak/ZAAK-") for h in zaak_links)
    assert browser.evaluate("document.querySelectorAll('img[src^=\"data:image/png\"]').length", report) == 1


# --------------------------------------------------------------------------- the intranet article and the key-user agenda

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EVIL_TEAM = 'Toegang [x](https://evil) <script>alert("team")</script>'


@pytest.fixture(scope="module")
def pieces(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real monthly and borging reports of the whole organisation; the team that improved most renamed to markup."""
    snap = load_snapshot(small_sample)
    mw = snap.medewerkers.copy()
    mw.loc[mw["team"] == "Toegang", "team"] = EVIL_TEAM
    data = write_snapshot(dict(snap.tables, medewerkers=mw), tmp_path_factory.mktemp("data") / "gemeente", snap.meta)
    out = tmp_path_factory.mktemp("site") / "outputs"
    result = run.run([NOTEBOOKS / "maandrapportage.ipynb", NOTEBOOKS / "borging.ipynb"], afdelingen=["organisatie"],
                     data=data, out=out, progress=False, workers=2)
    assert not result.failed, result.table()
    return out / result.periode


@pytest.mark.slow
def test_intranet_article_and_key_user_agenda_are_published_linked_and_open_offline(
        pieces: Path, browser: Browser) -> None:
    assert {p.name for p in pieces.iterdir() if p.is_file()} >= {"intranet.html", "intranet.md",
                                                                 "keyuser-overleg.html", "index.html"}
    period = browser.open((pieces / "index.html").as_uri())
    _check_page(browser, period)
    links = browser.evaluate("[...document.querySelectorAll('main a')].map(a => a.href)", period)
    for name in ("intranet.html", "intranet.md", "keyuser-overleg.html"):
        assert any(u.endswith(f"/{pieces.name}/{name}") for u in links), name

    artikel = browser.open((pieces / "intranet.html").as_uri())
    _check_page(browser, artikel)
    text = browser.evaluate("document.body.innerText", artikel)
    for kop in ("Kampioen van de maand", "Tip van de maand", "Nieuwe mijlpalen", "In de schijnwerpers"):
        assert kop in text
    # The renamed team is the one in the spotlight: shown as text, no link, nothing ran.
    assert EVIL_TEAM in text
    assert browser.evaluate("[...document.querySelectorAll('a')].filter(a => a.href.includes('evil')).length",
                            artikel) == 0
    md = (pieces / "intranet.md").read_text(encoding="utf-8")
    assert "In de schijnwerpers" in md and not re.search(r"(?<!\\)[\[\]()<>]", md)
    assert r"\[x\]\(https\:" in md and r"\<script\>" in md

    agenda = browser.open((pieces / "keyuser-overleg.html").as_uri())
    _check_page(browser, agenda)
    text = browser.evaluate("document.body.innerText", agenda)
    assert "Agenda key-user-overleg" in text and "november 2026" in text
    assert "Statussen die vaak worden overgeslagen" in text and "Machtiging" in text
    assert browser.evaluate("document.querySelectorAll('table').length", agenda) >= 2
