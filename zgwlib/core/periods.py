"""The one vocabulary of months (periodes) used by the runner, the figures and the pages.

A *periode* is a reporting month written ``YYYY-MM`` (``"2026-10"``). Inside the
figures a month is an integer, the months since January 1970 (its *index*), so
"open at the end of the month" is an interval count, not a loop. The report
month defaults to the *last complete month* of the data: data up to and
including 31 October covers October, data up to 15 November covers October too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib.core.errors import UsageError

#: Month index of an open zaak's einddatum: later than any real month.
OPEN = np.int64(2**40)

_PERIODE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_periode(text: str) -> bool:
    """Whether ``text`` is a month written ``YYYY-MM`` (a period folder's name, say)."""
    return bool(_PERIODE.match(str(text)))


def check_periode(periode: Any, what: str = "--periode") -> str:
    """``periode`` as ``YYYY-MM``; anything else is refused, naming ``what`` was wrong."""
    if not is_periode(str(periode)):
        raise UsageError(f"{what} {periode!r}: expected a month as YYYY-MM, for example 2026-10.")
    return str(periode)


def periode_index(periode: str) -> int:
    """``"2026-10"`` -> months since January 1970."""
    try:
        p = pd.Period(str(periode), "M")
    except (ValueError, TypeError):
        raise UsageError(f"periode {periode!r}: expected a month as YYYY-MM, for example 2026-10.") from None
    return (p.year - 1970) * 12 + p.month - 1


def periode_tekst(index: int) -> str:
    """Months since January 1970 -> ``"YYYY-MM"``."""
    return f"{1970 + index // 12:04d}-{index % 12 + 1:02d}"


def maand_einde(periode: str) -> pd.Timestamp:
    """The last day of a month: ``"2028-02"`` -> 29 February 2028."""
    return pd.Period(str(periode), "M").end_time.normalize()


def maand_index(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Months since January 1970 of each date (``int64``); a missing date gives :data:`OPEN`."""
    d = np.asarray(dates, dtype="datetime64[us]")
    ok = ~np.isnat(d)
    days = d.view(np.int64) // 86_400_000_000  # floor: also right before 1970
    out = np.full(len(days), OPEN, dtype=np.int64)
    if ok.any():
        # numpy's day -> month conversion does calendar work per value: look each day up in a table instead.
        lo, hi = int(days[ok].min()), int(days[ok].max())
        tabel = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        out[ok] = tabel[days[ok] - lo]
    return out


def last_complete_month(periode_tot: str | dt.date | None, today: dt.date | None = None) -> str:
    """The last month the data covers completely, ``YYYY-MM``.

    Data up to and including 31 October covers October; data up to 15 November
    covers October too. Without a date: the month before ``today`` (default: today in the Netherlands).
    """
    if periode_tot is None:
        day = (today or nl.read_local_today()).replace(day=1) - dt.timedelta(days=1)
    else:
        day = dt.date.fromisoformat(str(periode_tot)[:10])
        if (day + dt.timedelta(days=1)).month == day.month:
            day = day.replace(day=1) - dt.timedelta(days=1)
    return f"{day.year:04d}-{day.month:02d}"


def choose_periode(meta: Mapping[str, Any], periode: str | None = None) -> str:
    """The report month: ``periode`` when given, else the last month the data covers completely."""
    if periode:
        return periode_tekst(periode_index(str(periode)))
    return last_complete_month(meta.get("periode_tot"))


# --------------------------------------------------------------------------- a day (reports published on request)

_DAG = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_peildatum(text: str) -> bool:
    """Whether ``text`` is a day ``YYYY-MM-DD`` (the folder of a report published on request, e.g. the evaluation)."""
    if not _DAG.fullmatch(str(text)):
        return False
    try:
        dt.date.fromisoformat(str(text))
    except ValueError:
        return False
    return True


def check_peildatum(peildatum: Any, what: str = "--peildatum") -> str:
    """``peildatum`` as ``YYYY-MM-DD``; anything else is refused, naming ``what`` was wrong."""
    if not is_peildatum(str(peildatum)):
        raise UsageError(f"{what} {peildatum!r}: expected a day as YYYY-MM-DD, for example 2026-07-01.")
    return str(peildatum)


def folder_label(name: str) -> str:
    """How a period folder is named on a page: a month ``oktober 2026``, a day ``1 juli 2026``."""
    if is_periode(name):
        return nl.maand(name)
    if is_peildatum(name):
        return nl.datum(name)
    return str(name)
