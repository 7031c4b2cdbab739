"""dagloon.compare against the rows of `dagloon compare -o ROWS.jsonl`."""
import decimal
import fractions
import json
import os

import pandas
import pytest

import dagloon
from conftest import ROOT, command, read_jsonl

WIA = os.path.join(ROOT, "rules/wia")


def rows_of_command(dagloon_bin, base, proposal, path, tmp_path, extra=()):
    out = tmp_path / "rows.jsonl"
    command([dagloon_bin, "compare", base, proposal, path, "-o", str(out), "--summary", str(tmp_path / "s.txt"),
             *extra])
    return [json.loads(line) for line in out.read_text().splitlines()]


def check(got, want):
    assert len(got) == len(want)
    for (_, g), w in zip(got.iterrows(), want):
        assert (g["id"], g["uitkomst"]) == (w["id"], w["uitkomst"])
        assert (g["fout"] if g["fout"] is not None else None) == w.get("fout")
        cols = [k for k in w if k not in ("id", "uitkomst", "fout")]
        if w["uitkomst"] != "fout":
            assert set(f"{c}_{s}" for c in cols for s in ("basis", "voorstel", "verschil")) | {"id", "uitkomst", "fout"} \
                == set(got.columns)
        for c in cols:
            for s in ("basis", "voorstel", "verschil"):
                v = g[f"{c}_{s}"]
                assert isinstance(v, (decimal.Decimal, fractions.Fraction, int)) and not isinstance(v, bool)
                assert fractions.Fraction(v) == fractions.Fraction(w[c][s]), (w["id"], c, s, v, w[c][s])


@pytest.mark.parametrize("proposal", ["twaalf_maanden_loon", "loonloze_maanden_bij_wet", "een_referteperiode"])
def test_rows_equal_the_commands(dagloon_bin, population, proposal, tmp_path):
    prop = os.path.join(ROOT, "rules/voorstellen", proposal)
    got = dagloon.compare(WIA, prop, read_jsonl(population))
    want = rows_of_command(dagloon_bin, WIA, prop, population, tmp_path)
    check(got, want)
    assert set(got["uitkomst"]) - {"gelijk"}, "the proposal changes something in this population"


def test_error_rows_and_a_chosen_value_column(dagloon_bin, tmp_path):
    rows = [json.loads(line) for line in open(os.path.join(ROOT, "rules/wia/populatie.jsonl"))][:12]
    rows.insert(3, dict(rows[1], id="X-datum", eerste_ao_dag="2023-02-30"))
    rows.insert(7, rows[5])   # an id used before
    path = tmp_path / "fouten.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in rows))
    prop = os.path.join(ROOT, "rules/voorstellen/twaalf_maanden_loon")
    got = dagloon.compare(WIA, prop, read_jsonl(str(path)), columns=["maandloon", "deler"], value="maandloon")
    want = rows_of_command(dagloon_bin, WIA, prop, str(path), tmp_path,
                           ["--column", "maandloon", "--column", "deler", "--value", "maandloon"])
    check(got, want)
    assert list(got["uitkomst"]).count("fout") == 2 and got.loc[3, "fout"].startswith("invoer: eerste_ao_dag: ")
    assert got["deler_verschil"].dtype == "Int64"


def test_a_hand_derived_difference():
    # tests/compare/basis: dagloon = loon in the reference year / 261, rounded to the cent; its proposal:
    # / (261 - 21.75 x the months without wage), rounded down. Ten months of 2000.00 and two of 0.00:
    # base 20000.00 / 261 = 76.628... -> 76.63; proposal 20000.00 / (261 - 43.5) = 20000 / 217.5 = 91.954... ->
    # 91.95; both under the maximumdagloon of 2023 (256.54): verschil 91.95 - 76.63 = 15.32, beter.
    maanden = [f"2022-{m:02d}-01" for m in range(3, 13)] + ["2023-01-01", "2023-02-01"]
    loon = [{"maand": m, "sv_loon": "0.00" if i in (5, 6) else "2000.00"} for i, m in enumerate(maanden)]
    df = pandas.DataFrame([{"id": "H-1", "eerste_ao_dag": "2023-03-14", "referte_begin": "2022-03-01",
                            "referte_einde": "2023-02-28", "sector": "zorg", "loon": loon, "gewicht": 1}])
    got = dagloon.compare(os.path.join(ROOT, "tests/compare/basis"), os.path.join(ROOT, "tests/compare/voorstel"), df)
    row = got.iloc[0]
    assert row["uitkomst"] == "beter"
    assert (row["dagloon_basis"], row["dagloon_voorstel"]) == (decimal.Decimal("76.63"), decimal.Decimal("91.95"))
    assert type(row["dagloon_verschil"]) is decimal.Decimal and str(row["dagloon_verschil"]) == "15.32"
    assert row["loonloze_maanden_verschil"] == 0 and row["loon_in_referteperiode_basis"] == decimal.Decimal("20000.00")


def test_rule_sets_that_read_other_dossiers_are_refused():
    with pytest.raises(dagloon.DagloonError) as e:
        dagloon.compare(WIA, os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules"),
                        read_jsonl(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl")))
    assert e.value.code == "ARGUMENT"
