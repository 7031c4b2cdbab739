"""dagloon.explain against `dagloon explain RULES INPUT --id ID --format json`."""
import json
import os

import pytest

import dagloon
from conftest import ROOT, command, read_jsonl


@pytest.mark.parametrize("rules,path,n", [("rules/wia", "rules/wia/populatie.jsonl", 0),
                                          ("rules/wia", "rules/wia/populatie.jsonl", 40),
                                          ("rules/voorbeeld/wia_dagloon.rules", "rules/voorbeeld/dossiers.jsonl", 1)])
def test_equal_to_the_commands(dagloon_bin, rules, path, n, tmp_path):
    line = open(os.path.join(ROOT, path)).read().splitlines()[n]
    one = tmp_path / "een.jsonl"   # the dossier as the first line of its input: the command's explanation, byte for byte
    one.write_text(line + "\n")
    rules = os.path.join(ROOT, rules)
    ident = json.loads(line)["id"]
    want = json.loads(command([dagloon_bin, "explain", rules, str(one), "--id", ident, "--format", "json"]).stdout)
    row = read_jsonl(str(one)).iloc[0]   # a DataFrame row, as a notebook has it
    assert dagloon.explain(rules, row, input_name=str(one)) == want
    assert dagloon.explain(rules, line, input_name=str(one)) == want


def test_a_dossier_that_cannot_be_read():
    with pytest.raises(dagloon.DagloonError) as e:
        dagloon.explain(os.path.join(ROOT, "rules/voorbeeld/wia_dagloon.rules"), {"id": "X"})
    assert e.value.code == "INPUT" and e.value.record in ("X", "") and e.value.field
