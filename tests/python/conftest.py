"""Fixtures of the Python module's tests (run.sh runs them in a fresh venv with the module installed).

The command `dagloon` is the reference: the module must give what the command gives. DAGLOON_BIN names it,
DAGLOON_LIB the library the module loads, both from the build under test (run.sh sets them)."""
import csv
import decimal
import fractions
import datetime
import json
import os
import subprocess

import pandas
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def dagloon_bin():
    return os.environ.get("DAGLOON_BIN", os.path.join(ROOT, "build", "dagloon"))


def read_jsonl(path):
    """A population as the module takes it: every cell as written (strings stay strings, lists stay lists)."""
    with open(path, encoding="utf-8") as f:
        return pandas.DataFrame([json.loads(line) for line in f if line.strip()])


def command(args, ok=(0, 3)):
    p = subprocess.run(args, capture_output=True, text=True)
    assert p.returncode in ok, f"{args}: exit {p.returncode}\n{p.stderr}"
    return p


def expected_value(kind, v):
    """The command's JSON value read by these tests' own rules (not the module's): geld exact, getal exact."""
    if v is None:
        return None
    if kind in ("geld", "getal"):
        return fractions.Fraction(v)
    if kind in ("geheel", "dagen", "maanden", "jaren"):
        return int(v)
    if kind == "datum":
        return datetime.date.fromisoformat(v)
    if kind == "periode":
        return tuple(datetime.date.fromisoformat(d) for d in v.split("/"))
    return v


def read_errors_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def population(tmp_path_factory):
    """A generated WIA population of 300 dossiers (tools/gen_population.py, seed 7)."""
    p = tmp_path_factory.mktemp("pop") / "wia.jsonl"
    with open(p, "w") as f:
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "gen_population.py"), "300", "7"],
                       stdout=f, check=True)
    return str(p)
