"""Benchmark: ``zgw fetch`` against a bare download loop, from the loopback ZGW server (tests/zgw_server.py).

The sample municipality with 100,000 zaken (and their statussen, rollen,
resultaten and documents) is served through the Zaken, Catalogi and Documenten
APIs by the test server in a process of its own (schema checks off: the tests
do those; here only the client's speed counts). Three runs read it all:

- ``fetch``: :func:`zgwlib.data.zgw.api.fetch` as ``zgw fetch`` runs it (parallel
  requests, ``pageSize=500``), including mapping, validation and writing the
  snapshot;
- baseline *standard pages*: one ``requests.Session`` in a bare loop following
  ``next`` through every list at the standard's page size (100), decoding each
  page's JSON and nothing more: what a plain client of the standard does;
- baseline *same requests*: one ``requests.Session`` sending exactly the
  requests ``fetch`` sent (its pages of 500), one after another.

Target (issue 5): ``fetch`` at most 1.5x the standard-pages baseline, ideally
faster. The machine may be shared: the load average is printed with the figures.

Usage: ``python benchmarks/bench_fetch.py [--zaken N] [--workers N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# A fresh throwaway secret per run: the benchmark server and client share it in memory only.
SECRET = secrets.token_urlsafe(32)
CLIENT_ID = "zgw-rapportage"
TARGET = 1.5
LISTS = {
    "catalogi": ("zaaktypen", "statustypen", "resultaattypen", "informatieobjecttypen"),
    "zaken": ("zaken", "statussen", "rollen", "resultaten", "zaakinformatieobjecten"),
    "documenten": ("enkelvoudiginformatieobjecten",),
}


def headers(api: str, token: str) -> dict[str, str]:
    h = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if api == "zaken":
        h["Accept-Crs"] = "EPSG:4326"
    return h


def bare_standard_pages(server, token: str) -> tuple[float, float, int, int]:
    """Every list, page by page at the server's own page size, one request after another."""
    import requests

    roots = {"zaken": server.zaken_url, "catalogi": server.catalogi_url, "documenten": server.documenten_url}
    n = size = 0
    t, cpu = time.perf_counter(), time.process_time()
    with requests.Session() as s:
        for api, names in LISTS.items():
            for name in names:
                url: str | None = f"{roots[api]}/{name}"
                while url:
                    r = s.get(url, headers=headers(api, token), timeout=600)
                    r.raise_for_status()
                    body = r.json()
                    n += 1
                    size += len(r.content)
                    url = body.get("next") if isinstance(body, dict) else None
    return time.perf_counter() - t, time.process_time() - cpu, n, size


def bare_same_requests(server, token: str, logged: list) -> tuple[float, float, int, int]:
    """Exactly the (successful, authenticated) requests fetch sent, one after another."""
    import requests

    n = size = 0
    t, cpu = time.perf_counter(), time.process_time()
    with requests.Session() as s:
        for r in logged:
            api = r.path.split("/")[1]
            resp = s.get(server.base + r.path, params=r.query, headers=headers(api, token), timeout=600)
            resp.raise_for_status()
            resp.json()
            n += 1
            size += len(resp.content)
    return time.perf_counter() - t, time.process_time() - cpu, n, size


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--zaken", type=int, default=100_000, help="zaken in the sample (default 100,000)")
    parser.add_argument("--workers", type=int, default=None, help="fetch's parallel requests (default: fetch's)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts (default 1)")
    args = parser.parse_args()

    from zgw_server import RemoteServer

    from zgwlib.data.sample import build_sample
    from zgwlib.data.snapshot import read_meta
    from zgwlib.data.zgw.api import DEFAULT_WORKERS, ZgwClient, fetch

    workers = args.workers or DEFAULT_WORKERS
    work = Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    try:
        t = time.perf_counter()
        data = build_sample(work / "voorbeeld", zaken=args.zaken)
        counts = read_meta(data)["aantallen"]
        print(f"sample: {counts['zaken']:,} zaken, {counts['statussen']:,} statussen, "
              f"{counts['documenten']:,} documenten ({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        with RemoteServer(data, secret=SECRET, client_id=CLIENT_ID, validate=False) as server:
            print(f"server: {server.base} in its own process, ready in {time.perf_counter() - t:.1f} s")
            token = ZgwClient(zaken_url=server.zaken_url, catalogi_url=server.catalogi_url, client_id=CLIENT_ID,
                              secret=SECRET).token()
            runs: dict[str, list[tuple[float, float]]] = {"fetch": [], "standard": [], "same": []}
            logged: list = []
            for i in range(args.repeat):
                out = work / f"opgehaald-{i}"
                before = len(server.log)
                t, cpu = time.perf_counter(), time.process_time()
                result = fetch(zaken_url=server.zaken_url, catalogi_url=server.catalogi_url,
                               documenten_url=server.documenten_url, client_id=CLIENT_ID, out=out, secret=SECRET,
                               workers=workers, progress=False, full=True)
                runs["fetch"].append((time.perf_counter() - t, time.process_time() - cpu))
                logged = [r for r in server.log[before:] if r.status == 200 and "authorization" in r.headers]
                fetch_requests = result.requests
                shutil.rmtree(out)
                sec, cpu, std_n, std_bytes = bare_standard_pages(server, token)
                runs["standard"].append((sec, cpu))
                sec, cpu, same_n, same_bytes = bare_same_requests(server, token, logged)
                runs["same"].append((sec, cpu))
        best = {k: min(v) for k, v in runs.items()}  # the fastest run (wall clock) and its client CPU
        mb = 1024 * 1024
        print(f"fetch ({workers} workers, pageSize 500): {best['fetch'][0]:.1f} s (client CPU "
              f"{best['fetch'][1]:.1f} s), {fetch_requests} requests; reading, mapping, validating and writing")
        print(f"baseline, standard pages, one Session: {best['standard'][0]:.1f} s (client CPU "
              f"{best['standard'][1]:.1f} s), {std_n} requests, {std_bytes / mb:,.0f} MB; download and JSON only")
        print(f"baseline, fetch's requests, one Session: {best['same'][0]:.1f} s (client CPU "
              f"{best['same'][1]:.1f} s), {same_n} requests, {same_bytes / mb:,.0f} MB")
        ratio = best["fetch"][0] / best["standard"][0]
        print(f"fetch / standard-pages baseline: {ratio:.2f}x (target <= {TARGET}x)  "
              f"{'OK' if ratio <= TARGET else 'ABOVE TARGET'}")
        print(f"fetch / same-requests baseline: {best['fetch'][0] / best['same'][0]:.2f}x")
        print(f"cores: {os.cpu_count()}, load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
              + (f", runs: {args.repeat} (fastest counts)" if args.repeat > 1 else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
