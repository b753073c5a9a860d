"""Names every layer shares: the whole organisation, staff without a team, the sample, folder names, meta keys.

Defined once here so that the figures, the runner and the pages agree on them
without importing each other.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

#: The ``afdeling`` value that means the whole organisation.
ORGANISATIE = "organisatie"

#: Team label for staff without a team.
GEEN_TEAM = "(geen team)"

#: The ``data`` value that means the built-in sample municipality.
SAMPLE_NAME = "voorbeeld"

#: Environment variable a report kernel gets from ``zgw run``: the folder for files it makes besides the report
#: (the evaluation's Excel appendix). They are published beside the report, and only when the run succeeds.
BIJLAGEN_ENV = "ZGW_BIJLAGEN_MAP"

#: Environment variable a report kernel gets from ``zgw run``: the folder of the run's shared figures
#: (:mod:`zgwlib.core.cache`), so the organisation-wide tables every department's report needs are computed once.
CACHE_MAP_ENV = "ZGW_CACHE_MAP"

#: Environment variable: ``0`` makes ``zgw run`` start every report's kernel the usual way instead of forking it
#: from a process that has the common modules imported already (:mod:`zgwlib.publish.forkserver`, Linux only).
FORK_KERNELS_ENV = "ZGW_FORK_KERNELS"

#: The words that mark a text an evaluator still has to write ("✏️ *Vul hier in:* ..."). A paragraph holding them
#: never reaches a published page: the publisher replaces it with :data:`NIET_INGEVULD`.
PLACEHOLDER = "Vul hier in"

#: What a published page says where a text was not filled in.
NIET_INGEVULD = "Dit onderdeel is niet ingevuld."

#: MIME type of the summary a report notebook displays for the index page.
SUMMARY_MIME = "application/vnd.zgw.summary+json"


#: Longest folder name made from a name; longer ones are cut and get a short hash of the full name.
MAX_FOLDER = 60

#: Names Windows reserves for devices: a folder with such a name cannot be opened from a Windows file share.
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                               *(f"lpt{i}" for i in range(10))})


def _hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


#: ``meta.json`` key saying where a snapshot's documents come from. Only one value means anything to the kit:
#: :data:`GEEN_DOCUMENTEN`, the source has no document data (the organisation keeps its documents in another
#: system), so the ``documenten`` table is empty on purpose. Without the key the documents are in the table.
DOCUMENTEN_BRON = "documenten_bron"
#: The :data:`DOCUMENTEN_BRON` value of a source without document data.
GEEN_DOCUMENTEN = "geen"


def has_document_data(meta: Mapping[str, Any] | None) -> bool:
    """Whether a snapshot's ``meta.json`` allows document figures (``documenten_bron`` is not ``"geen"``).

    Without document data every figure about documents is unknown, never 0
    (docs/metrics.md): an empty ``documenten`` table then says nothing about
    how the zaken were handled.
    """
    return str((meta or {}).get(DOCUMENTEN_BRON) or "").strip().lower() != GEEN_DOCUMENTEN


def slug(afdeling: str) -> str:
    """Folder name for a department: ``"Beheer Openbare Ruimte"`` -> ``"beheer-openbare-ruimte"``.

    Safe on every system the reports are served from: lower-case ASCII letters, digits and hyphens only (so no
    dots-only name, no separator, nothing a Windows share refuses), at most :data:`MAX_FOLDER` characters. A name
    that is cut, reserved by Windows (``CON``, ``LPT1``, ...) or has no letter or digit at all gets a short,
    stable hash of the full name, so different names keep different folders.
    """
    text = unicodedata.normalize("NFKD", afdeling).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not text:
        return f"afdeling-{_hash(afdeling)}"
    if len(text) > MAX_FOLDER:
        return f"{text[:MAX_FOLDER - 9].rstrip('-')}-{_hash(afdeling)}"
    if text in _WINDOWS_RESERVED:
        return f"{text}-{_hash(afdeling)}"
    return text


def folder_names(names: Iterable[str]) -> dict[str, str]:
    """A folder per name; names whose :func:`slug` collide ("HRM", "hrm") each get a hash of their own name.

    Such names are a validation error (``zgw validate``), but a run still publishes every department apart.
    """
    names = list(dict.fromkeys(names))
    base = {n: slug(n) for n in names}
    count: dict[str, int] = {}
    for s in base.values():
        count[s] = count.get(s, 0) + 1
    return {n: s if count[s] == 1 else f"{s[:MAX_FOLDER - 9].rstrip('-')}-{_hash(n)}" for n, s in base.items()}
