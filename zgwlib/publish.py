"""Publishing executed report notebooks as self-contained HTML and the index pages.

A report notebook tells the publisher what belongs on the index (the champion
of the month, the headline figures) by displaying a summary with
:func:`emit_summary`; the publisher reads it from the executed notebook and
leaves it out of the HTML.
"""

from __future__ import annotations

from typing import Any

#: MIME type of the summary a report notebook displays for the index page.
SUMMARY_MIME = "application/vnd.zgw.summary+json"


def emit_summary(summary: dict[str, Any]) -> None:
    """Display ``summary`` (JSON-serialisable) as the report's entry for the index page.

    Invisible in JupyterLab and in the HTML; the publisher collects it from the
    executed notebook. Typical keys: ``titel``, ``afdeling``, ``periode``,
    ``kampioen``, ``kerncijfers`` (a dict of short Dutch label to formatted value).
    """
    from IPython.display import display

    display({SUMMARY_MIME: summary}, raw=True)
