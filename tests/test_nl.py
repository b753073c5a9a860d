"""Dutch formatting of numbers and dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from zgwlib.core import nl


def test_numbers_use_dot_for_thousands_and_comma_for_decimals() -> None:
    assert nl.getal(1234.5, 1) == "1.234,5"
    assert nl.getal(1234567) == "1.234.567"
    assert nl.getal(-0.25, 2) == "-0,25"
    assert nl.getal(None) == "–"
    assert nl.getal(float("nan")) == "–"


def test_a_half_rounds_up_as_a_dutch_reader_expects_not_to_the_even_neighbour() -> None:
    assert [nl.getal(v) for v in (228.5, 197.5, 0.5, -2.5)] == ["229", "198", "1", "-3"]
    assert nl.getal(2.675, 2) == "2,68"  # the float just below 2,675 is still the half its text says
    assert nl.procent(0.0525) == "5,3%" and nl.procent(0.0524) == "5,2%"
    assert nl.getal(float("inf")) == "inf"


def test_percentages() -> None:
    assert nl.procent(0.875) == "87,5%"
    assert nl.procent(1) == "100,0%"
    assert nl.procent(pd.NA) == "–"


def test_months_and_dates_in_dutch() -> None:
    assert nl.maand("2026-10") == "oktober 2026"
    assert nl.maand(pd.Period("2024-02", "M")) == "februari 2024"
    assert nl.datum(dt.date(2024, 2, 29)) == "29 februari 2024"
    assert nl.datum(pd.NaT) == "–"
