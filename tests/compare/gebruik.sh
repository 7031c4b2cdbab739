#!/bin/sh
# Rule sets that use rule sets, on real rules: rules/wia, and a proposal on it, each used as a
# module (tests/compare/gebruik/*.rules: 'gebruik ... als wia met dossier') must give, dossier by
# dossier, the same values and the same error rows as the set run on its own, over a generated
# population (tools/gen_population.py, with the benefit fields) whose dossiers are nested under
# 'dossier'.
#   sh tests/compare/gebruik.sh build/dagloon [OUTDIR] [N]
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/gebruik
N=${3:-500}
mkdir -p "$OUT"
python3 tools/gen_population.py "$N" 7 --uitkering 500 --art19 100 --art20 100 --art22 100 \
  --hulpbehoevend 100 --vanaf 2013-01-01 --tot 2027-06-30 > "$OUT/wia.jsonl" || { echo "FAIL: gen_population"; exit 1; }
python3 - "$OUT/wia.jsonl" "$OUT/genest.jsonl" <<'PY' || { echo "FAIL: nesting the population"; exit 1; }
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        d = json.loads(line)
        o.write(json.dumps({"id": d["id"], "dossier": d}) + "\n")
PY
status=0
for spec in "wia rules/wia" "voorstel rules/voorstellen/twaalf_maanden_loon"; do
  set -- $spec
  "$BIN" run "$2" "$OUT/wia.jsonl" -o "$OUT/$1-zelf.csv" --errors "$OUT/$1-zelf-fouten.csv" 2>/dev/null
  st1=$?
  "$BIN" run "tests/compare/gebruik/$1.rules" "$OUT/genest.jsonl" -o "$OUT/$1-gebruikt.csv" \
    --errors "$OUT/$1-gebruikt-fouten.csv" 2>/dev/null
  st2=$?
  if ! same=$(python3 - "$OUT/$1-zelf.csv" "$OUT/$1-gebruikt.csv" "$OUT/$1-zelf-fouten.csv" "$OUT/$1-gebruikt-fouten.csv" <<'PY'
import csv, sys
own = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
used = {r["id"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = [i for i in own if i not in used or any(used[i]["wia." + k] != v for k, v in own[i].items()
                                              if "wia." + k in used[i])]
errs = [sorted(r["id"] for r in csv.DictReader(open(p))) for p in sys.argv[3:5]]
if bad or len(own) != len(used) or errs[0] != errs[1]:
    print("differ:", bad[:5], len(own), len(used), len(errs[0]), len(errs[1]))
    sys.exit(1)
print(f"{len(own)} rows, {len(errs[0])} error rows")
PY
  ); then
    echo "FAIL: $2 used as a rule set differs from $2 itself: $same ($OUT/$1-*.csv)"
    status=1
  elif [ "$st1" != "$st2" ]; then
    echo "FAIL: $2: exit $st1 on its own, $st2 used"; status=1
  else
    echo "gebruik $2: $N dossiers, the same as on its own ($same)"
  fi
done
exit $status
