"""dagloon.run against `dagloon run --format jsonl` and --errors, and against hand derivations."""
import datetime
import decimal
import fractions
import json
import os

import pandas
import pytest

import dagloon
from conftest import ROOT, command, expected_value, read_errors_csv, read_jsonl

SAMPLES = [("rules/wia", "rules/wia/populatie.jsonl"),
           ("rules/voorbeeld/wia_dagloon.rules", "rules/voorbeeld/dossiers.jsonl"),
           ("rules/herstel", "rules/herstel/populatie.jsonl")]


def same(kind, got, want):
    if want is None:
        return got is None or pandas.isna(got)
    if kind in ("geld", "getal"):
        return isinstance(got, (decimal.Decimal, fractions.Fraction)) and fractions.Fraction(got) == want
    if kind == "periode":
        return (got.begin, got.eind) == want
    if kind == "gegevens" or kind == "lijst":
        return True   # compared below as JSON text
    return got == want and (kind != "waarheid" or isinstance(got, (bool,)) or str(got) in ("True", "False"))


def check_against_command(dagloon_bin, rules, path, tmp_path, steps=0):
    rules, path = os.path.join(ROOT, rules), os.path.join(ROOT, path) if not os.path.isabs(path) else path
    errs = tmp_path / "errors.csv"
    p = command([dagloon_bin, "run", rules, path, "--format", "jsonl", "--errors", str(errs)] +
                (["--max-steps", str(steps)] if steps else []))
    want = [json.loads(line) for line in p.stdout.splitlines()]
    errors = read_errors_csv(errs)
    got = dagloon.run(rules, read_jsonl(path), max_steps=steps)
    kinds = {c.name: c.kind for c in dagloon.RuleSet(rules).outputs}
    ok = got[got.fout.isna()]
    assert len(ok) == len(want) and len(got) == len(want) + len(errors)
    for (_, g), w in zip(ok.iterrows(), want):
        for k, v in w.items():
            assert same(kinds[k], g[k], expected_value(kinds[k], v)), (w["id"] if "id" in w else w, k, g[k], v)
    bad = got[got.fout.notna()]
    assert list(bad.index) == [int(e["record"]) - 1 for e in errors]
    for (_, g), e in zip(bad.iterrows(), errors):
        assert (g["id"], g.fout, g.fout_veld, g.fout_regel) == (e["id"], e["reason"], e["field"], e["rule"])
        # a dossier that cannot be read has no place in the rule files; the command names its input line,
        # the DataFrame its index (checked above)
        assert g.fout_plaats == ("" if g.fout_code == "INPUT" else e["location"])
    return got


@pytest.mark.parametrize("rules,path", SAMPLES)
def test_rows_equal_the_commands(dagloon_bin, rules, path, tmp_path):
    got = check_against_command(dagloon_bin, rules, path, tmp_path)
    assert len(got) > 0


def test_a_generated_population(dagloon_bin, population, tmp_path):
    check_against_command(dagloon_bin, "rules/wia", population, tmp_path)


def test_types_and_a_hand_derived_dagloon():
    got = dagloon.run(os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules"),
                      read_jsonl(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl")))
    d1 = got.iloc[0]
    # D-001: 12 months of SV-loon 3000.00 in the reference year = 36000.00; over the deler of 261 days:
    # 36000 / 261 = 137.9310..., rounded to the cent 137.93; under the maximum 274.44 of 2024, so not capped.
    assert d1["id"] == "D-001"
    assert d1["loon_in_referteperiode"] == decimal.Decimal("36000.00")
    assert type(d1["dagloon"]) is decimal.Decimal and d1["dagloon"] == decimal.Decimal("137.93")
    assert str(d1["dagloon"]) == "137.93"
    assert d1["begrensd"] == False   # noqa: E712 (a numpy/pandas truth value)
    # D-002: 12 x 8500.00 = 102000.00; 102000 / 261 = 390.80 > 274.44: capped at the maximum.
    d2 = got.iloc[1]
    assert d2["dagloon"] == decimal.Decimal("274.44") and d2["begrensd"] == True   # noqa: E712
    money = [c.name for c in dagloon.RuleSet(os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules")).outputs
             if c.kind == "geld"]
    assert money and all(type(v) is decimal.Decimal for c in money for v in got[c])


def test_dates_periods_and_fractions():
    got = dagloon.run(os.path.join(ROOT, "rules/wia"), read_jsonl(os.path.join(ROOT, "rules/wia/populatie.jsonl")))
    row = got.iloc[0]   # art-18-lid-2-oud: eerste_ao_dag 2019-03-06 as the dossier says
    assert row["eerste_ao_dag"] == datetime.date(2019, 3, 6)
    assert row["referteperiode"] == (datetime.date(2018, 3, 1), datetime.date(2019, 2, 28))
    assert str(row["referteperiode"]) == "2018-03-01/2019-02-28"
    assert got["deler"].dtype == "Int64"
    # a getal without a finite decimal form is a Fraction, never rounded: the command writes 202200/7
    fr = [v for v in got["factor_a"] if isinstance(v, fractions.Fraction)]
    assert fractions.Fraction(202200, 7) in fr


def test_error_rows_are_kept_in_place(dagloon_bin, tmp_path):
    rules = os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules")
    rows = [json.loads(line) for line in open(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl"))]
    bad_date = dict(rows[1], id="X-datum", eerste_ao_dag="2023-02-30")
    missing = {k: v for k, v in rows[2].items() if k != "referte_begin"}
    missing["id"] = "X-mist"
    twice = dict(rows[0])
    dossiers = [rows[0], bad_date, rows[1], missing, twice, rows[2]]
    path = tmp_path / "fouten.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in dossiers))
    got = check_against_command(dagloon_bin, rules, str(path), tmp_path)
    assert list(got["fout_code"].fillna("")) == ["", "INPUT", "", "INPUT", "INPUT", ""]
    assert got.loc[1, "id"] == "X-datum" and got.loc[1, "fout_veld"] == "eerste_ao_dag"
    assert got.loc[4, "fout"] == "id 'D-001' was already used by record 1: every dossier needs its own"
    assert got.loc[1, "dagloon"] is None and got.loc[2, "dagloon"] == decimal.Decimal("274.44")


def test_a_computation_past_its_limit_is_an_error_row(dagloon_bin, tmp_path):
    got = check_against_command(dagloon_bin, "rules/wia", "rules/wia/populatie.jsonl", tmp_path, steps=50)
    assert (got["fout_code"] == "LIMIT").any() and got.loc[got.fout_code == "LIMIT", "fout_regel"].ne("").all()
    again = dagloon.run(os.path.join(ROOT, "rules/wia"), read_jsonl(os.path.join(ROOT, "rules/wia/populatie.jsonl")))
    assert again["fout"].isna().all()   # the limits were for that call only


def test_lists_as_json_text_and_a_broken_one():
    rules = os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules")
    df = read_jsonl(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl")).head(2)
    as_text = df.assign(loon=[json.dumps(v) for v in df["loon"]])
    assert dagloon.run(rules, as_text)["dagloon"].tolist() == dagloon.run(rules, df)["dagloon"].tolist()
    as_text.loc[1, "loon"] = '[{"maand": '
    got = dagloon.run(rules, as_text)
    assert got.loc[1, "fout_code"] == "INPUT" and got.loc[1, "fout_veld"] == "loon" and got.loc[0, "fout"] is None


def test_money_as_float_is_refused():
    rules = os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules")
    df = read_jsonl(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl")).head(1)
    loon = df.at[0, "loon"]
    df.at[0, "loon"] = [dict(m, sv_loon=float(m["sv_loon"])) for m in loon]
    with pytest.raises(TypeError, match="not exact"):
        dagloon.run(rules, df)
    df.at[0, "loon"] = [dict(m, sv_loon=decimal.Decimal(m["sv_loon"])) for m in loon]   # Decimal: fine
    assert dagloon.run(rules, df).loc[0, "dagloon"] == decimal.Decimal("137.93")


def test_dates_in_as_date_timestamp_or_text():
    rules = os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules")
    df = read_jsonl(os.path.join(ROOT, "rules/voorbeeld/dossiers.jsonl")).head(3)
    want = dagloon.run(rules, df)["dagloon"].tolist()
    as_dates = df.assign(eerste_ao_dag=[datetime.date.fromisoformat(d) for d in df["eerste_ao_dag"]])
    as_stamps = df.assign(eerste_ao_dag=pandas.to_datetime(df["eerste_ao_dag"]))
    assert dagloon.run(rules, as_dates)["dagloon"].tolist() == want
    assert dagloon.run(rules, as_stamps)["dagloon"].tolist() == want
    late = df.assign(eerste_ao_dag=pandas.to_datetime(df["eerste_ao_dag"]) + pandas.Timedelta(hours=9))
    got = dagloon.run(rules, late)
    assert (got["fout_veld"] == "eerste_ao_dag").all() and got["dagloon"].isna().all()
