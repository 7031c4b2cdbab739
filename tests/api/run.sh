#!/bin/sh
# tests/api/run.sh BUILD: libdagloon's tests (make test-run).
#  1. the example and these tests include only dagloon.h (no runtime/ or lang/ header);
#  2. libdagloon.so exports only dagloon_* symbols, libdagloon.a defines no other global;
#  3. the command (BUILD/dagloon) writes what the API must equal: rows of run --format jsonl,
#     error rows, bundles, explanations -- into BUILD/api -- and the Criterion tests compare;
#  4. the example program runs on rules/wia.
set -eu
BUILD=${1:-build}
D=$BUILD/api
DAGLOON=$BUILD/dagloon
rm -rf "$D" && mkdir -p "$D"

# 1. nothing but dagloon.h (and the tests' own api_test.h) from this project
bad=$(grep -Hn '^[[:space:]]*#[[:space:]]*include' tools/api/examples/*.c tests/api/*.c tests/api/*.h \
        | grep -v '<[^>]*>' | grep -v '"dagloon.h"' | grep -v '"api_test.h"' || true)
bad2=$(grep -Hn '^[[:space:]]*#[[:space:]]*include.*\(runtime/\|lang/\|tools/\)' tools/api/examples/*.c tests/api/*.c \
         tests/api/*.h || true)
if [ -n "$bad$bad2" ]; then
  echo "error: the API's example and tests may include only dagloon.h:"; echo "$bad$bad2"; exit 1
fi

# 2. the exported symbols
extra=$(nm -D --defined-only "$BUILD/libdagloon.so.0" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | grep -v '^dagloon_' || true)
if [ -n "$extra" ]; then echo "error: libdagloon.so exports more than dagloon_*:"; echo "$extra" | head; exit 1; fi
for f in dagloon_rules_load dagloon_evaluate dagloon_explain dagloon_error_message dagloon_version; do
  nm -D --defined-only "$BUILD/libdagloon.so.0" | sed 's/@.*//' | grep -q " T $f\$" || { echo "error: libdagloon.so lacks $f"; exit 1; }
done
[ "$(readelf -d "$BUILD/libdagloon.so.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = libdagloon.so.0 ] \
  || { echo "error: libdagloon.so.0 has no soname libdagloon.so.0"; exit 1; }
extra=$(nm -g --defined-only "$BUILD/libdagloon.a" | awk 'NF == 3 {print $3}' | grep -v '^dagloon_' || true)
if [ -n "$extra" ]; then echo "error: libdagloon.a defines globals besides dagloon_*:"; echo "$extra" | head; exit 1; fi

# 3. what the command gives. wia: its population, 200 generated dossiers, 5 that fail in a rule
#    (einde_opzegtermijn without einde_dienstbetrekking_zonder_opzegtermijn) and 2 that cannot be read.
run() {   # run RULES NAME: NAME.out.jsonl and NAME.errors.csv from NAME.in.jsonl
  st=0
  "$DAGLOON" run "$1" "$D/$2.in.jsonl" --format jsonl -o "$D/$2.out.jsonl" --errors "$D/$2.errors.csv" \
    --threads 1 2>"$D/$2.log" || st=$?
  [ $st -eq 0 ] || [ $st -eq 3 ] || { cat "$D/$2.log"; echo "error: dagloon run $1 exited $st"; exit 1; }
}
cp rules/wia/populatie.jsonl "$D/wia.in.jsonl"
python3 tools/gen_population.py 200 7 > "$D/gen.jsonl"
cat "$D/gen.jsonl" >> "$D/wia.in.jsonl"
head -5 "$D/gen.jsonl" | sed -e 's/^{"id": "G/{"id": "F/' -e 's/^{/{"einde_opzegtermijn": "2019-05-01", /' \
  > "$D/fout.jsonl"
cat "$D/fout.jsonl" >> "$D/wia.in.jsonl"
head -1 "$D/gen.jsonl" | sed -e 's/"id": "G/"id": "B/' -e 's/"eerste_ao_dag": "[0-9-]*"/"eerste_ao_dag": "2023-02-30"/' \
  >> "$D/wia.in.jsonl"
echo '{"id": "B2", "eerste_ao_dag": ' >> "$D/wia.in.jsonl"
run rules/wia wia
[ "$(wc -l < "$D/wia.errors.csv")" -eq 8 ] || { cat "$D/wia.errors.csv"; echo "error: expected 7 error rows"; exit 1; }
cp rules/herstel/populatie.jsonl "$D/herstel.in.jsonl"
run rules/herstel herstel
"$DAGLOON" compile rules/wia -o "$D/wia.bundle" 2>/dev/null
python3 - "$D/wia.bundle" "$D/damaged.bundle" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) // 2] ^= 0x5a   # one byte in the body: the checksum no longer matches
open(sys.argv[2], 'wb').write(b)
PY
explain() {   # explain NAME LINE: the dossier on LINE of wia.in.jsonl explained by the command
  sed -n "$2p" "$D/wia.in.jsonl" > "$D/$1.one.jsonl"
  id=$(sed 's/.*"id": "\([^"]*\)".*/\1/' "$D/$1.one.jsonl")
  st=0
  "$DAGLOON" explain rules/wia "$D/$1.one.jsonl" --id "$id" --format json > "$D/$1.explain.json" || st=$?
  [ $st -eq 0 ] || [ $st -eq 3 ] || { echo "error: dagloon explain $id exited $st"; exit 1; }
}
explain wia 1
explain wia_fout 282

# the tests; Criterion's children may report to the sanitizers without failing, so the log is searched
st=0
DAGLOON_API_DATA=$D "$BUILD/api-tests" --jobs 2 >"$D/tests.log" 2>&1 || st=$?
cat "$D/tests.log"
if grep -q "Sanitizer" "$D/tests.log"; then echo "error: sanitizer reports in the API tests"; exit 1; fi
[ $st -eq 0 ] || exit $st

# 4. the example: the first dossier's dagloon and the start of its explanation
"$BUILD/dagloon-example" rules/wia rules/wia/populatie.jsonl > "$D/example.out"
grep -q '^dagloon: "223.40"$' "$D/example.out" && grep -q '"dossier": "art-18-lid-2-oud"' "$D/example.out" \
  || { cat "$D/example.out"; echo "error: the example did not print the first dossier's dagloon"; exit 1; }
echo "api: ok (include check, exported symbols, tests, example)"
