"""Secrets never reach a report: kernels start without them, and every output is searched for them.

A secret comes from the environment only (``ZGW_CLIENT_SECRET``, ...). ``zgw run``
starts each report kernel with an environment stripped of every variable whose
name looks like a secret (:func:`kernel_environment`), refuses notebook parameters
whose name looks like one, and searches every output for the values of those
variables before it is published (:func:`redact`).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping

_SECRET_WORDS = frozenset(
    {"secret", "secrets", "password", "passwd", "wachtwoord", "token", "tokens", "key", "apikey",
     "credential", "credentials", "auth", "geheim", "sleutel", "private", "privatekey", "jwt", "bearer", "cookie"}
)
_SECRET_PARTS = ("secret", "password", "passwd", "wachtwoord", "token", "apikey", "api_key", "credential", "privatekey")
#: Secrets shorter than this are not searched for in outputs (too many false hits, not a real secret).
_MIN_SECRET_LENGTH = 6

def looks_secret(name: str) -> bool:
    """Whether a parameter or environment variable name looks like it holds a secret.

    ``client_secret``, ``ZGW_CLIENT_SECRET``, ``api_key``, ``accessToken``,
    ``wachtwoord`` do; ``afdeling``, ``toon_namen`` do not.
    """
    lowered = name.lower()
    if any(part in lowered for part in _SECRET_PARTS):
        return True
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())
    return any(w in _SECRET_WORDS for w in words)


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a report kernel gets: everything except variables that look like secrets."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if not looks_secret(k)}


def secret_values(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Values of the environment's secret-looking variables that no output may contain, by name."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if looks_secret(k) and len(v) >= _MIN_SECRET_LENGTH}


def redact(text: str, secrets: Mapping[str, str]) -> tuple[str, list[str]]:
    """Remove every form a secret may take in JSON or HTML; return the text and the names found."""
    found = []
    for name, value in secrets.items():
        forms = {value, json.dumps(value)[1:-1], html.escape(value), html.escape(value, quote=False)}
        hit = False
        for form in forms:
            if form and form in text:
                text = text.replace(form, "[geheim verwijderd]")
                hit = True
        if hit:
            found.append(name)
    return text, found
