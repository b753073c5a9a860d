"""Write docs/activiteiten-voorbeeld.xlsx: a filled-in example of the optional table ``activiteiten``.

A project leader copies the workbook, replaces the rows with the municipality's own actions and imports it
beside the system's export (docs/importing.md). Run from the repository root::

    .venv/bin/python docs/make_activiteiten_voorbeeld.py

The example's columns come from the data contract, so the workbook cannot drift from it; the rows are fixed
(no random numbers), so running the script twice writes the same content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from zgwlib.data.contract import ACTIVITEIT_SOORT, TABLES

OUT = Path(__file__).resolve().parent.parent / "docs" / "activiteiten-voorbeeld.xlsx"

ROWS = [
    # datum, soort, afdeling, team, deelnemers, onderwerp, vraag
    (dt.date(2026, 1, 13), "training", "Sociaal Domein", "Wmo", 9, "Zaak registreren bij ontvangst", None),
    (dt.date(2026, 1, 20), "buddy", "Beheer Openbare Ruimte", "Wijkbeheer Noord", 2,
     "Key-user Meldingen als buddy voor Wijkbeheer Noord", None),
    (dt.date(2026, 1, 22), "inloopspreekuur", "Sociaal Domein", None, 6, "Inloopspreekuur zaaksysteem",
     "Hoe koppel ik een e-mail aan een zaak?"),
    (dt.date(2026, 1, 22), "inloopspreekuur", "Sociaal Domein", None, 6, "Inloopspreekuur zaaksysteem",
     "Welk resultaat kies ik bij een ingetrokken aanvraag?"),
    (dt.date(2026, 1, 22), "inloopspreekuur", "Werk en Inkomen", "Inkomen", 6, "Inloopspreekuur zaaksysteem",
     "Hoe koppel ik een e-mail aan een zaak?"),
    (dt.date(2026, 2, 3), "keyuser_overleg", "Informatiebeheer", None, 8, "Zaaktypen zonder zaken; documenttypen",
     None),
    (dt.date(2026, 2, 10), "intranet", "Communicatie", None, None, "Kampioen van januari in het zonnetje", None),
    (dt.date(2026, 2, 17), "training", "Belastingen", "WOZ", 7, "Documenten opslaan in de zaak", None),
    (dt.date(2026, 2, 24), "overig", "Werk en Inkomen", None, 12, "Teamoverleg: stand van zaken invoering", None),
]

TOELICHTING = [
    "Activiteiten voor de borging van zaakgericht werken: wat de organisatie doet om de nieuwe werkwijze te laten "
    "beklijven. Het borgingsrapport meet per team of een training of buddy effect had.",
    "Eén regel per activiteit. Bij een inloopspreekuur één regel per gestelde vraag (kolom vraag), met dezelfde "
    "datum, afdeling en onderwerp.",
    "datum: de dag (31-12-2026 of 2026-12-31). soort: een van " + ", ".join(ACTIVITEIT_SOORT) + ".",
    "afdeling en team: zoals in het zaaksysteem en de HR-export; laat team leeg voor de hele afdeling.",
    "deelnemers: aantal personen (mag leeg). onderwerp en vraag: vrije tekst; rapporten tonen die altijd als "
    "tekst, nooit als opmaak of link.",
    "Importeren: zie docs/importing.md (mapping: tables: activiteiten: file: <dit bestand>, sheet: activiteiten).",
]


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "activiteiten"
    columns = TABLES["activiteiten"].column_names
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        ws.append(list(row))
    for r in range(2, len(ROWS) + 2):
        ws.cell(row=r, column=1).number_format = "DD-MM-YYYY"
    for letter, width in zip("ABCDEFG", (12, 18, 24, 20, 11, 44, 52), strict=True):
        ws.column_dimensions[letter].width = width
    info = wb.create_sheet("toelichting")
    for line in TOELICHTING:
        info.append([line])
    info.column_dimensions["A"].width = 120
    # A fixed creation time: the same rows give the same workbook.
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
