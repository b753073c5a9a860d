"""make_kerncijfers: the monthly key figures for any selection and any span, worked out by hand on Testdorp.

The tiny municipality is tests/maandfixtures.py; every expected value below is read off its table there.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from maandfixtures import basis as klein_basis
from zgwlib.core.errors import UsageError
from zgwlib.maandrapportage import figures
from zgwlib.maandrapportage.selectie import CODES, last_complete_quarter, make_kerncijfers


def waarden(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["code"], frame["waarde"]))


def test_alfa_over_january_and_february_counts_every_zaak_of_the_span_once() -> None:
    k = make_kerncijfers(klein_basis(), "Alfa", van="2024-01", tot="2024-02")
    w = waarden(k)
    # Registered in Jan-Feb: Z1, Z2, Z3, Z4, Z9. Closed in Jan-Feb: Z2 (1 Feb), Z3, Z4, Z9 (Z1 closed 1 March).
    assert w["ontvangen"] == 5 and w["gesloten"] == 4
    # Open at the end of February: Z1 (closed 1 March) and Z5 (never closed).
    assert w["open_einde_maand"] == 2
    # Service norm known for Z2 (on the day), Z3 (a day late), Z9 (early): 2 of 3. Legal term: Z2, Z3, Z9 all in.
    assert w["binnen_norm"] == pytest.approx(2 / 3) and w["binnen_termijn"] == 1.0
    # Lead times 1 (Z2), 0 (Z3), 15 (Z4), 0 (Z9): median 0.5; p90 at 2.7 of 0..3 -> 1 + 0.7 * 14.
    assert w["doorlooptijd_mediaan"] == 0.5 and w["doorlooptijd_p90"] == pytest.approx(10.8)
    # Of the 4 closed: Z3 has no document and no behandelaar and was registered afterwards; Z4 has no resultaat.
    assert (w["met_documenten"], w["met_behandelaar"], w["met_resultaat"], w["achteraf"]) == (0.75, 0.75, 0.75, 0.25)
    assert w["volgens_werkwijze"] == 0.5  # Z2 and Z9
    # MDW-1 and MDW-2 set statuses in the span; MDW-3 never did; MDW-9 (Gamma) counts for Gamma, not Alfa.
    assert (w["actieve_gebruikers"], w["medewerkers"]) == (2, 3) and w["aandeel_actief"] == pytest.approx(2 / 3)
    assert w["aandeel_digitaal"] == 1.0  # every zaak came in by e-formulier
    assert list(k["code"]) == list(CODES)
    tekst = dict(zip(k["code"], k["tekst"]))
    assert tekst["binnen_norm"] == "67%" and tekst["doorlooptijd_p90"] == "11 dagen" and tekst["ontvangen"] == "5"
    assert k.attrs["beschrijving"] == "Afdeling Alfa, januari 2024 tot en met februari 2024"


def test_one_zaaktype_or_one_team_narrows_the_zaken_and_people_are_unknown_for_a_zaaktype() -> None:
    basis = klein_basis()
    w = waarden(make_kerncijfers(basis, "Alfa", zaaktype="ZT-A", van="2024-01", tot="2024-02"))
    assert (w["ontvangen"], w["gesloten"], w["open_einde_maand"]) == (4, 3, 2)  # Z1 Z2 Z3 Z9; Z2 Z3 Z9; Z1 Z5
    assert all(math.isnan(w[c]) for c in ("actieve_gebruikers", "medewerkers", "aandeel_actief"))
    k = make_kerncijfers(basis, "Alfa", zaaktype="melding", van="2024-02", tot="2024-02")  # by omschrijving
    assert waarden(k)["ontvangen"] == 1 and k.attrs["selectie"].zaaktype == "ZT-B"  # Z4 (Z6, Z7 are Beta's)
    assert dict(zip(k["code"], k["tekst"]))["actieve_gebruikers"] == "–"
    w = waarden(make_kerncijfers(basis, "Alfa", team="T2", van="2024-01", tot="2024-02"))
    assert (w["ontvangen"], w["gesloten"], w["actieve_gebruikers"], w["medewerkers"]) == (2, 2, 1, 1)  # Z4, Z9; MDW-2


def test_the_organisation_over_the_whole_data_and_the_default_month() -> None:
    basis = klein_basis()
    w = waarden(make_kerncijfers(basis, van="2023-01", tot="2024-03"))
    assert (w["ontvangen"], w["gesloten"], w["open_einde_maand"]) == (9, 6, 3)  # every zaak; Z5, Z6, Z7 open
    # Without van/tot: the last complete month of the data (meta ends 31 March 2024), as the monthly report.
    k = make_kerncijfers(basis)
    assert k.attrs["beschrijving"] == "De hele organisatie, maart 2024" and waarden(k)["ontvangen"] == 1  # Z7


def test_a_question_the_data_cannot_answer_is_refused_with_the_choices() -> None:
    basis = klein_basis()
    with pytest.raises(UsageError, match="departments: Alfa, Beta, Gamma"):
        make_kerncijfers(basis, "Delta")
    with pytest.raises(UsageError, match="its teams: T1, T2"):
        make_kerncijfers(basis, "Alfa", team="T9")
    with pytest.raises(UsageError, match="not in the data"):
        make_kerncijfers(basis, zaaktype="ZT-X")
    with pytest.raises(UsageError, match="complete up to 31 maart 2024"):
        make_kerncijfers(basis, van="2024-03", tot="2024-04")
    with pytest.raises(UsageError, match="after tot"):
        make_kerncijfers(basis, van="2024-03", tot="2024-01")


def test_for_one_month_the_answer_is_that_months_tiles_of_the_monthly_report(small_sample: Path) -> None:
    basis = figures.load(small_sample)
    periode = "2026-09"
    tabel = figures.maandcijfers(basis, periode, maanden=1)
    for afdeling in ["organisatie", *basis.afdelingen]:
        row = figures.eenheid(tabel, afdeling).iloc[0]
        got = waarden(make_kerncijfers(basis, afdeling, van=periode, tot=periode))
        for code in CODES:
            assert got[code] == pytest.approx(float(row[code]), nan_ok=True), (afdeling, code)


@pytest.mark.parametrize(("periode_tot", "expected"), [
    ("2026-11-15", ("2026-07", "2026-09")), ("2026-09-30", ("2026-07", "2026-09")),
    ("2026-09-29", ("2026-04", "2026-06")), ("2027-01-31", ("2026-10", "2026-12")),
])
def test_the_last_complete_quarter_ends_with_the_last_complete_month_of_a_quarter(
        periode_tot: str, expected: tuple[str, str]) -> None:
    assert last_complete_quarter({"periode_tot": periode_tot}) == expected
