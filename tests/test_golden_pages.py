"""Golden test: ``zgw run`` on a fixed small sample publishes exactly the pages it published before.

The pages in ``tests/golden/`` were made by the kit before its redesign into
layers (issue 11); a change that moves code around must not change one byte a
reader sees. Run-specific parts (when, where, chart bytes) are masked as
``golden_pages`` explains.

A change that *means* to change a page regenerates them on purpose::

    ZGW_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_pages.py

and the diff of ``tests/golden/`` is then part of that change's review.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from golden_pages import GOLDEN, published_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(published_sample: Path) -> dict[str, str]:
    """Every page of the suite's one full ``zgw run`` (conftest ``published_sample``) on the small sample."""
    found = published_pages(published_sample)
    if os.environ.get("ZGW_UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.html"):
            old.unlink()
        for name, text in found.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    return found


def test_the_run_publishes_the_same_set_of_pages_as_before(pages: dict[str, str]) -> None:
    golden = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.html"))
    assert golden, "no golden pages: make them with ZGW_UPDATE_GOLDEN=1"
    assert sorted(pages) == golden


def test_no_page_needs_an_emoji_font(pages: dict[str, str]) -> None:
    # Headless Chromium without an emoji font shows a box: icons are drawn (inline SVG), never emoji.
    emoji = {name: sorted({c for c in text if 0x1F300 <= ord(c) <= 0x1FAFF or c == "\ufe0f"})
             for name, text in pages.items()}
    assert not {n: cs for n, cs in emoji.items() if cs}


@pytest.mark.parametrize("name", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.html")))
def test_every_published_page_is_unchanged_byte_for_byte(pages: dict[str, str], name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    got = pages.get(name)
    assert got is not None, f"{name} was not published"
    if got != expected:
        diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "golden", "now", n=1, lineterm="")
        pytest.fail(f"{name} changed:\n" + "\n".join(list(diff)[:60]))
