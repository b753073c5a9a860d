"""The one vocabulary of periods (months and ISO weeks) used by the runner, the figures and the pages.

A *periode* is a reporting month written ``YYYY-MM`` (``"2026-10"``). Inside the
figures a month is an integer, the months since January 1970 (its *index*), so
"open at the end of the month" is an interval count, not a loop. The report
month defaults to the *last complete month* of the data: data up to and
including 31 October covers October, data up to 15 November covers October too.

A weekly report's period is an ISO week written ``YYYY-Www`` (``"2026-W48"``,
Monday to Sunday); it defaults to the *last complete week* of the data. Dates
are Dutch local dates (Europe/Amsterdam), as everywhere in the kit.
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
        day = (today or nl.today_amsterdam()).replace(day=1) - dt.timedelta(days=1)
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


# --------------------------------------------------------------------------- weeks
#
# A weekly report's period is an ISO 8601 week written ``YYYY-Www`` (``"2026-W48"``): Monday to Sunday, week 1
# being the week with the year's first Thursday, as Dutch calendars number them. Inside the figures a week is an
# integer, the weeks since Monday 5 January 1970 (its *index*), so "late at the end of each week" is integer work.

_WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")

#: Day number (days since 1970-01-01) of Monday 5 January 1970, the first day of week index 0.
_MAANDAG_0 = 4


def is_week(text: str) -> bool:
    """Whether ``text`` is an ISO week written ``YYYY-Www`` that exists (``2026-W53`` does not)."""
    m = _WEEK.match(str(text))
    if not m:
        return False
    try:
        dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return False
    return True


def is_period(text: str) -> bool:
    """Whether ``text`` names a reporting period: a month ``YYYY-MM`` or an ISO week ``YYYY-Www``."""
    return is_periode(text) or is_week(text)


def check_week(week: Any, what: str = "--periode") -> str:
    """``week`` as ``YYYY-Www``; anything else (also a week 53 the year does not have) is refused."""
    if not is_week(str(week)):
        raise UsageError(f"{what} {week!r}: expected an ISO week as YYYY-Www that exists, for example 2026-W48.")
    return str(week)


def week_of(day: dt.date | str | pd.Timestamp) -> str:
    """The ISO week a day falls in: 2026-11-29 -> ``"2026-W48"``."""
    d = pd.Timestamp(day).date()
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_start(week: str) -> pd.Timestamp:
    """The Monday of an ISO week: ``"2026-W48"`` -> 23 November 2026."""
    check_week(week, "week")
    year, nr = str(week).split("-W")
    return pd.Timestamp(dt.date.fromisocalendar(int(year), int(nr), 1))


def week_end(week: str) -> pd.Timestamp:
    """The Sunday of an ISO week, its last day: ``"2026-W48"`` -> 29 November 2026."""
    return week_start(week) + pd.Timedelta(days=6)


def week_index(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Weeks since Monday 5 January 1970 of each date (``int64``); a missing date gives :data:`OPEN`."""
    d = np.asarray(dates, dtype="datetime64[D]")
    out = np.full(len(d), OPEN, dtype=np.int64)
    ok = ~np.isnat(d)
    out[ok] = (d[ok].astype(np.int64) - _MAANDAG_0) // 7  # floor division: also right before 1970
    return out


def week_text(index: int) -> str:
    """Weeks since 5 January 1970 -> ``"YYYY-Www"``."""
    return week_of(pd.Timestamp(np.datetime64(int(index) * 7 + _MAANDAG_0, "D")))


def last_complete_week(periode_tot: str | dt.date | None, today: dt.date | None = None) -> str:
    """The last ISO week the data covers completely, ``YYYY-Www``.

    Data up to and including Sunday 29 November 2026 covers week 48; data up to Saturday 28 November only week 47.
    Without a date: the week before the one ``today`` is in (default: today in the Netherlands), so a Monday
    morning's run reports on the week that just ended.
    """
    if periode_tot is None:
        day = today or nl.today_amsterdam()
        day = day - dt.timedelta(days=day.weekday() + 1)
    else:
        day = dt.date.fromisoformat(str(periode_tot)[:10])
        if day.weekday() != 6:
            day = day - dt.timedelta(days=day.weekday() + 1)
    return week_of(day)


def choose_week(meta: Mapping[str, Any], week: str | None = None) -> str:
    """The report week: ``week`` when given (checked), else the last week the data covers completely."""
    if week:
        return check_week(week, "periode")
    return last_complete_week(meta.get("periode_tot"))


def period_name(periode: str) -> str:
    """A period in Dutch: ``"2026-10"`` -> ``"oktober 2026"``, ``"2026-W48"`` -> ``"week 48 van 2026"``."""
    if is_week(periode):
        year, nr = str(periode).split("-W")
        return f"week {int(nr)} van {year}"
    return nl.maand(periode)


def period_days(periode: str) -> str:
    """The days of a week in Dutch, ``"23 t/m 29 november 2026"``; a month's name for a month."""
    if not is_week(periode):
        return nl.maand(periode)
    start, end = week_start(periode), week_end(periode)
    if start.year != end.year:
        return f"{nl.datum(start)} t/m {nl.datum(end)}"
    if start.month != end.month:
        return f"{start.day} {nl.MAANDEN[start.month - 1]} t/m {nl.datum(end)}"
    return f"{start.day} t/m {nl.datum(end)}"


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
    """How a period folder is named on a page: a month ``oktober 2026``, a week ``week 48 van 2026``, a day
    ``1 juli 2026``."""
    if is_week(name):
        return period_name(name)
    if is_periode(name):
        return nl.maand(name)
    if is_peildatum(name):
        return nl.datum(name)
    return str(name)
