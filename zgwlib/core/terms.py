"""Names every layer shares: the whole organisation, staff without a team, the sample, folder names.

Defined once here so that the figures, the runner and the pages agree on them
without importing each other.
"""

from __future__ import annotations

import re
import unicodedata

#: The ``afdeling`` value that means the whole organisation.
ORGANISATIE = "organisatie"

#: Team label for staff without a team.
GEEN_TEAM = "(geen team)"

#: The ``data`` value that means the built-in sample municipality.
SAMPLE_NAME = "voorbeeld"

#: Environment variable a report kernel gets from ``zgw run``: the folder for files it makes besides the report
#: (the evaluation's Excel appendix). They are published beside the report, and only when the run succeeds.
BIJLAGEN_ENV = "ZGW_BIJLAGEN_MAP"

#: The words that mark a text an evaluator still has to write ("✏️ *Vul hier in:* ..."). A paragraph holding them
#: never reaches a published page: the publisher replaces it with :data:`NIET_INGEVULD`.
PLACEHOLDER = "Vul hier in"

#: What a published page says where a text was not filled in.
NIET_INGEVULD = "Dit onderdeel is niet ingevuld."

#: MIME type of the summary a report notebook displays for the index page.
SUMMARY_MIME = "application/vnd.zgw.summary+json"


def slug(afdeling: str) -> str:
    """Folder name for a department: ``"Beheer Openbare Ruimte"`` -> ``"beheer-openbare-ruimte"``."""
    text = unicodedata.normalize("NFKD", afdeling).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "afdeling"
