#!/bin/sh
# The compact trace (docs/TRACE.md): `dagloon run --explain FILE.dtrace` and
# `dagloon explain RULES --trace FILE [--id ID]`. Expected values are never the renderer's own:
#   - for every dossier of rules/wia's and rules/herstel's sample populations: the dossier rendered
#     from the trace as text, JSON and HTML is byte for byte `dagloon explain RULES INPUT --id ID`
#     (the dossier computed again), with the same exit status; every dossier at once (no --id) is
#     byte for byte what `run --explain FILE --explain-format jsonl` writes;
#   - the letter (--format brief) of every repair dossier, from the trace and computed again;
#   - the explanation goldens (tests/golden/explain/SET/ID.txt|json, with their arguments):
#     rendered from a trace of SET's input, the golden file's bytes and exit status;
#   - a trace from rule files rendered with their bundle (compile --trace), and the other way;
#   - error rows in a trace run: a computation that fails, dossiers stopped by --max-steps, a
#     dossier that cannot be read (no explanation, as in JSON Lines): each the same as jsonl;
#   - refused, exit 2 and a reason: a file cut short (inside a record, and without its end record),
#     a changed byte (checksum), another rule set's trace, not a trace, an empty file, an unknown id;
#   - a write that fails (--explain /dev/full): exit 4.
# Run from the repository root: sh tests/trace/run.sh build/dagloon build
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/trace
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0
fail=0

check() {   # description status
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi
}

ids() {   # the ids of a JSON Lines population
  /usr/bin/python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip(): print(json.loads(line)["id"])' "$1"
}

# RULES INPUT TRACE ARGS...: explain ARGS from the trace is explain RULES INPUT ARGS (output and
# exit status); counts in n, differences in bad
same_as_direct() {
  r=$1 i=$2 t=$3
  shift 3
  "$BIN" explain "$r" "$i" "$@" >"$OUT/direct" 2>/dev/null
  st_d=$?
  "$BIN" explain "$r" --trace "$t" "$@" >"$OUT/rendered" 2>/dev/null
  st_r=$?
  n=$((n + 1))
  if ! cmp -s "$OUT/direct" "$OUT/rendered" || [ "$st_d" != "$st_r" ]; then
    bad=$((bad + 1))
    echo "  $r $*: differs from dagloon explain (exit $st_d, rendered $st_r)"
  fi
}

# SET RULES INPUT: every dossier from the trace beside the dossier computed again
population() {
  set_=$1 rules=$2 input=$3
  "$BIN" run "$rules" "$input" --explain "$OUT/$set_.dtrace" -o "$OUT/$set_.out" 2>/dev/null
  st_trace=$?
  "$BIN" run "$rules" "$input" --explain "$OUT/$set_.jsonl" -o "$OUT/$set_.out2" 2>/dev/null
  st_json=$?
  check "$set_: run gives the same exit status with either explanation format" $([ "$st_trace" = "$st_json" ]; echo $?)
  cmp -s "$OUT/$set_.out" "$OUT/$set_.out2"
  check "$set_: the rows do not depend on the explanation format" $?
  "$BIN" explain "$rules" --trace "$OUT/$set_.dtrace" -o "$OUT/$set_.all.jsonl" 2>"$OUT/err"
  st=$?
  cmp -s "$OUT/$set_.all.jsonl" "$OUT/$set_.jsonl"
  check "$set_: every dossier from the trace is run --explain's JSON Lines byte for byte" $?
  check "$set_: the exit status of every dossier rendered is run's ($st_json, got $st)" $([ "$st" = "$st_json" ]; echo $?)
  n=0 bad=0
  for id in $(ids "$input"); do
    for fmt in text json html; do
      same_as_direct "$rules" "$input" "$OUT/$set_.dtrace" --id "$id" --format "$fmt"
    done
  done
  check "$set_: $n explanations rendered from the trace are dagloon explain's, byte for byte" "$bad"
}

population wia rules/wia rules/wia/populatie.jsonl
population herstel rules/herstel rules/herstel/populatie.jsonl

# the letter (--format brief) of each repair dossier from the trace: the same HTML, or the same refusal
n=0 bad=0
for id in $(ids rules/herstel/populatie.jsonl); do
  rm -f "$OUT/direct.html" "$OUT/rendered.html"
  "$BIN" explain rules/herstel rules/herstel/populatie.jsonl --id "$id" --format brief -o "$OUT/direct.html" 2>/dev/null
  st_d=$?
  "$BIN" explain rules/herstel --trace "$OUT/herstel.dtrace" --id "$id" --format brief -o "$OUT/rendered.html" 2>/dev/null
  st_r=$?
  n=$((n + 1))
  if [ "$st_d" != "$st_r" ] || { [ -e "$OUT/direct.html" ] && ! cmp -s "$OUT/direct.html" "$OUT/rendered.html"; }; then
    bad=$((bad + 1))
    echo "  letter of $id: differs from dagloon explain --format brief (exit $st_d, rendered $st_r)"
  fi
done
check "the $n repair letters from the trace are dagloon explain --format brief's" "$bad"

# the explanation goldens, rendered from a trace of their inputs
for d in tests/golden/explain/*/; do
  d=${d%/}
  set_=$(basename "$d")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  # shellcheck disable=SC2086
  "$BIN" run "$d/rules.rules" "$d/input.jsonl" --explain "$OUT/g-$set_.dtrace" -o /dev/null $args 2>/dev/null
  for want in "$d"/*.txt "$d"/*.json; do
    [ -e "$want" ] || continue
    base=$(basename "$want")
    id=${base%.*}
    fmt=${base##*.}
    [ "$fmt" = txt ] && fmt=text
    [ -f "$d/$id.err" ] && continue   # its stderr is about reading INPUT (an unknown id or column)
    st_want=0
    [ -f "$d/$id.exit" ] && st_want=$(cat "$d/$id.exit")
    which="--id $id"
    [ -f "$d/$id.args" ] && which=$(cat "$d/$id.args")
    # shellcheck disable=SC2086
    "$BIN" explain "$d/rules.rules" --trace "$OUT/g-$set_.dtrace" $which --format "$fmt" $args >"$OUT/out" 2>"$OUT/err"
    st=$?
    cmp -s "$want" "$OUT/out" && [ "$st" = "$st_want" ]
    check "golden explain/$set_/$base from the trace (exit $st, want $st_want)" $?
  done
done

# each output column of each golden set's dossiers on its own (--column: a rule used from another
# column is explained in full there, found by its first evaluation -- inside 'zoals bekend op' or not)
n=0 bad=0
for d in tests/golden/explain/*/; do
  d=${d%/}
  set_=$(basename "$d")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  cols=$(sed -n 's/^uitvoer *{\(.*\)}.*/\1/p' "$d/rules.rules" | tr ',' ' ')
  for id in $(ids "$d/input.jsonl"); do
    for col in $cols; do
      # shellcheck disable=SC2086
      same_as_direct "$d/rules.rules" "$d/input.jsonl" "$OUT/g-$set_.dtrace" --id "$id" --column "$col" $args
    done
  done
done
check "$n single columns of the golden sets rendered from the trace are dagloon explain's" "$bad"

# bundles: a trace made from rule files, rendered with their bundle, and the other way round
"$BIN" compile --trace rules/herstel -o "$OUT/herstel.dlb" 2>/dev/null
"$BIN" explain "$OUT/herstel.dlb" --trace "$OUT/herstel.dtrace" -o "$OUT/bundle.jsonl" 2>/dev/null
sed 's/"rules":"[^"]*"/"rules":"R"/' "$OUT/bundle.jsonl" >"$OUT/b1"
sed 's/"rules":"[^"]*"/"rules":"R"/' "$OUT/herstel.jsonl" >"$OUT/b2"
cmp -s "$OUT/b1" "$OUT/b2"
check "a trace from rule files renders with their bundle (compile --trace)" $?
"$BIN" run "$OUT/herstel.dlb" rules/herstel/populatie.jsonl --explain "$OUT/fromb.dtrace" -o /dev/null 2>/dev/null
"$BIN" explain rules/herstel --trace "$OUT/fromb.dtrace" -o "$OUT/fromb.jsonl" 2>/dev/null
cmp -s "$OUT/fromb.jsonl" "$OUT/herstel.jsonl"
check "a trace from a bundle renders with the rule files" $?

# error rows: a failing computation, the step limit, a dossier that cannot be read
P=tests/golden/explain/perioden
"$BIN" run $P/rules.rules $P/input.jsonl --explain "$OUT/fout.dtrace" -o /dev/null 2>/dev/null
st=$?
"$BIN" run $P/rules.rules $P/input.jsonl --explain "$OUT/fout.jsonl" -o /dev/null 2>/dev/null
"$BIN" explain $P/rules.rules --trace "$OUT/fout.dtrace" -o "$OUT/fout.all" 2>/dev/null
st2=$?
cmp -s "$OUT/fout.all" "$OUT/fout.jsonl" && [ "$st" = 3 ] && [ "$st2" = 3 ]
check "an error row's explanation from the trace is jsonl's, exit 3 for run and render" $?
"$BIN" run rules/wia rules/wia/populatie.jsonl --max-steps 60 --explain "$OUT/steps.dtrace" -o /dev/null 2>/dev/null
st=$?
"$BIN" run rules/wia rules/wia/populatie.jsonl --max-steps 60 --explain "$OUT/steps.jsonl" -o /dev/null 2>/dev/null
"$BIN" explain rules/wia --trace "$OUT/steps.dtrace" -o "$OUT/steps.all" 2>/dev/null
grep -q "limit" "$OUT/steps.all" && cmp -s "$OUT/steps.all" "$OUT/steps.jsonl" && [ "$st" = 3 ]
check "dossiers stopped by --max-steps: their explanations from the trace are jsonl's" $?
{ head -n 3 rules/wia/populatie.jsonl; echo '{"id": "kapot", "geboortedatum": "geen datum"}'; sed -n 4,6p rules/wia/populatie.jsonl; } >"$OUT/bad.jsonl"
"$BIN" run rules/wia "$OUT/bad.jsonl" --explain "$OUT/bad.dtrace" -o /dev/null 2>/dev/null
st=$?
"$BIN" run rules/wia "$OUT/bad.jsonl" --explain "$OUT/bad.jl" --explain-format jsonl -o /dev/null 2>/dev/null
"$BIN" explain rules/wia --trace "$OUT/bad.dtrace" -o "$OUT/bad.all" 2>/dev/null
cmp -s "$OUT/bad.all" "$OUT/bad.jl" && [ "$st" = 3 ] && [ "$(wc -l <"$OUT/bad.all")" = 6 ]
check "a dossier that cannot be read has no explanation in the trace either; the other six do" $?

# refused: exit 2, a reason naming the file
refused() {   # description file pattern [rules]
  "$BIN" explain "${4:-rules/herstel}" --trace "$2" -o "$OUT/refused.out" 2>"$OUT/err"
  st=$?
  [ "$st" = 2 ] && grep -q "$3" "$OUT/err" && [ ! -e "$OUT/refused.out" ]
  check "$1 (exit $st: $(head -c 200 "$OUT/err"))" $?
}
T=$OUT/herstel.dtrace
size=$(wc -c <"$T")
head -c $((size / 2)) "$T" >"$OUT/half.dtrace"
refused "a trace cut inside a record is refused" "$OUT/half.dtrace" "cut short"
head -c $((size - 10)) "$T" >"$OUT/noend.dtrace"   # the end record: 8 bytes of frame, 'E' and the count 8
refused "a trace without its end record is refused" "$OUT/noend.dtrace" "without its end record"
/usr/bin/python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x20
open(sys.argv[2], "wb").write(b)' "$T" "$OUT/flipped.dtrace"
refused "a trace with one byte changed is refused" "$OUT/flipped.dtrace" "checksum does not match"
refused "another rule set's trace is refused" "$OUT/wia.dtrace" "was written with other rules"
refused "a file that is no trace is refused" rules/herstel/populatie.jsonl "does not begin as a trace file"
: >"$OUT/empty.dtrace"
refused "an empty file is refused" "$OUT/empty.dtrace" "does not begin as a trace file"
"$BIN" explain rules/herstel --trace "$T" --id geen-dossier >"$OUT/out" 2>"$OUT/err"
[ $? = 2 ] && grep -q "has no dossier with" "$OUT/err"
check "an id that is not in the trace: exit 2" $?
"$BIN" explain rules/herstel --trace "$T" --format text >"$OUT/out" 2>"$OUT/err"
[ $? = 2 ]
check "every dossier is JSON Lines: --format text without --id is a usage error" $?

# a write that fails
if [ -w /dev/full ]; then
  "$BIN" run rules/herstel rules/herstel/populatie.jsonl --explain /dev/full --explain-format trace -o /dev/null 2>"$OUT/err"
  [ $? = 4 ]
  check "a trace that cannot be written: exit 4" $?
fi

echo "trace: $pass passed, $fail failed"
[ "$fail" = 0 ]
