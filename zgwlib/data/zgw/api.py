"""``zgw fetch``: read a snapshot straight from the ZGW APIs (Zaken, Catalogi, Documenten).

The client authenticates as the standard prescribes (a JWT signed HS256 with
the application's secret, signed again for every request so a long run never
expires), sends ``Accept-Crs``/``Content-Crs: EPSG:4326`` to the Zaken API,
follows the standard's pagination and asks for large pages (``pageSize``,
Open Zaak allows 500) where the server accepts it. Pages of a list are
numbered, so after the first page the others are fetched a few at a time in
parallel (bounded by ``workers``).

Failures end in an :class:`~zgwlib.core.errors.ApiError` that names the API and
says what to check; the snapshot is written atomically at the very end, so a
failed or interrupted fetch leaves the previous snapshot as it was. The secret
is read from the environment only and never printed or stored.

Incremental fetch: with ``--sinds`` (or the fetch date recorded in the
snapshot already at ``--out``) only zaken registered, closed or still open
since that date are read again, and the closed zaken whose archive is not
finished (their archiefstatus can have changed); they replace their earlier version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
import os
import queue
import re
import sys
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
import pandas as pd
import requests
from requests.adapters import HTTPAdapter

from zgwlib.data.zgw import mapping as zm
from zgwlib.core.errors import ApiError, UsageError, ValidationError
from zgwlib.data.snapshot import read_meta
from zgwlib.data.snapshot import build_meta, write_snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import validate
from zgwlib.core import nl
from zgwlib.core.terms import DOCUMENTEN_BRON, GEEN_DOCUMENTEN

#: Environment variable with the client secret.
SECRET_ENV = "ZGW_CLIENT_SECRET"
#: Environment variable naming a file that holds the client secret (e.g. a Docker or systemd secret).
SECRET_FILE_ENV = "ZGW_CLIENT_SECRET_FILE"

#: Answers worth trying again after a pause.
RETRY_STATUS = frozenset({429, 502, 503, 504})
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 1.0
#: Longest pause the client accepts from a ``Retry-After`` header (seconds).
MAX_RETRY_AFTER = 120.0
DEFAULT_WORKERS = 4
#: Page size asked for; Open Zaak accepts up to 500, the standard's default is 100.
DEFAULT_PAGE_SIZE = 500

ZAKEN, CATALOGI, DOCUMENTEN = "Zaken API", "Catalogi API", "Documenten API"
#: The scope (autorisatie) each API needs for reading.
SCOPES = {ZAKEN: "zaken.lezen", CATALOGI: "catalogi.lezen", DOCUMENTEN: "documenten.lezen"}
_OPTION = {ZAKEN: "--zaken-url", CATALOGI: "--catalogi-url", DOCUMENTEN: "--documenten-url"}
_OPEN_ZAAK_PATH = {ZAKEN: "zaken/api/v1", CATALOGI: "catalogi/api/v1", DOCUMENTEN: "documenten/api/v1"}


def read_secret(environ: Mapping[str, str] | None = None) -> str:
    """The client secret from ``ZGW_CLIENT_SECRET`` or the file named by ``ZGW_CLIENT_SECRET_FILE``.

    Raises
    ------
    UsageError
        When neither is set, the file cannot be read or the secret is empty.
    """
    env = os.environ if environ is None else environ
    value = env.get(SECRET_ENV)
    if not value and env.get(SECRET_FILE_ENV):
        path = Path(env[SECRET_FILE_ENV])
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read the client secret from {path} ({SECRET_FILE_ENV}): {exc.strerror}.") from None
    if not value:
        raise UsageError(f"no client secret: set {SECRET_ENV}, or {SECRET_FILE_ENV} to a file holding it "
                         "(never on the command line; see docs/open-zaak.md).")
    return value


def _clean(text: str, limit: int = 300) -> str:
    # Server text goes to a terminal or log: no control characters, bounded length.
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(exc: BaseException) -> str:
    m = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return m.group(1).strip() if m else type(exc).__name__


def _problem_detail(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
    for p in body.get("invalidParams") or []:
        if isinstance(p, dict):
            parts.append(f"{p.get('name')}: {p.get('reason')}")
    return _clean("; ".join(dict.fromkeys(parts)))


class _BadRequest(ApiError):
    """HTTP 400: the server rejected a query parameter (for example ``pageSize``)."""


class _NotFound(ApiError):
    """HTTP 404: the path does not exist on this server."""


@dataclass
class _Job:
    """One list to read completely: a resource, its URL and query."""

    key: Any
    resource: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    plain: bool = False  # the answer is a plain JSON array (zaakinformatieobjecten)
    # An optional list: these errors on its first page mean the server cannot give it (left out of the result):
    # _NotFound (HTTP 404, the list is not offered), _BadRequest (HTTP 400, a filter it does not know).
    optional: tuple[type[ApiError], ...] = ()


class ZgwClient:
    """A small, careful HTTP client for the ZGW APIs.

    Parameters
    ----------
    zaken_url, catalogi_url : str
        Root URLs of the APIs (Open Zaak: ``https://host/zaken/api/v1``).
    documenten_url : str, optional
        Root URL of the Documenten API.
    client_id : str
        The application's client id.
    secret : str
        The application's secret (only used to sign tokens).
    timeout : float
        Seconds to wait for an answer before trying again.
    retries : int
        Extra attempts after a timeout, a connection error or HTTP 429/502/503/504.
    backoff : float
        First pause between attempts in seconds; it doubles each time.
    workers : int
        Requests in flight at the same time.
    page_size : int
        ``pageSize`` to ask for; 0 asks for the server's default.
    progress : bool, optional
        Show progress bars; default: only on a terminal.
    """

    def __init__(
        self,
        *,
        zaken_url: str,
        catalogi_url: str,
        documenten_url: str | None = None,
        client_id: str,
        secret: str,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        workers: int = DEFAULT_WORKERS,
        page_size: int = DEFAULT_PAGE_SIZE,
        progress: bool | None = None,
        user_representation: str = "zgw rapportage (zgw fetch)",
    ) -> None:
        self.bases = {ZAKEN: zaken_url.rstrip("/"), CATALOGI: catalogi_url.rstrip("/")}
        if documenten_url:
            self.bases[DOCUMENTEN] = documenten_url.rstrip("/")
        for api, base in self.bases.items():
            if not re.match(r"^https?://[^/]+", base):
                raise UsageError(f"{_OPTION[api]} {base!r} is not an http(s) URL.")
        self.client_id = client_id
        self.__secret = secret
        self._short_key = len(secret.encode("utf-8")) < 32
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.workers = max(1, int(workers))
        self.page_size = int(page_size)
        self.progress = progress
        self.user_representation = user_representation
        self.requests = 0
        self._page_size_ok: dict[str, bool] = {}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        # Set on close: requests still retrying in worker threads stop instead of running out their attempts.
        self._closed = threading.Event()

    def __repr__(self) -> str:  # never show the secret
        return f"ZgwClient({self.bases[ZAKEN]!r}, client_id={self.client_id!r})"

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the worker threads and close the connections."""
        self._closed.set()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        for s in self._sessions:
            s.close()
        self._sessions.clear()

    def __enter__(self) -> ZgwClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="zgw-fetch")
        return self._pool

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            # Retries are ours (they respect Retry-After); urllib3 should not retry underneath.
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self.workers, max_retries=0)
            s.mount("http://", adapter)
            s.mount("https://", adapter)
            self._local.session = s
            with self._lock:
                self._sessions.append(s)
        return s

    def token(self) -> str:
        """A freshly signed JWT (HS256) with the claims the ZGW standard asks for."""
        claims = {
            "iss": self.client_id,
            "client_id": self.client_id,
            "iat": int(time.time()),
            "user_id": self.client_id,
            "user_representation": self.user_representation,
        }
        if self._short_key:
            # Many zaaksystemen hand out secrets shorter than PyJWT's recommended 32 bytes;
            # the client cannot choose the secret, so the warning would only be noise.
            with self._lock, warnings.catch_warnings():
                warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
                return jwt.encode(claims, self.__secret, algorithm="HS256")
        return jwt.encode(claims, self.__secret, algorithm="HS256")

    def api_name(self, url: str) -> str:
        """Which API a URL belongs to (by its root URL, else by its path)."""
        for api, base in self.bases.items():
            if url.startswith(base):
                return api
        path = urlsplit(url).path
        if "/enkelvoudiginformatieobjecten" in path:
            return DOCUMENTEN
        if re.search(r"/(zaaktypen|statustypen|resultaattypen|informatieobjecttypen|zaaktype-informatieobjecttypen|roltypen)\b", path):
            return CATALOGI
        if re.search(r"/(zaken|statussen|rollen|resultaten|zaakinformatieobjecten)\b", path):
            return ZAKEN
        return "API"

    def _headers(self, api: str, auth: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "zgwlib-fetch"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token()}"
        if api == ZAKEN:
            # The Zaken API refuses (412) requests without these, even without geometry in them.
            headers["Accept-Crs"] = "EPSG:4326"
            headers["Content-Crs"] = "EPSG:4326"
        return headers

    def _wait(self, attempt: int, resp: requests.Response | None = None) -> float:
        if resp is not None and resp.headers.get("Retry-After"):
            value = resp.headers["Retry-After"].strip()
            try:
                seconds = float(value)
            except ValueError:
                try:
                    when = parsedate_to_datetime(value)
                    seconds = (when - dt.datetime.now(when.tzinfo or dt.timezone.utc)).total_seconds()
                except (TypeError, ValueError):
                    seconds = self.backoff * 2**attempt
            return min(max(seconds, 0.0), MAX_RETRY_AFTER)
        return min(self.backoff * 2**attempt, MAX_RETRY_AFTER)

    def get(self, url: str, params: Mapping[str, str] | None = None, *, auth: bool = True,
            retries: int | None = None) -> Any:
        """GET ``url`` and return the decoded JSON, retrying what is worth retrying.

        Raises
        ------
        ApiError
            On an answer the client cannot use, with a message naming the API.
        """
        api = self.api_name(url)
        attempts = (self.retries if retries is None else retries) + 1
        session = self._session()
        last = ""
        for attempt in range(attempts):
            if self._closed.is_set():
                raise ApiError(f"{api}: stopped before {url} was read (the fetch was stopped).")
            resp = None
            try:
                with self._lock:
                    self.requests += 1
                resp = session.get(url, params=params, headers=self._headers(api, auth),
                                   timeout=(min(self.timeout, 10.0), self.timeout))
            except requests.Timeout:
                last = f"no answer within {self.timeout:g} s"
            except requests.exceptions.SSLError as exc:
                # Not worth retrying: a certificate that is not trusted now will not be a second later.
                m = re.search(r"\[SSL: ([A-Z_]+)\]", str(exc))
                raise ApiError(f"{api}: the TLS connection to {urlsplit(url).netloc} failed "
                               f"({m.group(1) if m else 'SSLError'}). If the server's certificate comes from the "
                               "organisation's own certificate authority, set REQUESTS_CA_BUNDLE to a PEM file with "
                               "that authority's certificate.") from None
            except requests.ConnectionError as exc:
                last = f"cannot connect ({_reason(exc)})"
            except requests.exceptions.ChunkedEncodingError:
                last = "the connection broke off during the answer"
            except requests.RequestException as exc:
                raise ApiError(f"{api}: request to {url} failed ({type(exc).__name__}).") from None
            if resp is not None:
                if resp.status_code in RETRY_STATUS:
                    last = f"HTTP {resp.status_code}"
                elif resp.status_code != 200:
                    raise self._error(api, resp)
                else:
                    try:
                        return resp.json()
                    except ValueError:
                        ctype = resp.headers.get("Content-Type", "?")
                        raise ApiError(f"{api}: {resp.url} did not return valid JSON (content type {ctype}); "
                                       "the server does not follow the ZGW standard, or a proxy answered "
                                       "in its place.") from None
            if attempt + 1 < attempts:
                self._closed.wait(self._wait(attempt, resp))
        raise ApiError(f"{api}: {url} failed after {attempts} attempt{'s' if attempts > 1 else ''}: {last}. "
                       f"Is the server at {self.bases.get(api, url)} up? (--timeout sets the wait per request.)")

    def _error(self, api: str, resp: requests.Response) -> ApiError:
        code = resp.status_code
        detail = _problem_detail(resp)
        said = f": {detail}" if detail else ""
        scope = SCOPES.get(api, "the right scope")
        if code == 401:
            return ApiError(f"{api} did not accept the credentials (HTTP 401{said}). Check --client-id "
                            f"{self.client_id!r} and the secret in {SECRET_ENV}: they must belong to an application "
                            "registered in the zaaksysteem; and that no proxy removes the Authorization header "
                            "(see docs/open-zaak.md).")
        if code == 403:
            return ApiError(f"{api} refused access (HTTP 403{said}): the client id {self.client_id!r} or its secret "
                            f"({SECRET_ENV}) is wrong, or the application lacks the scope {scope} for the {api}. "
                            "See docs/open-zaak.md.")
        if code == 404:
            base = self.bases.get(api)
            hint = (f" Is {_OPTION[api]} {base} right? In Open Zaak it ends in /{_OPEN_ZAAK_PATH[api]}."
                    if base else "")
            return _NotFound(f"{api}: {resp.url} does not exist (HTTP 404).{hint}")
        if code == 412:
            return ApiError(f"{api} requires the Accept-Crs/Content-Crs headers (HTTP 412{said}); the client sends "
                            "EPSG:4326, so a proxy in between may remove them.")
        if code == 406:
            return ApiError(f"{api} cannot answer as asked (HTTP 406{said}): it does not accept Accept-Crs EPSG:4326 "
                            "or JSON.")
        if code == 400:
            return _BadRequest(f"{api} rejected the request {resp.url} (HTTP 400{said}).")
        return ApiError(f"{api} answered HTTP {code} for {resp.url}{said}.")

    # -- lists ------------------------------------------------------------------------------

    def _first_page(self, job: _Job) -> tuple[list[tuple] | None, Any, str | None, int]:
        """Page 1 of a list: its rows, count, next URL and page size (rows ``None``: an optional list is absent)."""
        try:
            return self._read_first_page(job)
        except (_NotFound, _BadRequest) as exc:
            if isinstance(exc, job.optional):
                return None, 0, None, 0
            raise

    def _read_first_page(self, job: _Job) -> tuple[list[tuple], Any, str | None, int]:
        api = self.api_name(job.url)
        params = dict(job.params)
        use_size = self.page_size > 0 and not job.plain and self._page_size_ok.get(api, True)
        if use_size:
            params["pageSize"] = str(self.page_size)
        try:
            data = self.get(job.url, params)
            if use_size:
                self._page_size_ok[api] = True
        except _BadRequest:
            if not use_size or self._page_size_ok.get(api):
                # pageSize was accepted before on this API: the server rejects something else (a filter).
                raise
            # The standard has no pageSize; a strict server rejects it. Use its own page size from now on.
            self._page_size_ok[api] = False
            params.pop("pageSize")
            data = self.get(job.url, params)
        if job.plain and isinstance(data, list):
            return zm.project_page(job.resource, data, job.url), len(data), None, len(data)
        rows, nxt = self._page_rows(job, data, job.url)
        return rows, data.get("count"), nxt, len(data["results"])

    def _page_rows(self, job: _Job, data: Any, url: str) -> tuple[list[tuple], str | None]:
        if not isinstance(data, dict) or not isinstance(data.get("results"), list) or "next" not in data:
            raise ApiError(f"{self.api_name(url)}: {url} is not a ZGW list (expected count, next, previous and "
                           f"results); is {_OPTION.get(self.api_name(url), 'the URL')} the API's root URL?")
        nxt = data.get("next")
        if nxt is not None and not isinstance(nxt, str):
            raise ApiError(f"{self.api_name(url)}: {url} has a 'next' that is not a URL.")
        return zm.project_page(job.resource, data["results"], url), self._same_host(nxt, url)

    @staticmethod
    def _same_host(nxt: str | None, url: str) -> str | None:
        # Behind a proxy some servers build 'next' with their internal host or http instead of https.
        if not nxt:
            return None
        a, b = urlsplit(nxt), urlsplit(url)
        if (a.scheme, a.netloc) != (b.scheme, b.netloc) and a.path.startswith(b.path.rsplit("/", 1)[0]):
            return urlunsplit((b.scheme, b.netloc, a.path, a.query, a.fragment))
        return nxt

    def _page(self, job: _Job, url: str) -> tuple[list[tuple], str | None]:
        return self._page_rows(job, self.get(url), url)

    def _follow(self, job: _Job, url: str | None) -> tuple[list[tuple], str | None]:
        rows: list[tuple] = []
        seen = set()
        while url and url not in seen:
            seen.add(url)
            more, url = self._page(job, url)
            rows.extend(more)
        return rows, None

    @staticmethod
    def _page_url(nxt: str, page: int) -> str | None:
        parts = urlsplit(nxt)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if not any(k == "page" for k, _ in query):
            return None
        query = [(k, str(page) if k == "page" else v) for k, v in query]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))

    def fetch_lists(self, jobs: Sequence[_Job], labels: Mapping[str, str] | None = None) -> dict[Any, list[tuple]]:
        """Read every page of every job, a few requests at a time.

        Page 1 of each list tells the number of items and the page size; the
        remaining pages are numbered, so they are requested in parallel. Rows of
        each job come back in page order. An optional job the server answers
        with HTTP 404 is missing from the result.
        """
        out: dict[Any, dict[int, list[tuple]]] = {j.key: {} for j in jobs}
        bars = _Bars(self.progress, labels or {})
        pending: dict[Future, tuple[_Job, int, str]] = {}
        last_page: dict[Any, int] = {}
        # Finished requests queue up here: waiting on all pending futures after each page would cost
        # time in the number of pages squared (hundreds are pending at once on a large list).
        finished: queue.SimpleQueue[Future] = queue.SimpleQueue()

        def submit(meta: tuple[_Job, int, str], fn: Any, *args: Any) -> None:
            fut = self.pool.submit(fn, *args)
            pending[fut] = meta
            fut.add_done_callback(finished.put)

        def next_finished() -> Future:
            while True:
                try:
                    return finished.get(timeout=1.0)  # a timeout keeps Ctrl-C responsive
                except queue.Empty:
                    continue

        try:
            for job in jobs:
                submit((job, 1, "first"), self._first_page, job)
            while pending:
                fut = next_finished()
                job, page, kind = pending.pop(fut)
                if kind == "first":
                    rows, count, nxt, size = fut.result()
                    if rows is None:
                        del out[job.key]
                        continue
                    out[job.key][1] = rows
                    bars.add_total(job.resource, count if isinstance(count, int) else len(rows))
                    bars.update(job.resource, len(rows))
                    if not nxt:
                        continue
                    second = self._page_url(nxt, 2) if isinstance(count, int) and size else None
                    if second is None:
                        # Not page-numbered (a cursor): follow 'next' one by one.
                        submit((job, 2, "follow"), self._follow, job, nxt)
                        continue
                    n = max(2, math.ceil(count / size))
                    last_page[job.key] = n
                    for p in range(2, n + 1):
                        submit((job, p, "page"), self._page, job, self._page_url(nxt, p))
                else:
                    rows, nxt = fut.result()
                    out[job.key][page if kind == "page" else 10**9] = rows
                    bars.update(job.resource, len(rows))
                    if kind == "page" and page == last_page.get(job.key) and nxt:
                        # Items were added while reading: pick up what moved past the last page.
                        submit((job, 10**9 + 1, "follow"), self._follow, job, nxt)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        finally:
            bars.close()
        return {k: [r for p in sorted(pages) for r in pages[p]] for k, pages in out.items()}

    def fetch_objects(self, resource: str, urls: Iterable[str], *, auth: bool = True, retries: int | None = None,
                      label: str | None = None, tolerant: bool = False) -> dict[str, Any]:
        """GET many single objects by URL, a few at a time.

        Returns URL -> projected row (or the raw JSON when ``resource`` is ``""``);
        with ``tolerant`` a failed object maps to ``None`` instead of raising.
        """
        urls = list(dict.fromkeys(urls))
        result: dict[str, Any] = {}
        if not urls:
            return result
        bars = _Bars(self.progress, {resource or "objects": label or resource})

        def one(url: str) -> Any:
            try:
                data = self.get(url, auth=auth, retries=retries)
            except ApiError:
                if tolerant:
                    return None
                raise
            return zm.project(resource, data, url) if resource else data

        bars.add_total(resource or "objects", len(urls))
        futures = {self.pool.submit(one, u): u for u in urls}
        try:
            for fut in list(futures):
                result[futures[fut]] = fut.result()
                bars.update(resource or "objects", 1)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        finally:
            bars.close()
        return result


class _Bars:
    """One tqdm progress bar per resource, updated from the main thread only."""

    def __init__(self, enabled: bool | None, labels: Mapping[str, str]) -> None:
        self.enabled = enabled
        self.labels = labels
        self.bars: dict[str, Any] = {}

    def _bar(self, name: str) -> Any:
        if name not in self.bars:
            from tqdm.auto import tqdm

            self.bars[name] = tqdm(total=0, desc=self.labels.get(name, name), unit=" obj", file=sys.stderr,
                                   disable=None if self.enabled is None else not self.enabled, leave=True,
                                   dynamic_ncols=True)
        return self.bars[name]

    def add_total(self, name: str, n: int) -> None:
        bar = self._bar(name)
        bar.total = (bar.total or 0) + n
        bar.refresh()

    def update(self, name: str, n: int) -> None:
        self._bar(name).update(n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


# -- the fetch --------------------------------------------------------------------------------

@dataclass
class FetchResult:
    """What :func:`fetch` did.

    Attributes
    ----------
    path : pathlib.Path
        The snapshot written.
    counts : dict of str to int
        Rows per table.
    sinds : datetime.date or None
        Date of an incremental fetch (``None``: everything was read).
    merged : bool
        Whether the fetch was merged into an existing snapshot.
    requests : int
        HTTP requests made (attempts included).
    notes : list of str
        Fallbacks taken and warnings, for the user.
    """

    path: Path
    counts: dict[str, int]
    sinds: dt.date | None
    merged: bool
    requests: int
    notes: list[str] = field(default_factory=list)


def _parse_date(value: str | dt.date | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise UsageError(f"{what} {value!r} is not a date (YYYY-MM-DD).") from None


def _previous(out: Path, zaken_url: str, bronorganisatie: str | None) -> dict[str, Any] | None:
    """The meta.json of an earlier ``zgw fetch`` of the same API at ``out``, if there is one."""
    if not (out / "meta.json").exists():
        return None
    meta = read_meta(out)
    api = meta.get("zgw_api") or {}
    if api.get("zaken_url") != zaken_url.rstrip("/") or api.get("bronorganisatie") != bronorganisatie:
        return None
    return meta


def _choose_per_zaak(n_zaken: int, old: Mapping[str, pd.DataFrame] | None, page_size: int) -> bool:
    # Per zaak costs about three requests per zaak (statussen, rollen, documents); reading the whole
    # lists costs their number of pages. The earlier snapshot tells roughly how long those lists are.
    if old is None:
        return n_zaken <= 50
    rows = len(old["statussen"]) + 3 * len(old["zaken"]) + len(old["documenten"])
    return 3 * n_zaken < rows / max(page_size, 1)


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the APIs are read.

    Decoding the JSON pages makes millions of short-lived objects without
    reference cycles (reference counting frees them), while the collector keeps
    scanning the growing heap: a fifth of the client's CPU on 100,000 zaken.
    The previous state is restored afterwards, also after an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fetch(
    *,
    zaken_url: str,
    catalogi_url: str,
    client_id: str,
    out: str | os.PathLike[str],
    documenten_url: str | None = None,
    sinds: str | dt.date | None = None,
    bronorganisatie: str | None = None,
    medewerkers: str | os.PathLike[str] | None = None,
    gemeente: str | None = None,
    full: bool = False,
    secret: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    workers: int = DEFAULT_WORKERS,
    page_size: int = DEFAULT_PAGE_SIZE,
    per_zaak: bool | None = None,
    progress: bool | None = None,
    force: bool = False,
) -> FetchResult:
    """Read the ZGW APIs and write a validated snapshot to ``out``.

    Parameters
    ----------
    zaken_url, catalogi_url : str
        Root URLs of the Zaken and Catalogi APIs.
    client_id : str
        The application's client id.
    out : path
        Snapshot directory. An earlier fetch of the same API there makes this
        fetch incremental (unless ``full``), and the result is merged into it.
    documenten_url : str, optional
        Root URL of the Documenten API. With it every document is listed (also
        those outside any zaak); without it only the documents the zaken point to.
    sinds : date or ``YYYY-MM-DD``, optional
        Read only zaken registered, closed or still open since this day.
    bronorganisatie : str, optional
        RSIN: read only this organisation's zaken and documents.
    medewerkers : path, optional
        HR export (CSV) to use as ``medewerkers`` instead of deriving staff from the rollen.
    gemeente : str, optional
        Municipality name for the reports (default: the earlier snapshot's).
    full : bool
        Read everything even when an earlier fetch is at ``out``.
    secret : str, optional
        The client secret; default :func:`read_secret` (environment).
    timeout, retries, backoff, workers, page_size, progress
        See :class:`ZgwClient`.
    per_zaak : bool, optional
        Incremental only: read statussen, rollen and documents per zaak (``True``) or
        whole lists filtered afterwards (``False``); default: whichever needs fewer requests.
    force : bool
        Replace a snapshot at ``out`` that another command wrote; it is kept as ``<out>.vorige``.

    Returns
    -------
    FetchResult
    """
    # Dutch local time: on a server clock in UTC the date would lag behind until 01:00 or 02:00.
    started = nl.now_amsterdam()
    out = Path(out)
    secret = read_secret() if secret is None else secret
    sinds_date = _parse_date(sinds, "--sinds")
    hr = zm.read_medewerkers_csv(medewerkers) if medewerkers else None  # fail on a bad file before any request
    previous, sinds_date, old = _read_previous(out, zaken_url, bronorganisatie, full, sinds_date)

    client = ZgwClient(zaken_url=zaken_url, catalogi_url=catalogi_url, documenten_url=documenten_url,
                       client_id=client_id, secret=secret, timeout=timeout, retries=retries, backoff=backoff,
                       workers=workers, page_size=page_size, progress=progress)
    with client, _cycle_collector_paused():
        run = _Run(client, sinds_date, bronorganisatie, old)
        run.read(per_zaak)
        requests_made = client.requests

    tables, niet_zichtbaar, notes = _map_tables(run, old)
    prev_meta = previous or {}
    staff_source = _add_hr_medewerkers(tables, hr, old, prev_meta, medewerkers, notes)
    declared = _check_tables(tables, client, notes)
    meta = _make_fetch_meta(
        tables, client, gemeente=gemeente, bronorganisatie=bronorganisatie, prev_meta=prev_meta, started=started,
        sinds_date=sinds_date, merged=old is not None, archive_read=run.archive_rows is not None,
        staff_source=staff_source, niet_zichtbaar=niet_zichtbaar, declared=declared)
    path = write_snapshot(tables, out, meta, force=force, sources=[medewerkers])
    return FetchResult(path, {k: int(len(v)) for k, v in tables.items()}, sinds_date, old is not None,
                       requests_made, notes)


def _read_previous(out: Path, zaken_url: str, bronorganisatie: str | None, full: bool, sinds_date: dt.date | None
                   ) -> tuple[dict[str, Any] | None, dt.date | None, dict[str, pd.DataFrame] | None]:
    """The earlier fetch at ``out`` to build on: its meta.json, the day to read from and its tables (or None)."""
    previous = None if full else _previous(out, zaken_url, bronorganisatie)
    if sinds_date is None and previous is not None and previous.get("opgehaald_op"):
        sinds_date = _parse_date(previous["opgehaald_op"], f"{out}/meta.json opgehaald_op")
    old = None
    if sinds_date is not None and previous is not None:
        old = load_snapshot(out).tables
    elif sinds_date is not None and (out / "meta.json").exists() and not full:
        raise UsageError(f"{out} holds a snapshot that was not fetched from {zaken_url}; an incremental fetch "
                         "cannot be merged into it. Choose another --out, or leave out --sinds.")
    return previous, sinds_date, old


def _map_tables(run: _Run, old: dict[str, pd.DataFrame] | None) -> tuple[dict[str, pd.DataFrame], Any, list[str]]:
    """The contract tables from the answers, merged into the earlier fetch's; the zaken not visible; the notes."""
    mapped = zm.map_fetch(run.catalogue, run.raw, run.kanalen, documents_listed=run.documents_listed,
                          old_links=run.old_links, extra_zaken=run.extra_zaken, hidden=run.hidden)
    notes = run.notes + mapped.notes
    tables = mapped.tables
    if old is not None:
        tables = zm.merge_incremental(old, tables, documents_listed=run.documents_listed)
        tables["zaaktypen"] = zm.map_zaaktypen(run.catalogue, tables["zaken"])
        if run.archive_rows is not None:
            tables["zaken"] = zm.update_archive_states(tables["zaken"], run.archive_rows)
    return tables, mapped.niet_zichtbaar, notes


def _add_hr_medewerkers(tables: dict[str, pd.DataFrame], hr: pd.DataFrame | None,
                        old: dict[str, pd.DataFrame] | None, prev_meta: Mapping[str, Any],
                        medewerkers: str | os.PathLike[str] | None, notes: list[str]) -> str:
    """Put the HR export (this run's or the earlier run's) in ``tables``; returns where the staff came from."""
    staff_source = f"HR-export: {Path(medewerkers).name}" if medewerkers else "rollen"
    if hr is None and old is not None and str(prev_meta.get("medewerkers_bron", "")).startswith("HR-export"):
        # An incremental run without --medewerkers keeps the HR export of the earlier run (its teams and
        # departments), adding only people who appeared in a rol since.
        hr, staff_source = old["medewerkers"], prev_meta["medewerkers_bron"]
    if hr is not None:
        used = set(tables["zaken"]["behandelaar"].dropna()) | set(tables["statussen"]["gezet_door"].dropna())
        tables["medewerkers"], more = zm.complete_medewerkers(hr, tables["medewerkers"], used)
        notes += more
    return staff_source


def _check_tables(tables: dict[str, pd.DataFrame], client: ZgwClient, notes: list[str]) -> dict[str, str]:
    """Validate the tables (errors stop the fetch, warnings become notes); returns the declared meta keys."""
    # An organisation that keeps its documents in another system has none here: say so, so that the reports say
    # "geen documentgegevens" instead of "every zaak closed without documents".
    declared = {DOCUMENTEN_BRON: GEEN_DOCUMENTEN} if tables["documenten"].empty else {}
    if declared:
        where = (f"the {DOCUMENTEN} at {client.bases[DOCUMENTEN]} has none" if DOCUMENTEN in client.bases
                 else "no zaak links one (and without --documenten-url none outside a zaak were read)")
        notes.append(f"no documents: {where}; the snapshot says the source has no document data (meta.json "
                     f"\"{DOCUMENTEN_BRON}\": \"{GEEN_DOCUMENTEN}\") and the reports say \"geen documentgegevens\".")
    problems = validate(tables, meta=declared)
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems, source=f"the data read from {client.bases[ZAKEN]}")
    notes += [p.describe() for p in problems]
    return declared


def _make_fetch_meta(tables: dict[str, pd.DataFrame], client: ZgwClient, *, gemeente: str | None,
                     bronorganisatie: str | None, prev_meta: Mapping[str, Any], started: dt.datetime,
                     sinds_date: dt.date | None, merged: bool, archive_read: bool, staff_source: str,
                     niet_zichtbaar: Any, declared: dict[str, str]) -> dict[str, Any]:
    """The snapshot's meta.json: where and when it was read, how far the data runs and what it lacks."""
    return build_meta(
        tables,
        gemeente or prev_meta.get("gemeente") or (f"organisatie {bronorganisatie}" if bronorganisatie
                                                  else "onbekende gemeente"),
        f"zgw-api: {client.bases[ZAKEN]}",
        # The zaaksysteem was read as it is now: the data is complete up to yesterday, also when nothing
        # happened on the last days (else `zgw run` would take a quiet month-end for an incomplete month).
        periode_tot=(started.date() - dt.timedelta(days=1)).isoformat(),
        opgehaald_op=started.isoformat(),
        sinds=sinds_date.isoformat() if sinds_date else None,
        laatste_volledige_fetch=(prev_meta.get("laatste_volledige_fetch") if merged
                                 else started.isoformat()),
        # The day the archive states were read: today, when every zaak whose archive can have changed was read
        # again; else (the server refused the archive filters) that of the earlier fetch, which the report states.
        archief_gelezen_op=(started.date().isoformat() if not merged or archive_read
                            else (prev_meta.get("archief_gelezen_op") or prev_meta.get("laatste_volledige_fetch"))),
        medewerkers_bron=staff_source,
        niet_zichtbaar=niet_zichtbaar,
        **declared,
        zgw_api={"zaken_url": client.bases[ZAKEN], "catalogi_url": client.bases[CATALOGI],
                 "documenten_url": client.bases.get(DOCUMENTEN), "bronorganisatie": bronorganisatie},
    )


class _Run:
    """The requests of one fetch, step by step; the results are raw frames for :func:`zgw_mapping.map_fetch`."""

    CATALOGUE = ("zaaktypen", "statustypen", "resultaattypen", "informatieobjecttypen")
    #: The document types of each zaaktype's dossier: optional, since the archive report can do without.
    DOSSIER = "zaaktype_informatieobjecttypen"
    #: What the fetch says when the Catalogi API does not offer that list (HTTP 404).
    NO_DOSSIER_NOTE = ("the Catalogi API gave no zaaktype-informatieobjecttypen; complete dossiers cannot be "
                       "checked (the archive report falls back to zaken closed without any document).")
    NO_ARCHIVE_NOTE = ("the Zaken API did not answer the archiefstatus filters; zaken closed before the last fetch "
                       "were not read again, so their archive states are as old as meta.json archief_gelezen_op.")

    def __init__(self, client: ZgwClient, sinds: dt.date | None, bronorganisatie: str | None,
                 old: Mapping[str, pd.DataFrame] | None) -> None:
        self.client = client
        self.sinds = sinds
        self.rsin = bronorganisatie
        self.old = old
        self.z = client.bases[ZAKEN]
        self.c = client.bases[CATALOGI]
        self.d = client.bases.get(DOCUMENTEN)
        self.filter = {"bronorganisatie": bronorganisatie} if bronorganisatie else {}
        self.raw: dict[str, pd.DataFrame] = {}
        self.notes: list[str] = []
        self.documents_listed = False
        self.old_links: dict[str, str] | None = None
        self.extra_zaken: dict[str, str] = {}
        self.kanalen: dict[str, str | None] = {}
        self.hidden: dict[str, str] | None = None  # document URL -> zaak URL the application may not see
        self.archive_rows: pd.DataFrame | None = None  # incremental: current archive states of closed zaken

    def read(self, per_zaak: bool | None) -> None:
        """Read everything the snapshot needs."""
        self._catalogue_and_zaken()
        n = len(self.raw["zaken"])
        by_zaak = self.sinds is not None and (
            per_zaak if per_zaak is not None else _choose_per_zaak(n, self.old, self.client.page_size or 100))
        if by_zaak:
            self._related_per_zaak()
        else:
            self._related_lists()
        self._documents(by_zaak)
        if self.documents_listed and not by_zaak:
            self._hidden_zaken()
        self._complete_catalogue()
        self._kanalen()
        if self.old is not None:
            self._old_links()
            self._archive_states()

    def _catalogue_and_zaken(self) -> None:
        jobs = [_Job(n, n, f"{self.c}/{n}") for n in self.CATALOGUE]
        jobs.append(_Job(self.DOSSIER, self.DOSSIER, f"{self.c}/zaaktype-informatieobjecttypen",
                         optional=(_NotFound,)))
        if self.sinds is None:
            jobs.append(_Job(("zaken", 0), "zaken", f"{self.z}/zaken", dict(self.filter)))
        else:
            # The Zaken API has no "changed since" filter: new, recently closed and still open zaken can have changed.
            day_before = (self.sinds - dt.timedelta(days=1)).isoformat()
            for i, q in enumerate(({"registratiedatum__gt": day_before}, {"einddatum__gt": day_before},
                                   {"einddatum__isnull": "true"})):
                jobs.append(_Job(("zaken", i), "zaken", f"{self.z}/zaken", {**self.filter, **q}))
        got = self.client.fetch_lists(jobs)
        zaken = self._ours(zm.frame("zaken", [r for k, v in got.items() if isinstance(k, tuple) for r in v]))
        if zaken.empty and self.old is None:
            raise ApiError(f"{ZAKEN} at {self.z} returned no zaken"
                           + (f" for bronorganisatie {self.rsin}" if self.rsin else "")
                           + (f" since {self.sinds}" if self.sinds else "") + "; nothing to write.")
        self.raw["zaken"] = zaken
        self.catalogue = zm.Catalogue(**{n: zm.frame(n, got[n]) for n in self.CATALOGUE})
        if self.DOSSIER in got:
            self.catalogue.zaaktype_informatieobjecttypen = zm.frame(self.DOSSIER, got[self.DOSSIER])
        else:
            self.notes.append(self.NO_DOSSIER_NOTE)

    def _ours(self, zaken: pd.DataFrame) -> pd.DataFrame:
        zaken = zaken.drop_duplicates("url", keep="last")
        if self.rsin:
            # A server that ignores an unknown filter must not mix organisations into the snapshot.
            zaken = zaken[zaken["bronorganisatie"].isna() | (zaken["bronorganisatie"] == self.rsin)]
        return zaken

    def _archive_states(self) -> None:
        """Incremental: the current archive state of every closed zaak whose state can have moved since.

        The Zaken API filters on the state a zaak has now, so the lists ask for the states a zaak can have reached:
        archived or transferred (``archiefstatus__in``), or nominated and not yet archived (``archiefnominatie__in``:
        a nominatie set since). Closed zaken without a nominatie and not archived cannot have been further before.
        Only the list pages are read (no statussen or documents): :func:`zm.update_archive_states` copies the three
        archive fields onto the snapshot's zaken. A server that rejects these filters (HTTP 400) or the list (404)
        leaves the archive states as old as before, with a note.
        """
        closed = {"einddatum__isnull": "false"}
        queries = ({**closed, "archiefstatus__in": "gearchiveerd,gearchiveerd_procestermijn_onbekend,overgedragen"},
                   {**closed, "archiefstatus": "nog_te_archiveren",
                    "archiefnominatie__in": "blijvend_bewaren,vernietigen"})
        jobs = [_Job(("archief", i), "zaken", f"{self.z}/zaken", {**self.filter, **q},
                     optional=(_NotFound, _BadRequest)) for i, q in enumerate(queries)]
        got = self.client.fetch_lists(jobs, {"zaken": "zaken (archiefstatus)"})
        if len(got) < len(jobs):
            self.notes.append(self.NO_ARCHIVE_NOTE)
            return
        self.archive_rows = self._ours(zm.frame("zaken", [r for v in got.values() for r in v]))

    def _store(self, got: Mapping[Any, list[tuple]]) -> None:
        kinds = {"statussen": "statussen", "rollen": "rollen", "resultaten": "resultaten",
                 "zio": "zaakinformatieobjecten", "eio": "enkelvoudiginformatieobjecten"}
        rows: dict[str, list[tuple]] = {name: [] for name in kinds.values()}
        for key, part in got.items():
            rows[kinds[key[0]]].extend(part)
        for name, part in rows.items():
            if part or name not in self.raw:
                self.raw[name] = zm.frame(name, part).drop_duplicates("url") if name != "zaakinformatieobjecten" \
                    else zm.frame(name, part)

    def _related_lists(self) -> None:
        """Statussen, rollen, resultaten and documents as whole lists (filtered to our zaken when mapping)."""
        z = self.z
        jobs = [_Job(("statussen",), "statussen", f"{z}/statussen"), _Job(("rollen",), "rollen", f"{z}/rollen"),
                _Job(("resultaten",), "resultaten", f"{z}/resultaten"),
                _Job(("zio",), "zaakinformatieobjecten", f"{z}/zaakinformatieobjecten", plain=True)]
        if self.d:
            jobs.append(_Job(("eio",), "enkelvoudiginformatieobjecten", f"{self.d}/enkelvoudiginformatieobjecten",
                             dict(self.filter)))
            self.documents_listed = True
        self._store(self.client.fetch_lists(jobs, {"zaakinformatieobjecten": "documentlinks",
                                                   "enkelvoudiginformatieobjecten": "documenten"}))

    def _related_per_zaak(self) -> None:
        """Statussen, rollen and document links per zaak: cheaper when few zaken changed."""
        z, jobs = self.z, []
        for u in self.raw["zaken"]["url"]:
            jobs += [_Job(("statussen", u), "statussen", f"{z}/statussen", {"zaak": u}),
                     _Job(("rollen", u), "rollen", f"{z}/rollen", {"zaak": u}),
                     _Job(("zio", u), "zaakinformatieobjecten", f"{z}/zaakinformatieobjecten", {"zaak": u},
                          plain=True)]
        zaken = self.raw["zaken"]
        with_result = zaken.loc[zaken["resultaat"].notna() & (zaken["resultaat"] != ""), "resultaat"]
        got = dict(self.client.fetch_lists(jobs, {"statussen": "statussen", "rollen": "rollen",
                                                  "zaakinformatieobjecten": "documentlinks"}))
        got[("resultaten",)] = [r for r in self.client.fetch_objects("resultaten", with_result,
                                                                     label="resultaten").values()]
        self._store(got)

    def _documents(self, by_zaak: bool) -> None:
        """The documents: the whole Documenten API list, or only those the zaken point to."""
        zio = self.raw["zaakinformatieobjecten"]
        if self.d and not self.documents_listed:
            self._store(self.client.fetch_lists(
                [_Job(("eio",), "enkelvoudiginformatieobjecten", f"{self.d}/enkelvoudiginformatieobjecten",
                      dict(self.filter))], {"enkelvoudiginformatieobjecten": "documenten"}))
            self.documents_listed = True
        elif not self.d:
            mine = zio["zaak"].isin(set(self.raw["zaken"]["url"]))
            rows = self.client.fetch_objects("enkelvoudiginformatieobjecten", zio.loc[mine, "informatieobject"],
                                             label="documenten")
            self._store({("eio",): list(rows.values())})
            self.notes.append("no --documenten-url: only documents linked to a zaak were read "
                              "(documents outside any zaak are missing).")
        if by_zaak and self.documents_listed and self.old is not None:
            # New documents not linked to a zaak read in this fetch: ask where they belong.
            eio = self.raw["enkelvoudiginformatieobjecten"]
            linked = set(zio["informatieobject"])
            new = eio.loc[~eio["identificatie"].isin(set(self.old["documenten"]["identificatie"]))
                          & ~eio["url"].isin(linked), "url"]
            if len(new):
                jobs = [_Job(("zio", u), "zaakinformatieobjecten", f"{self.z}/zaakinformatieobjecten",
                             {"informatieobject": u}, plain=True) for u in new]
                got = self.client.fetch_lists(jobs, {"zaakinformatieobjecten": "documentlinks"})
                extra = zm.frame("zaakinformatieobjecten", [r for part in got.values() for r in part])
                self.raw["zaakinformatieobjecten"] = pd.concat([zio, extra], ignore_index=True)

    def _hidden_zaken(self) -> None:
        """Documents that no zaak links: outside any zaak, or in a zaak this application may not see?

        Open Zaak leaves the zaken the application may not read (and their
        zaakinformatieobjecten) out of the Zaken API without an error; the
        Documenten API's objectinformatieobjecten still show such a document's zaak.
        Asked per document (only those without a link), as the whole list spans
        every organisation on the server.
        """
        zio, eio = self.raw["zaakinformatieobjecten"], self.raw["enkelvoudiginformatieobjecten"]
        loose = eio.loc[~eio["url"].isin(set(zio["informatieobject"])), "url"].unique()
        jobs = [_Job(("oio", u), "objectinformatieobjecten", f"{self.d}/objectinformatieobjecten",
                     {"informatieobject": u}, plain=True) for u in loose]
        got = self.client.fetch_lists(jobs, {"objectinformatieobjecten": "documentlinks (Documenten API)"})
        ours = set(self.raw["zaken"]["url"])
        self.hidden = {io: obj for part in got.values() for io, obj, kind in part
                       if kind == "zaak" and obj not in ours}

    def _complete_catalogue(self) -> None:
        """Types the lists did not have (an older or concept version), read one by one."""
        cat, raw = self.catalogue, self.raw
        dossier = cat.zaaktype_informatieobjecttypen
        if dossier is None:
            dossier = zm.frame(self.DOSSIER, [])
        # The standard names a dossier's document type by omschrijving, Open Zaak by URL: only URLs are looked up.
        dossier_types = dossier["informatieobjecttype"][dossier["informatieobjecttype"].str.match(r"^https?://",
                                                                                                 na=False)]
        for kind, urls in (("zaaktypen", raw["zaken"]["zaaktype"]),
                           ("statustypen", pd.concat([raw["statussen"]["statustype"],
                                                      dossier["statustype"][dossier["statustype"] != ""]])),
                           ("resultaattypen", raw["resultaten"]["resultaattype"]),
                           ("informatieobjecttypen", pd.concat([raw["enkelvoudiginformatieobjecten"]
                                                                ["informatieobjecttype"], dossier_types]))):
            missing = cat.missing(kind, urls)
            if missing:
                extra = self.client.fetch_objects(kind, missing, label=kind)
                setattr(cat, kind, pd.concat([getattr(cat, kind), zm.frame(kind, list(extra.values()))],
                                             ignore_index=True))

    def _kanalen(self) -> None:
        """Channel names: a Zaak has a URL into the public VNG Referentielijsten API (no token sent there)."""
        zaken = self.raw["zaken"]
        urls = zaken.loc[zaken["communicatiekanaalNaam"].isna() | (zaken["communicatiekanaalNaam"] == ""),
                         "communicatiekanaal"]
        urls = [u for u in urls.dropna().unique() if u]
        found = self.client.fetch_objects("", urls, auth=False, retries=1, tolerant=True, label="kanalen")
        self.kanalen = {u: (v.get("naam") or None) if isinstance(v, dict) else None for u, v in found.items()}

    def _old_links(self) -> None:
        """Incremental: keep links of documents to zaken this fetch did not read again."""
        assert self.old is not None
        od = self.old["documenten"]
        linked = od[od["zaak"].notna()]
        self.old_links = dict(zip(linked["identificatie"], linked["zaak"]))
        if not self.documents_listed:
            return
        zio, eio = self.raw["zaakinformatieobjecten"], self.raw["enkelvoudiginformatieobjecten"]
        ours = set(self.raw["zaken"]["url"])
        known_docs = set(eio.loc[eio["identificatie"].isin(self.old_links.keys()), "url"])
        io = zio["informatieobject"]
        # Links to zaken outside this fetch, of documents the earlier snapshot did not link: which zaak is it?
        unknown = zio.loc[~zio["zaak"].isin(ours) & io.isin(set(eio["url"]))
                          & ~io.isin(known_docs), "zaak"]
        if not len(unknown):
            return
        looked = self.client.fetch_objects("zaken", unknown.unique(), label="zaken (documentlinks)", tolerant=True)
        old_ids = set(self.old["zaken"]["identificatie"])
        for u, row in looked.items():
            if row is None:
                continue
            rec = dict(zip(zm.FIELDS["zaken"], row))
            if rec.get("identificatie") in old_ids and (not self.rsin or rec.get("bronorganisatie") == self.rsin):
                self.extra_zaken[u] = rec["identificatie"]


def summary_lines(result: FetchResult) -> list[str]:
    """What the CLI prints after a fetch."""
    how = (f"incremental since {result.sinds.isoformat()}, merged" if result.merged
           else f"zaken since {result.sinds.isoformat()}" if result.sinds else "everything")
    counts = ", ".join(f"{n} {t}" for t, n in result.counts.items()
                       if t in ("zaken", "statussen", "documenten", "zaaktypen", "informatieobjecttypen",
                                "medewerkers"))
    return [f"Fetched ({how}, {result.requests} requests): {counts}", f"Snapshot written to {result.path}"]




