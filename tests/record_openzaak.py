"""Record a `zgw fetch` against your own Open Zaak, for replay in the tests (tests/test_fetch_replay.py).

Starts a small reverse proxy on 127.0.0.1 in front of the Open Zaak at
``--target``, runs ``zgw fetch`` through it with the arguments given after
``--``, and writes every exchange to ``OUT/exchanges.jsonl`` in the format of
tests/openzaak-recorded (one JSON line per request: ``seq``, ``method``,
``path``, ``query``, ``request_headers`` with the Authorization redacted,
``status``, ``headers``, ``body_is_json``, ``body``), plus
``OUT/exchanges.run.json`` (arguments, output, row counts) and the snapshot in
``OUT/snapshot``. Every URL in the recorded bodies starts with the proxy's
address, which a replay rewrites to its own.

The secret comes from the environment (``ZGW_CLIENT_SECRET`` or
``ZGW_CLIENT_SECRET_FILE``), never from the command line, and is not written
anywhere::

    export ZGW_CLIENT_SECRET=…
    .venv/bin/python tests/record_openzaak.py --target https://open-zaak.gemeente.nl --out rec/mijn-scenario \\
        -- --client-id zgw-rapportage --bronorganisatie 002220647

The zaken, catalogi and documenten URLs are added (Open Zaak paths under the
proxy). Review what you recorded before sharing it: the bodies hold your
zaaksysteem's data (omschrijvingen, medewerker names).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

#: Response headers worth keeping (the rest differs per server and run).
KEEP = ("Content-Type", "Content-Crs", "API-version", "Retry-After", "Allow")


class Recorder:
    """A reverse proxy that forwards every GET to ``target`` and keeps the exchange."""

    def __init__(self, target: str, port: int = 8100) -> None:
        self.target = target.rstrip("/")
        self.exchanges: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.session = requests.Session()
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def forward(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        headers = {k: v for k, v in req.headers.items() if k.lower() not in ("host", "accept-encoding", "connection")}
        # URLs in the query (informatieobject=…, zaak=…) point at the proxy, as the client saw them: the server
        # knows its own.
        path = req.path.replace(quote(self.base, safe=""), quote(self.target, safe="")).replace(self.base, self.target)
        resp = self.session.get(self.target + path, headers=headers, timeout=120, allow_redirects=False)
        # Absolute URLs in the answer point at the server; make them point at the proxy, as the client saw them.
        text = resp.content.decode(resp.encoding or "utf-8", errors="replace").replace(self.target, self.base)
        try:
            body, is_json = json.loads(text), True
        except ValueError:
            body, is_json = text, False
        shown = dict(req.headers.items())
        if "Authorization" in shown:
            shown["Authorization"] = "Bearer <redacted>"  # the token is signed with the secret: never stored
        with self.lock:
            self.exchanges.append({
                "seq": len(self.exchanges) + 1, "method": req.command, "path": parts.path, "query": parts.query,
                "request_headers": shown, "status": resp.status_code,
                "headers": {k: resp.headers[k] for k in KEEP if k in resp.headers},
                "body_is_json": is_json, "body": body,
            })
        raw = text.encode("utf-8")
        req.send_response(resp.status_code)
        for k in KEEP:
            if k in resp.headers:
                req.send_header(k, resp.headers[k])
        req.send_header("Content-Length", str(len(raw)))
        req.end_headers()
        req.wfile.write(raw)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    app: Recorder

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.app.forward(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    fetch_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[: argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--target", required=True, help="Open Zaak's address, e.g. https://open-zaak.gemeente.nl")
    p.add_argument("--out", required=True, help="folder for exchanges.jsonl, exchanges.run.json and snapshot/")
    p.add_argument("--port", type=int, default=8100,
                   help="the proxy's port (8100, as in tests/openzaak-recorded: the replay expects that base URL)")
    args = p.parse_args(own)
    if not (os.environ.get("ZGW_CLIENT_SECRET") or os.environ.get("ZGW_CLIENT_SECRET_FILE")):
        print("set ZGW_CLIENT_SECRET (or ZGW_CLIENT_SECRET_FILE): the secret never goes on the command line",
              file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        print(f"{out} is not empty; choose a new folder", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    rec = Recorder(args.target, args.port)
    threading.Thread(target=rec.httpd.serve_forever, daemon=True).start()
    zgw = Path(sys.executable).with_name("zgw")
    cmd = [str(zgw)] if zgw.exists() else [sys.executable, "-m", "zgwlib.cli"]
    fetch = ["fetch", "--zaken-url", f"{rec.base}/zaken/api/v1", "--catalogi-url", f"{rec.base}/catalogi/api/v1",
             "--documenten-url", f"{rec.base}/documenten/api/v1", *fetch_args, "--out", str(out / "snapshot")]
    started = time.monotonic()
    done = subprocess.run(cmd + fetch, capture_output=True, text=True)
    rec.httpd.shutdown()
    with open(out / "exchanges.jsonl", "w", encoding="utf-8") as f:
        for e in rec.exchanges:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    counts = {}
    if (out / "snapshot" / "meta.json").exists():
        counts = json.loads((out / "snapshot" / "meta.json").read_text(encoding="utf-8")).get("aantallen", {})
    run = {"jsonl": "exchanges.jsonl", "proxy_base": rec.base, "argv": fetch, "out": str(out / "snapshot"),
           "snapshot": "snapshot", "returncode": done.returncode, "seconds": round(time.monotonic() - started, 1),
           "requests_recorded": len(rec.exchanges), "stdout": done.stdout, "stderr": done.stderr,
           "row_counts": counts}
    (out / "exchanges.run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(rec.exchanges)} exchanges recorded in {out / 'exchanges.jsonl'}; zgw fetch exit code "
          f"{done.returncode}")
    if done.returncode != 0:
        shutil.rmtree(out / "snapshot", ignore_errors=True)
        print(done.stderr, file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
