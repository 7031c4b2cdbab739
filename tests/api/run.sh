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
foreign_includes() {   # the include lines of the files given that name another header of the project
  grep -Hn '^[[:space:]]*#[[:space:]]*include' "$@" | grep -v '<[^>]*>' | grep -v '"dagloon.h"' \
    | grep -v '"api_test.h"' || true
  grep -Hn '^[[:space:]]*#[[:space:]]*include.*\(runtime/\|lang/\|tools/\)' "$@" || true
}
bad=$(foreign_includes tools/api/examples/*.c tests/api/*.c tests/api/*.h)
if [ -n "$bad" ]; then echo "error: the API's example and tests may include only dagloon.h:"; echo "$bad"; exit 1; fi
# (the check itself: it finds each kind of include it must refuse)
printf '#include "runtime/vm.h"\n#include <lang/front.h>\n#include "../../tools/cli.h"\n#include "dagloon.h"\n' > "$D/bad.c"
[ "$(foreign_includes "$D/bad.c" | sort -u | wc -l)" -eq 3 ] || { echo "error: the include check misses includes"; exit 1; }

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

# 2b. the library's memory is runtime/mem.c's, so that dagloon_set_allocator sees every block: no
#     object of libdagloon but mem.o calls libc's allocator; the libc memory it is handed
#     (open_memstream's text) is freed with free() where it is made, and json_dumps' text goes back
#     by jsonmem_free (tests/api/test_allocator.c checks the blocks at run time)
ALLOC_SYMS='malloc|calloc|realloc|reallocarray|free|strdup|strndup|realpath|asprintf|vasprintf|getline|getdelim'
ALLOC_SYMS="$ALLOC_SYMS|open_memstream|open_wmemstream|aligned_alloc|posix_memalign|json_dumps|malloc_usable_size|scandir|canonicalize_file_name"
libc_allocs() {   # libc_allocs DIR OBJECT...: "object symbol" (its path under DIR) for each call of one of ALLOC_SYMS
  dir=$1; shift
  for o in "$@"; do nm -u "$o" | awk -v o="${o#"$dir"/}" '{print o, $2}'; done | grep -E " ($ALLOC_SYMS)\$" | sort || true
}
allowed='runtime/jsonmem.o malloc_usable_size
runtime/mem.o calloc
runtime/mem.o free
runtime/mem.o malloc
runtime/mem.o realloc
runtime/mem.o realpath
tools/api/dagloon.o free
tools/api/dagloon.o open_memstream
tools/api/evaluate.o free
tools/api/evaluate.o open_memstream
tools/explain.o json_dumps
tools/tracefile.o free
tools/tracefile.o open_memstream'
got=$(libc_allocs "$BUILD/pic" $(find "$BUILD/pic" -name '*.o' ! -name 'libdagloon-all.o'))
if [ "$got" != "$allowed" ]; then
  echo "error: libdagloon's objects call libc's allocator otherwise than runtime/mem.c (x* and xfree) allows:"
  printf '%s\n' "$got" > "$D/allocs.got"; printf '%s\n' "$allowed" | diff - "$D/allocs.got"; exit 1
fi
# (the check itself: a free() in an object is found)
printf '#include <stdlib.h>\nvoid f(void *p);\nvoid f(void *p) { free(p); }\n' > "$D/bad.c"
mkdir -p "$D/pic" && cc -c -o "$D/pic/bad.o" "$D/bad.c"
[ "$(libc_allocs "$D/pic" "$D/pic/bad.o")" = "bad.o free" ] || { echo "error: the allocator check misses a free()"; exit 1; }

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

# dagloon compile --trace: a bundle that explains; its explanation is the rule files' one but for
# "rules" (the RULES argument as given); a plain bundle refuses to explain; a damaged traced one is refused
"$DAGLOON" compile --trace rules/wia -o "$D/wia.traced.bundle" 2>/dev/null
cp "$D/wia.one.jsonl" "$D/wia_bundle.one.jsonl"
id=$(sed 's/.*"id": "\([^"]*\)".*/\1/' "$D/wia.one.jsonl")
"$DAGLOON" explain "$D/wia.traced.bundle" "$D/wia_bundle.one.jsonl" --id "$id" --format json > "$D/wia_bundle.explain.json"
"$DAGLOON" explain "$D/wia.traced.bundle" "$D/wia.one.jsonl" --id "$id" --format json > "$D/b.json"
grep -v '^  "rules": ' "$D/wia.explain.json" > "$D/a.json"
grep -v '^  "rules": ' "$D/b.json" > "$D/b2.json" && mv "$D/b2.json" "$D/b.json"
cmp -s "$D/a.json" "$D/b.json" && [ "$(wc -l < "$D/a.json")" -gt 100 ] \
  || { diff "$D/a.json" "$D/b.json" | head; echo "error: the traced bundle explains otherwise than the rule files"; exit 1; }
grep -q "^  \"rules\": \"$D/wia.traced.bundle\",\$" "$D/wia_bundle.explain.json" \
  || { echo "error: the bundle's explanation does not name the bundle"; exit 1; }
refused() {   # refused BUNDLE TEXT: explain from BUNDLE exits 2 saying TEXT, writing nothing
  st=0
  "$DAGLOON" explain "$1" "$D/wia.one.jsonl" --id "$id" --format json >"$D/refused.out" 2>"$D/refused.err" || st=$?
  [ $st -eq 2 ] && [ ! -s "$D/refused.out" ] && grep -q "$2" "$D/refused.err" \
    || { cat "$D/refused.err"; echo "error: explain $1: exit $st, not 2 with '$2'"; exit 1; }
}
# run --explain from the traced bundle: the same explanations as from the rule files, but for "rules"
"$DAGLOON" run rules/wia "$D/fout.jsonl" --explain "$D/x1.jsonl" -o /dev/null 2>/dev/null || true
"$DAGLOON" run "$D/wia.traced.bundle" "$D/fout.jsonl" --explain "$D/x2.jsonl" -o /dev/null 2>/dev/null || true
sed 's/"rules":"[^"]*",//' "$D/x1.jsonl" > "$D/x1n.jsonl"
sed 's/"rules":"[^"]*",//' "$D/x2.jsonl" > "$D/x2n.jsonl"
[ "$(wc -l < "$D/x1n.jsonl")" -eq 5 ] && cmp -s "$D/x1n.jsonl" "$D/x2n.jsonl" \
  || { echo "error: run --explain from the traced bundle differs from the rule files'"; exit 1; }
st=0
"$DAGLOON" run "$D/wia.bundle" "$D/fout.jsonl" --explain "$D/x3.jsonl" -o /dev/null 2>"$D/x3.err" || st=$?
[ $st -eq 2 ] && grep -q "has no trace points" "$D/x3.err" || { echo "error: run --explain on a plain bundle"; exit 1; }
refused "$D/wia.bundle" "has no trace points, so it cannot explain: make it with 'dagloon compile --trace"
python3 - "$D/wia.traced.bundle" "$D" <<'PY'
import sys, struct
b = bytes(open(sys.argv[1], 'rb').read())
def fnv(data):
    h = 0xcbf29ce484222325
    for x in data:
        h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h
def resealed(x):   # the checksum made right again, so that what follows it is checked
    return x[:-8] + struct.pack('<Q', fnv(x[:-8]))
damaged = bytearray(b); damaged[len(b) - 200] ^= 0x5a          # a byte of the traced body
open(sys.argv[2] + '/damaged_traced.bundle', 'wb').write(damaged)
n = len(b)
# the traced length is the u64 just before the traced body: find it from the plain body's length
eng_len = struct.unpack_from('<I', b, 20)[0]
blen_at = 24 + eng_len
blen = struct.unpack_from('<Q', b, blen_at)[0]
tlen_at = blen_at + 8 + blen
tlen = struct.unpack_from('<Q', b, tlen_at)[0]
assert tlen == n - tlen_at - 16 and tlen > 0, (tlen, n, tlen_at)
longer = bytearray(b); struct.pack_into('<Q', longer, tlen_at, tlen + 1)
open(sys.argv[2] + '/longer_traced.bundle', 'wb').write(resealed(bytes(longer)))
old = bytearray(b); struct.pack_into('<I', old, 8, 5)              # format 5: before traced bodies
open(sys.argv[2] + '/format5.bundle', 'wb').write(resealed(bytes(old)))
PY
refused "$D/damaged_traced.bundle" "the bundle is damaged (checksum mismatch)"
refused "$D/longer_traced.bundle" "the bundle is truncated or has bytes added"
refused "$D/format5.bundle" "with another bundle format; this engine cannot run it: compile the rules again"

# dagloon_rules_hash is a run receipt's "compiled" sha256; dagloon_explain_html the command's page
"$DAGLOON" run rules/wia "$D/wia.one.jsonl" --format jsonl -o /dev/null --receipt "$D/wia.receipt.json" 2>/dev/null
python3 -c 'import json, sys; print([f["sha256"] for f in json.load(open(sys.argv[1]))["files"] if f["role"] == "compiled"][0])' \
  "$D/wia.receipt.json" > "$D/wia.compiled.sha256"
id=$(sed 's/.*"id": "\([^"]*\)".*/\1/' "$D/wia.one.jsonl")
"$DAGLOON" explain rules/wia "$D/wia.one.jsonl" --id "$id" --format html > "$D/wia.explain.html"

# the batch API (test_batch.c): what `dagloon run` writes for the same inputs and options
B="$DAGLOON run rules/wia $D/wia.in.jsonl --threads 1"
st=0; $B -o "$D/batch.out.csv" --errors "$D/batch.errors.csv" 2>/dev/null || st=$?
[ $st -eq 3 ] || { echo "error: run to CSV exited $st, not 3"; exit 1; }
st=0; $B --format jsonl -o "$D/batch.lines.out.jsonl" 2>"$D/batch.stderr" || st=$?
[ $st -eq 3 ] || { echo "error: run with error lines exited $st, not 3"; exit 1; }
grep -v '^dagloon: ' "$D/batch.stderr" > "$D/batch.lines"   # the error lines, without run's own summary line
[ "$(wc -l < "$D/batch.lines")" -eq 7 ] || { cat "$D/batch.stderr"; echo "error: expected 7 error lines"; exit 1; }
st=0; $B --format jsonl -o "$D/batch.failfast.jsonl" --errors "$D/batch.failfast.errors.csv" --fail-fast 2>/dev/null || st=$?
[ $st -eq 3 ] || { echo "error: run --fail-fast exited $st, not 3"; exit 1; }
st=0; $B -o "$D/batch.limits.csv" --errors "$D/batch.limits.errors.csv" --max-steps 200 2>/dev/null || st=$?
[ $st -eq 3 ] || { echo "error: run --max-steps 200 exited $st, not 3"; exit 1; }
st=0; $DAGLOON run tests/golden/run/unverified_csv tests/golden/run/unverified_csv/input.csv -o "$D/batch.marked.jsonl" \
  --format jsonl --errors /dev/null --mark-unverified --threads 1 2>/dev/null || st=$?
[ $st -eq 3 ] || { echo "error: run --mark-unverified exited $st, not 3"; exit 1; }
st=0; $DAGLOON run tests/golden/run/csv_safe/rules.rules tests/golden/run/csv_safe/input.csv -o "$D/batch.safe.csv" \
  --errors "$D/batch.safe.errors.csv" --csv-safe --threads 1 2>/dev/null || st=$?
[ $st -eq 3 ] || { echo "error: run --csv-safe exited $st, not 3"; exit 1; }
$DAGLOON run rules/bench/herstel.rules tests/bench/sample.csv -o "$D/batch.sample.jsonl" --threads 1 2>/dev/null
python3 tools/gen_population.py 3000 11 > "$D/batch.big.jsonl"
$DAGLOON run rules/wia "$D/batch.big.jsonl" --format jsonl -o "$D/batch.big.out.jsonl" --threads 1 2>/dev/null

# the tests; Criterion's children may report to the sanitizers without failing, so the log is searched
# (one job: with two, Criterion's own runner leaks 48 bytes that LeakSanitizer reports)
st=0
DAGLOON_API_DATA=$D "$BUILD/api-tests" --jobs 1 >"$D/tests.log" 2>&1 || st=$?
cat "$D/tests.log"
if grep -q "Sanitizer" "$D/tests.log"; then echo "error: sanitizer reports in the API tests"; exit 1; fi
[ $st -eq 0 ] || exit $st

# 4. the example: the first dossier's dagloon and the start of its explanation
"$BUILD/dagloon-example" rules/wia rules/wia/populatie.jsonl > "$D/example.out"
grep -q '^dagloon: "223.40"$' "$D/example.out" && grep -q '"dossier": "art-18-lid-2-oud"' "$D/example.out" \
  || { cat "$D/example.out"; echo "error: the example did not print the first dossier's dagloon"; exit 1; }
# ... and linked with the static library
"$BUILD/dagloon-example-static" rules/wia rules/wia/populatie.jsonl > "$D/example-static.out"
cmp -s "$D/example.out" "$D/example-static.out" || { echo "error: the static example prints otherwise"; exit 1; }
echo "api: ok (include check, exported symbols, tests, example)"
