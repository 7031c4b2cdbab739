"""Loading: the cache, rule errors as DagloonError with every field, finding the library."""
import decimal
import os
import shutil
import subprocess
import sys

import pytest

import dagloon
from dagloon.rules import rule_set
from conftest import ROOT


SMALL = "invoer D sleutel id {\n  id: tekst\n  a: geld\n}\nregel x: geld\n  = a + € 1,00\nuitvoer { id, x }\n"


def test_a_rule_set_is_loaded_once_and_again_after_a_change(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    (d / "x.rules").write_text(SMALL)
    a = rule_set(str(d))
    assert rule_set(str(d)) is a and rule_set([str(d)]) is a
    assert dagloon.run(str(d), [{"id": "1", "a": "2.50"}])["x"].tolist() == [decimal.Decimal("3.50")]
    (d / "x.rules").write_text(SMALL.replace("€ 1,00", "€ 2,00"))
    os.utime(d / "x.rules", ns=(1, 1))   # another size and modification time
    assert rule_set(str(d)) is not a
    assert dagloon.run(str(d), [{"id": "1", "a": "2.50"}])["x"].tolist() == [decimal.Decimal("4.50")]
    dagloon.clear_cache()


def test_rule_errors(tmp_path):
    bad = tmp_path / "fout.rules"
    bad.write_text("invoer D sleutel id {\n  id: tekst\n}\nregel x: geld\n  = onbekend + 1\nuitvoer { id, x }\n")
    with pytest.raises(dagloon.DagloonError) as e:
        dagloon.RuleSet(str(bad))
    assert e.value.code == "RULES" and e.value.status == 3
    assert e.value.location.startswith(str(bad) + ":5:") and "onbekend" in e.value.message


def test_a_missing_rule_set():
    with pytest.raises(dagloon.DagloonError) as e:
        dagloon.RuleSet("/nonexistent/rules")
    assert e.value.code == "LOAD"


def test_the_library_named_by_DAGLOON_LIB():
    code = "import dagloon\ntry:\n    dagloon.version()\nexcept dagloon.DagloonError as e:\n    print(e.code)\n"
    env = dict(os.environ, DAGLOON_LIB="/nonexistent/libdagloon.so.0")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd="/")
    assert p.stdout.strip() == "LOAD", p.stderr
    assert os.path.samefile(dagloon.library_path(), os.environ.get("DAGLOON_LIB", dagloon.library_path()))


def test_the_schema_with_labels_and_sources():
    s = dagloon.schema(os.path.join(ROOT, "rules/wia"))
    row = s[(s.kant == "uitvoer") & (s.naam == "dagloon_referteperiode")].iloc[0]
    # rules/wia/dagloon.rules: `regel dagloon_referteperiode: geld label "het dagloon uit uw loon van het jaar
    # voordat u ziek werd"`, its version from 2022-01-01 citing DB art 16 lid 1
    assert row.type == "geld" and row.label == "het dagloon uit uw loon van het jaar voordat u ziek werd"
    # (bron DB = "Dagloonbesluit werknemersverzekeringen", BWBR0033471: rules/wia/bronnen.rules)
    assert "Dagloonbesluit werknemersverzekeringen (BWBR0033471) art 16 lid 1" in row.bron
    key = s[s.sleutel]
    assert list(key.naam) == ["id"] and list(key.kant) == ["invoer"]
    assert set(s[s.kant == "invoer"].naam) >= {"eerste_ao_dag", "loon", "overeengekomen_loon"}
    assert s[s.naam == "overeengekomen_loon"].optioneel.iloc[0]
