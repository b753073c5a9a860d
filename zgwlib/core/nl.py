"""Dutch formatting for report text: numbers as ``1.234,5``, dates as ``oktober 2026``."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pandas as pd

#: The time zone of every date in the data and of every "today" (docs/metrics.md: Dutch local dates).
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def today_amsterdam(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the Netherlands, whatever the machine's time zone.

    A server on UTC would otherwise still be on yesterday between midnight and 01:00 (02:00 in summer).
    ``now`` (an aware moment) is for tests.
    """
    moment = now if now is not None else dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(AMSTERDAM).date()


def date_amsterdam(timestamp: float) -> dt.date:
    """The Dutch calendar day of a POSIX timestamp (a file's modification time)."""
    return dt.datetime.fromtimestamp(timestamp, AMSTERDAM).date()


def getal(value: float | int | None, decimalen: int = 0, leeg: str = "–") -> str:
    """Format a number the Dutch way: ``1234.5`` -> ``"1.234,5"``.

    Parameters
    ----------
    value : number or None
        The number; ``None``/NaN gives ``leeg``.
    decimalen : int
        Digits after the comma.
    leeg : str
        Text for a missing value.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return leeg
    # A half rounds up (228,5 days -> 229), as Dutch readers and Excel do; Python's formatting would round it to
    # the even neighbour. From the float's shortest text, so 2,675 is a half and not 2,67499999...
    number = float(value)
    exact = (Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
             if math.isfinite(number) else number)
    text = f"{exact:,.{decimalen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def procent(value: float | None, decimalen: int = 1, leeg: str = "–") -> str:
    """Format a fraction (0..1) as a Dutch percentage: ``0.875`` -> ``"87,5%"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return leeg
    return f"{getal(100 * float(value), decimalen)}%"


def _as_date(value: dt.date | str | pd.Timestamp | pd.Period) -> dt.date:
    if isinstance(value, pd.Period):
        return value.start_time.date()
    if isinstance(value, str):
        return pd.Timestamp(value).date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def maand(value: dt.date | str | pd.Timestamp | pd.Period) -> str:
    """Name a month in Dutch: ``"2026-10"`` -> ``"oktober 2026"``."""
    d = _as_date(value)
    return f"{MAANDEN[d.month - 1]} {d.year}"


def datum(value: dt.date | str | pd.Timestamp | None, leeg: str = "–") -> str:
    """Format a date in Dutch: ``2026-10-03`` -> ``"3 oktober 2026"``."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return leeg
    d = _as_date(value)
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def now_amsterdam() -> dt.datetime:
    """Dutch local time now (Europe/Amsterdam), without a zone and to the second, as the contract stores moments.

    Servers often run their clock in UTC: between midnight and 01:00 (02:00 in
    summer) Dutch time the machine's date is still yesterday's.
    """
    return dt.datetime.now(AMSTERDAM).replace(tzinfo=None, microsecond=0)
