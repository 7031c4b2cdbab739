#!/usr/bin/python3
# Validates SARIF logs against the SARIF 2.1.0 JSON schema beside this file
# (sarif-schema-2.1.0.json, from https://github.com/oasis-tcs/sarif-spec,
# sarif-2.1/schema/sarif-schema-2.1.0.json at e0583813964ec43cea53b6b531b402866095ed1f;
# its "id" is the OASIS errata01 location). Debian's python3-jsonschema, no network.
#
#   validate.py LOG...       each must be valid
#   validate.py --self-test  the validator must reject logs that break the schema
import copy
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
    SCHEMA = json.load(f)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)


def errors(doc):
    return sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))


def self_test(log):
    """A validator that accepts anything proves nothing: each of these breaks the schema."""
    with open(log, encoding="utf-8") as f:
        good = json.load(f)
    breaks = {
        "a level SARIF does not have": lambda d: d["runs"][0]["results"][0].__setitem__("level", "fatal"),
        "a line 0": lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        .__setitem__("startLine", 0),
        "no message": lambda d: d["runs"][0]["results"][0].pop("message"),
        "another version": lambda d: d.__setitem__("version", "2.0.0"),
    }
    bad = 0
    for what, brk in breaks.items():
        doc = copy.deepcopy(good)
        brk(doc)
        if not errors(doc):
            print(f"FAIL self-test: a log with {what} passed the schema")
            bad += 1
    return bad


def main(argv):
    if argv[:1] == ["--self-test"]:
        return 1 if self_test(argv[1]) else 0
    bad = 0
    for log in argv:
        with open(log, encoding="utf-8") as f:
            doc = json.load(f)
        for e in errors(doc)[:5]:
            print(f"FAIL {log}: {'/'.join(map(str, e.path))}: {e.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
