"""The summary a report notebook gives the index page: shown by the notebook, read by the publisher.

A report notebook displays a small JSON summary (the champion of the month, the
headline figures) with :func:`emit_summary`; it is invisible in JupyterLab and
in the HTML, and :func:`read_summary` collects it from the executed notebook.
"""

from __future__ import annotations

from typing import Any

from zgwlib.core.terms import SUMMARY_MIME


def emit_summary(summary: dict[str, Any]) -> None:
    """Display ``summary`` (JSON-serialisable) as the report's entry for the index page.

    Invisible in JupyterLab and in the HTML; the publisher collects it from the
    executed notebook. Typical keys: ``titel``, ``afdeling``, ``periode``,
    ``kampioen``, ``kerncijfers`` (a dict of short Dutch label to formatted value).
    """
    from IPython.display import display

    display({SUMMARY_MIME: summary}, raw=True)


def read_summary(nb: Any) -> dict[str, Any] | None:
    """The summary a notebook displayed with :func:`emit_summary` (the last one wins), or ``None``."""
    found = None
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data") or {}
            if SUMMARY_MIME in data and isinstance(data[SUMMARY_MIME], dict):
                found = dict(data[SUMMARY_MIME])
    return found
