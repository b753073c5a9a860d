"""Zaken and documents the zaaksysteem did not show (issue 13, problem 1): every report says how many.

An application with limited zaaktypen or a maximum vertrouwelijkheidaanduiding
(docs/open-zaak.md) gets fewer zaken; ``zgw fetch`` records in ``meta.json``
how many documents belong to zaken it may not see, and how many zaken those are
(``"niet_zichtbaar": {"zaken": N, "documenten": M}``). Those zaken and documents
are in no figure of any report, not even as documents outside a zaak, so every
report built on the snapshot says so (:func:`zgwlib.style.make_visibility_note`).
The notebooks run on the small sample with a hand-made ``niet_zichtbaar`` in its
meta (the numbers of the trial against a real Open Zaak: 14 documents of 9 zaken,
tests/test_fetch_replay.py); without it they show no such note (the golden pages).
"""

from __future__ import annotations

from zgwlib import style

_NIET_MOGEN = (" die de koppeling met het zaaksysteem niet mag zien (door hun zaaktype of vertrouwelijkheid). Die "
               "zaken en documenten tellen niet mee in dit rapport.")


def test_the_visibility_note_counts_hidden_documents_and_zaken_in_dutch_or_is_absent() -> None:
    note = style.make_visibility_note
    # Nothing hidden, or not looked up (not a zgw fetch, or fetched without --documenten-url): no note.
    assert note({}) is None and note(None) is None and note({"niet_zichtbaar": None}) is None
    assert note({"niet_zichtbaar": {"zaken": 0, "documenten": 0}}) is None
    assert note({"niet_zichtbaar": {"zaken": 0, "documenten": 0}}, "Dus niets.") is None
    assert note({"niet_zichtbaar": {"zaken": 1, "documenten": 1}}) == "Let op: 1 document hoort bij 1 zaak" + _NIET_MOGEN
    assert note({"niet_zichtbaar": {"zaken": 1, "documenten": 2}}) == (
        "Let op: 2 documenten horen bij 1 zaak" + _NIET_MOGEN)
    assert note({"niet_zichtbaar": {"zaken": 2, "documenten": 1234}}) == (
        "Let op: 1.234 documenten horen bij 2 zaken" + _NIET_MOGEN)
    # A report adds what it means for its own figures after the sentence.
    assert note({"niet_zichtbaar": {"zaken": 9, "documenten": 14}}, "Dus niets.") == (
        "Let op: 14 documenten horen bij 9 zaken" + _NIET_MOGEN + " Dus niets.")
