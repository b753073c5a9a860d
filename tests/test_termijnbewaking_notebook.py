"""The termijnbewaking notebook runs under plain papermill on the sample, and escapes what comes from the data.

Two kernel runs: the organisation on the sample's last day (the planted late zaken must be the tiles' count, and
the tiles and the dwangsom risk must equal a plain pandas recount of the sample's zaken), and
a department on a copy of the sample with a script tag planted in a suspended zaak's reason and a zaak URL set
(the reason must be escaped, the links must be there).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from zgwlib.core.terms import SUMMARY_MIME
from zgwlib.data.snapshot import write_snapshot
from zgwlib.data.sources import load_snapshot
from notebook_helpers import assert_committed_clean, outputs, run_papermill

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "termijnbewaking.ipynb"
PARAMETERS = Path(__file__).resolve().parents[1] / "parameters" / "termijnbewaking.yaml"
SCRIPT = '<script>alert("opschorting")</script> wacht'

pytestmark = pytest.mark.slow



def test_notebook_is_committed_clean_with_its_parameters_and_weekly_metadata() -> None:
    assert assert_committed_clean(NOTEBOOK) == {
        "afdeling": '"organisatie"', "periode": "None", "data": '"voorbeeld"', "config": "None",
        "peildatum": "None", "horizon_dagen": "None", "toon_namen": "False", "toon_omschrijving": "False"}
    assert nbformat.read(NOTEBOOK, as_version=4).metadata["zgw"] == {
        "publish": True, "titel": "Termijnbewaking", "frequentie": "week"}


def test_papermill_organisation_shows_the_planted_late_zaken(small_sample: Path, tmp_path: Path) -> None:
    geplant = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]["termijnbewaking"]
    nb = run_papermill(NOTEBOOK, small_sample, tmp_path / "org.ipynb", config=str(PARAMETERS), peildatum=geplant["peildatum"])
    [s] = outputs(nb, SUMMARY_MIME)
    assert (s["titel"], s["afdeling"], s["periode"]) == ("Termijnbewaking", "organisatie", "2026-W44")
    k = s["kerncijfers"]
    assert (k["Over de termijn"], k["Binnen 14 dagen"], k["Opgeschort"]) == (
        geplant["te_laat"], geplant["binnen_horizon"], geplant["opgeschort"])
    # The same figures counted again with plain pandas from the sample's file, not through zgwlib
    # (docs/metrics.md, Termijnbewaking): open on the peildatum = registered on or before it and not closed by
    # then; days left = uiterlijke_einddatum_afdoening - peildatum; late below 0, within the horizon 0 to 14;
    # suspended zaken are never late. The dwangsom: days late - 14 owed, at most 42, at 23/35/45 euro a day.
    zaken = pd.read_parquet(small_sample / "zaken.parquet")
    peil = pd.Timestamp(geplant["peildatum"])
    open_ = zaken[(zaken["registratiedatum"] <= peil) & (zaken["einddatum"].isna() | (zaken["einddatum"] > peil))]
    opgeschort = open_["opschorting_indicatie"].fillna(False).astype(bool)
    over = (open_["uiterlijke_einddatum_afdoening"] - peil).dt.days
    te_laat, bijna = ~opgeschort & (over < 0), ~opgeschort & (over >= 0) & (over <= 14)
    zonder = int(((te_laat | bijna) & open_["behandelaar"].isna()).sum())
    assert min(te_laat.sum(), bijna.sum(), opgeschort.sum(), zonder) > 0
    assert (k["Over de termijn"], k["Binnen 14 dagen"], k["Opgeschort"], k["Zonder behandelaar"]) == (
        te_laat.sum(), bijna.sum(), opgeschort.sum(), zonder)
    dwangsom = yaml.safe_load(PARAMETERS.read_text(encoding="utf-8"))["dwangsom_zaaktypen"]
    dagen = (-over[te_laat & open_["zaaktype"].isin(dwangsom)] - 14).clip(0, 42)
    euro = int((23 * dagen.clip(0, 14) + 35 * (dagen - 14).clip(0, 14) + 45 * (dagen - 28).clip(0, 14)).sum())
    assert euro > 0 and k["Dwangsomrisico nu"] == f"€ {euro:,}".replace(",", ".")
    markdown = "\n".join(outputs(nb, "text/markdown"))
    assert peil == pd.Timestamp("2026-10-31") and f"Open zaken op 31 oktober 2026: {len(open_)}." in markdown
    text = "\n".join(outputs(nb, "text/html"))
    assert "Risico, geen schuld" in text and "schriftelijk in gebreke" in text and "€ 1.442" in text
    assert "Namen van behandelaars staan niet in dit rapport." in text
    # Published by default: no reason for an extension or a suspension, though the sample has both on the list.
    redenen = set(open_["verlenging_reden"].dropna()) | set(open_["opschorting_reden"].dropna())
    assert redenen and not [r for r in redenen if r in text]
    assert "De redenen van verlenging en opschorting staan niet in dit rapport." in text
    assert len(outputs(nb, "image/png")) == 1  # the trend
    assert not [o for o in outputs(nb, "stream") if "Error" in o]


def test_papermill_department_escapes_a_planted_reason_and_links_each_zaak(small_sample: Path,
                                                                           tmp_path: Path) -> None:
    snap = load_snapshot(small_sample)
    z = snap.zaken.copy()
    sus = z.index[z["opschorting_indicatie"].fillna(False).astype(bool) & z["einddatum"].isna()]
    afdeling = z.loc[sus[0], "afdeling"]
    z.loc[sus[0], ["opschorting_reden", "vertrouwelijkheidaanduiding"]] = [SCRIPT, "intern"]
    # A second suspended zaak of the department is confidential: its reason is never shown, even on request.
    geheim = sus[(z.loc[sus, "afdeling"] == afdeling).to_numpy()][1]
    z.loc[geheim, ["opschorting_reden", "vertrouwelijkheidaanduiding"]] = ["Wacht op uitspraak in strafzaak", "geheim"]
    data = write_snapshot(dict(snap.tables, zaken=z), tmp_path / "gemeente", snap.meta)
    cfg = tmp_path / "tb.yaml"
    cfg.write_text('zaak_url: "https://zaken.example.nl/zaak/{identificatie}"\ntoon_omschrijving: true\n',
                   encoding="utf-8")
    nb = run_papermill(NOTEBOOK, data, tmp_path / "afd.ipynb", afdeling=afdeling, config=str(cfg),
                       peildatum=snap.meta["periode_tot"], toon_omschrijving=True)
    text = "\n".join(outputs(nb, "text/html"))
    assert SCRIPT not in text and "&lt;script&gt;alert(&quot;opschorting&quot;)&lt;/script&gt; wacht" in text
    assert "strafzaak" not in text and "(vertrouwelijk: niet getoond)" in text
    assert f'<a href="https://zaken.example.nl/zaak/{z.loc[geheim, "identificatie"]}">' in text  # still listed
    assert f'<a href="https://zaken.example.nl/zaak/{z.loc[sus[0], "identificatie"]}">' in text
    assert "Dwangsomrisico" not in text  # no dwangsom zaaktypen in this file
