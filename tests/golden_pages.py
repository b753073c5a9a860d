"""Published pages made comparable across runs: what the golden test masks, and why.

A page is compared byte for byte after masking only what differs between two
runs of the same code on the same data: when it was made, how long it took,
where the run's files were, and the embedded chart images (replaced by the
SHA-256 of their bytes, so a changed chart still fails the test, but the golden
files stay small).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

#: The fixed small sample of the golden test: organisation plus two departments
#: (one with an accent in its name, one with a planted ``<script>`` omschrijving).
AFDELINGEN = ("organisatie", "Financiën", "Werk en Inkomen")
GOLDEN = Path(__file__).parent / "golden"

_IMAGE = re.compile(r'data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=\s]+)')
_MASKS = (
    # "Gemaakt op 27 november 2026 om 00:58", "bijgewerkt op ..."
    (re.compile(r"(\bop )\d{1,2} [a-z]+ \d{4} om \d{2}:\d{2}"), r"\1<DATUM> om <TIJD>"),
    # "snapshot van 27 november 2026": the sample records the day it was built
    (re.compile(r"(snapshot van )\d{1,2} [a-z]+ \d{4}"), r"\1<DATUM>"),
    # the data folder of the run (a temporary folder of pytest)
    (re.compile(r"(/[^\s\"'<>]*)?/(pytest-of-[^\s\"'<>/]+|tmp[^\s\"'<>/]*)/[^\s\"'<>]*"), "<PAD>"),
)


def _image(match: re.Match[str]) -> str:
    digest = hashlib.sha256(re.sub(r"\s+", "", match.group(2)).encode("ascii")).hexdigest()[:16]
    return f"data:image/{match.group(1)};sha256,{digest}"


def normalise(page: str) -> str:
    """``page`` with run-specific parts masked and images replaced by their hash."""
    page = _IMAGE.sub(_image, page)
    for pattern, replacement in _MASKS:
        page = pattern.sub(replacement, page)
    return page


def published_pages(out: Path) -> dict[str, str]:
    """Every published HTML page below ``out``, normalised, by its path relative to ``out``."""
    return {
        p.relative_to(out).as_posix(): normalise(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.html"))
        if not any(part.startswith(".") for part in p.relative_to(out).parts)
    }
