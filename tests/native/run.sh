#!/bin/sh
# The native back end (dagloon compile --native): every check runs the same thing twice, once on
# the VM and once on the rules compiled to C, and wants the same bytes -- the VM is the reference.
#   1. the case suite (dagloon test rules tests/cases --native);
#   2. every golden run (tests/golden/run/CASE, its args: --max-steps, --max-memory, --threads,
#      native libraries): stdout, stderr, error rows and exit status as from the rule files;
#   3. every sample population (rules/*/populatie*.jsonl, rules/bench on tests/bench/sample.csv),
#      also with a --max-steps that stops dossiers half-way (the same dossiers, the same message);
#   4. the refusals: no --allow-native, a wrong sha256, a tampered object under its old sha256,
#      an object whose recorded bytecode hash is not its bytecode's, one made for another ABI;
#   the translator refusing to build when opcodes.def has an opcode it does not know;
#   5. run --explain on a native bundle: the VM's explanations, said;
#   compare with a native bundle as the rules in force, and dagloon serve (the library) on one:
#   the same report and answers (serve_native.py).
#
#   sh tests/native/run.sh [BIN]        (run from the repository root)
set -u
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG
BIN=${1:-build/dagloon}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# 1. the case suite in native mode
if "$BIN" test rules tests/cases --native >"$TMP/cases.out" 2>&1; then ok; else bad "the case suite in native mode"; tail -20 "$TMP/cases.out"; fi

# the VM and the native bundle, byte for byte: stdout, stderr, error rows, exit status
same_run() {   # same_run NAME RULES SO INPUT ARGS...: the VM and the native bundle, byte for byte
  sr_name=$1 sr_rules=$2 sr_so=$3 sr_input=$4
  shift 4
  : >"$TMP/p1.csv"
  : >"$TMP/p2.csv"
  "$BIN" run "$sr_rules" "$sr_input" --errors "$TMP/p1.csv" "$@" >"$TMP/q1" 2>"$TMP/r1"
  st1=$?
  "$BIN" run --allow-native "$sr_so=$(sha "$sr_so")" "$sr_so" "$sr_input" --errors "$TMP/p2.csv" "$@" >"$TMP/q2" 2>"$TMP/r2"
  st2=$?
  if [ "$st1" = "$st2" ] && cmp -s "$TMP/q1" "$TMP/q2" && cmp -s "$TMP/r1" "$TMP/r2" && cmp -s "$TMP/p1.csv" "$TMP/p2.csv"; then
    ok
  else
    bad "$sr_name: the native bundle differs from the VM (exit $st2, VM $st1)"
    diff "$TMP/q1" "$TMP/q2" | head -5
    diff "$TMP/r1" "$TMP/r2" | head -5
    diff "$TMP/p1.csv" "$TMP/p2.csv" | head -5
  fi
}

# 2. the golden runs: the rule files (the VM) against the native bundle made of them
for d in tests/golden/run/*/; do
  d=${d%/}
  input=$(ls "$d"/input.* 2>/dev/null | head -n 1)
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  natives=$(printf '%s\n' "$args" | grep -o -- '--allow-native [^ ]*' || true)
  # shellcheck disable=SC2086
  "$BIN" compile "$d/rules.rules" --native -o "$TMP/rules.so" $natives 2>/dev/null || continue   # rules with errors: no code
  # shellcheck disable=SC2086
  same_run "$d" "$d/rules.rules" "$TMP/rules.so" "$input" $args
done

# 3. the sample populations, whole and stopped by --max-steps
for pop in rules/*/populatie*.jsonl; do
  [ -f "$pop" ] || continue
  set=${pop%/*}
  name=$(basename "$set")
  "$BIN" compile "$set" --native -o "$TMP/$name.so" 2>/dev/null || { bad "$set: compile --native"; continue; }
  same_run "$pop" "$set" "$TMP/$name.so" "$pop"
  # a budget that runs out half-way through some dossiers: the same dossiers stop with the same message
  same_run "$pop (--max-steps 40)" "$set" "$TMP/$name.so" "$pop" --max-steps 40
done
"$BIN" compile rules/bench/herstel.rules --native -o "$TMP/bench.so" 2>/dev/null || bad "rules/bench: compile --native"
same_run "rules/bench" rules/bench/herstel.rules "$TMP/bench.so" tests/bench/sample.csv
same_run "rules/bench (--max-steps 30)" rules/bench/herstel.rules "$TMP/bench.so" tests/bench/sample.csv --max-steps 30
grep -q "stopped after 30 steps" "$TMP/p2.csv" && ok || bad "rules/bench --max-steps 30 stopped no dossier: the test tests nothing"

# compare with a native bundle as the rules in force: the same report (its first line names the rules)
"$BIN" compare rules/bench/herstel.rules tests/bench/voorstel.rules tests/bench/sample.csv --value vergoeding 2>/dev/null |
  tail -n +2 >"$TMP/c1"
"$BIN" compare --allow-native "$TMP/bench.so=$(sha "$TMP/bench.so")" "$TMP/bench.so" tests/bench/voorstel.rules \
  tests/bench/sample.csv --value vergoeding 2>/dev/null | tail -n +2 >"$TMP/c2"
[ -s "$TMP/c1" ] && cmp -s "$TMP/c1" "$TMP/c2" && ok || { bad "compare on a native bundle"; diff "$TMP/c1" "$TMP/c2" | head -5; }

# the server (through the library) on a native bundle: the same answers, and refused without the allow
[ -f "$TMP/herstel.so" ] &&   # made for rules/herstel/populatie.jsonl above
  python3 tests/native/serve_native.py "$BIN" rules/herstel "$TMP/herstel.so" rules/herstel/populatie.jsonl && ok ||
  bad "dagloon serve on a native bundle"

# the translator knows every opcode: a copy of the sources with one opcode more does not compile
# (no EMIT_NEWOP in tools/native_gen.c), the copy as it is does
mkdir -p "$TMP/src"
cp -r runtime tools "$TMP/src/"
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -fsyntax-only $(pkg-config --cflags jansson libffi nettle 2>/dev/null)"
# shellcheck disable=SC2086
cc $cflags -I"$TMP/src" -Ibuild/gen "$TMP/src/tools/native_gen.c" 2>"$TMP/cc.err" && ok || { bad "native_gen.c does not compile as it is"; head -5 "$TMP/cc.err"; }
echo 'OP(NEWOP,         '"'_'"', '"'_'"', '"'_'"', "a new opcode")' >>"$TMP/src/runtime/opcodes.def"
# shellcheck disable=SC2086
if cc $cflags -I"$TMP/src" -Ibuild/gen "$TMP/src/tools/native_gen.c" 2>"$TMP/cc.err"; then
  bad "native_gen.c compiles with an opcode it has no translation for"
else
  grep -q "EMIT_NEWOP" "$TMP/cc.err" && ok || { bad "native_gen.c fails on a new opcode, but not for want of EMIT_NEWOP"; head -5 "$TMP/cc.err"; }
fi

# 4. the refusals
so="$TMP/bench.so"
in=tests/bench/sample.csv
refused() {   # refused WHAT PATTERN ARGS...: exit 2, no output, the message matching PATTERN
  what=$1 pattern=$2
  shift 2
  "$BIN" run "$@" "$in" >"$TMP/out" 2>"$TMP/err"
  st=$?
  if [ "$st" = 2 ] && [ ! -s "$TMP/out" ] && grep -q -- "$pattern" "$TMP/err"; then ok; else bad "$what (exit $st)"; cat "$TMP/err"; fi
}
refused "no --allow-native" "is not allowed" "$so"
refused "a wrong sha256" "not 0000" --allow-native "$so=$(printf '0%.0s' $(seq 64))" "$so"
cp "$so" "$TMP/tampered.so"
python3 - "$TMP/tampered.so" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
i = b.index(b'DAGLOONB')      # a byte of the carried bundle
b[i + 200] ^= 1
open(p, 'wb').write(bytes(b))
EOF
refused "a tampered object under its old sha256" "as pinned" --allow-native "$TMP/tampered.so=$(sha "$so")" "$TMP/tampered.so"
refused "a tampered bundle, allowed as it is now" "but the bytecode it carries has" --allow-native "$TMP/tampered.so=$(sha "$TMP/tampered.so")" "$TMP/tampered.so"
cp "$so" "$TMP/otherhash.so"
python3 - "$TMP/otherhash.so" <<'EOF'
import re, sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
m = re.search(rb'\x00([0-9a-f]{64})\x00', bytes(b))   # the recorded bytecode sha256
b[m.start(1):m.end(1)] = b'0' * 64
open(p, 'wb').write(bytes(b))
EOF
refused "a recorded bytecode hash that is not the bytecode's" "made from bytecode with sha256 0000" --allow-native "$TMP/otherhash.so=$(sha "$TMP/otherhash.so")" "$TMP/otherhash.so"
cp "$so" "$TMP/otherabi.so"
python3 - "$TMP/otherabi.so" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
assert b.count(b'dagloon-native-abi-1/') == 1   # the recorded ABI string (the same length: the ELF stays whole)
open(p, 'wb').write(b.replace(b'dagloon-native-abi-1/', b'dagloon-native-abi-9/'))
EOF
refused "an object made for another ABI" "made for another engine" --allow-native "$TMP/otherabi.so=$(sha "$TMP/otherabi.so")" "$TMP/otherabi.so"
"$BIN" compile rules/bench/herstel.rules --native -o "$TMP/sub/x.so" >/dev/null 2>&1 && bad "compile --native into a missing folder succeeded" || ok

# 5. explanations: the VM's, and said (from the traced bytecode a native bundle made with --trace carries)
"$BIN" compile rules/bench/herstel.rules --native --trace -o "$TMP/traced.so" 2>/dev/null || bad "compile --native --trace"
so="$TMP/traced.so"
"$BIN" run rules/bench/herstel.rules "$in" --explain "$TMP/x1.jsonl" >"$TMP/x1.csv" 2>/dev/null
"$BIN" run --allow-native "$so=$(sha "$so")" "$so" "$in" --explain "$TMP/x2.jsonl" >"$TMP/x2.csv" 2>"$TMP/x2.err"
if cmp -s "$TMP/x1.csv" "$TMP/x2.csv" && grep -q "explanations are computed by the VM" "$TMP/x2.err" &&
   [ "$(wc -l <"$TMP/x2.jsonl")" = "$(wc -l <"$TMP/x1.jsonl")" ]; then ok; else bad "run --explain on a native bundle"; cat "$TMP/x2.err"; fi

echo "native: $pass passed, $fail failed"
[ "$fail" = 0 ]
