"""Names every layer shares: the whole organisation, staff without a team, the sample, folder names, meta keys.

Defined once here so that the figures, the runner and the pages agree on them
without importing each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
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

#: MIME type of the summary a report notebook displays for the index page.
SUMMARY_MIME = "application/vnd.zgw.summary+json"


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
    """Folder name for a department: ``"Beheer Openbare Ruimte"`` -> ``"beheer-openbare-ruimte"``."""
    text = unicodedata.normalize("NFKD", afdeling).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "afdeling"
