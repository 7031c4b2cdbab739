"""tests/pg/jsonb_form.py RUN.JSONL: the rows of `dagloon run --format jsonl` in jsonb's text form, one a line
(keys by length then bytes, ", " and ": " between, numbers as written), so that rows PostgreSQL gives
as jsonb compare byte for byte with the command's (tests/pg/run.sh, tests/pg/shards.sh)."""
import json
import sys


class Num(str):
    """a number kept as written (jsonb keeps numeric's digits)"""


def fmt(v):
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: (len(k.encode()), k.encode()))
        return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + fmt(v[k]) for k in keys) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, Num):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


for line in open(sys.argv[1], encoding="utf-8"):
    print(fmt(json.loads(line, parse_int=Num, parse_float=Num)))
