#!/bin/sh
# dagloon replay against hostile receipts (docs/RECEIPTS.md, "What replay trusts"): a receipt is
# input, not a command line. Each case crafts a receipt from a real one (tests/replay/craft.py)
# and asserts what replay must and must not do:
#   (a) a receipt never allows native code; only the replay's own --allow-native, naming the
#       same files with the same sha256 as the receipt recorded
#   (b) every output option of the command (from its option table) writes into the temporary
#       directory; an argument that is no option of the command is refused
#   (c) the receipt of a replay, or of a command that writes no receipt, is refused
#   (d) nothing is said about a file the command does not read: no sha256, no existence
#   (e) the temporary directory is removed on every way out, a signal included
#   and the receipt's JSON is hostile: limits, types, control characters -> exit 2, a clear error.
#
# Run from the repository root: sh tests/replay/run.sh build/dagloon
set -u
BIN=$(cd "$(dirname "${1:-build/dagloon}")" && pwd)/$(basename "${1:-build/dagloon}")
ROOT=$(pwd)
CRAFT="python3 $ROOT/tests/replay/craft.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
check() {   # name status (0: holds)
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL replay: $1"; cat "$TMP/err" 2>/dev/null | head -5; fi
}

# A run with a receipt, in its own folder R, and the same rules calling the example native library.
R="$TMP/r"
mkdir -p "$R"
cp tests/golden/explain/dagloon/rules.rules tests/golden/explain/dagloon/*.csv tests/golden/explain/dagloon/input.jsonl "$R"/
(cd "$R" && "$BIN" run rules.rules input.jsonl -o out.csv --errors errors.csv --receipt run.json >/dev/null 2>&1)
N="$TMP/n"
mkdir -p "$N"
cp tests/golden/explain/native/rules.rules tests/golden/explain/native/input.jsonl "$N"/
cp build/natives/libfeestdagen.so "$N"/
sed -i 's|uit ".*libfeestdagen.so"|uit "libfeestdagen.so"|' "$N/rules.rules"
(cd "$N" && "$BIN" explain rules.rules input.jsonl --id koningsdag2014 --allow-native libfeestdagen.so \
   --receipt native.json >/dev/null 2>&1)
grep -q '"role": "native"' "$N/native.json"
check "setup: the native receipt records its library" $?

replay() {   # receipt [args...]: stderr in $TMP/err, status in $st
  timeout 30 "$BIN" replay "$@" >"$TMP/out" 2>"$TMP/err"
  st=$?
  if grep -q "Sanitizer" "$TMP/err"; then   # the sanitizer build: a report is a failure, whatever the status
    fail=$((fail + 1))
    echo "FAIL replay $*: a sanitizer report"
    head -20 "$TMP/err"
  fi
}

# ---- (a) native code ----
replay "$N/native.json"
[ "$st" = 2 ] && grep -q "refused: the receipt records the native library libfeestdagen.so" "$TMP/err"
check "(a) a receipt with a native library is refused without --allow-native on the replay's command line" $?
replay "$N/native.json" --allow-native "$N/libfeestdagen.so"
[ "$st" = 0 ] && grep -q "replay: reproduced" "$TMP/err"
check "(a) ... and reproduced with it" $?
timeout 30 "$BIN" --allow-native "$N/libfeestdagen.so" replay "$N/native.json" >/dev/null 2>"$TMP/err"
[ $? = 0 ] && grep -q "replay: reproduced" "$TMP/err"
check "(a) ... or with it before the command (dagloon --allow-native LIB replay R)" $?
cp "$N/libfeestdagen.so" "$TMP/other.so"
replay "$N/native.json" --allow-native "$TMP/other.so"
[ "$st" = 2 ] && grep -q "the receipt records no such native library" "$TMP/err"
check "(a) --allow-native of another file than the receipt's is refused" $?
cp "$N/libfeestdagen.so" "$TMP/libfeestdagen.so.orig"
printf 'x' >>"$N/libfeestdagen.so"
replay "$N/native.json" --allow-native "$N/libfeestdagen.so"
[ "$st" = 2 ] && grep -q "but the receipt recorded" "$TMP/err"
check "(a) the same path with other bytes than the receipt recorded is refused" $?
cp "$TMP/libfeestdagen.so.orig" "$N/libfeestdagen.so"
# a forged receipt: the command allows the library, the files do not record it -> it must run without it
$CRAFT "$N/native.json" "$N/forged.json" drop-role=native
replay "$N/forged.json"
[ "$st" = 3 ] && grep -q "exit status 0 in the receipt, 1 now" "$TMP/err"
check "(a) --allow-native in a receipt's command allows nothing (the rules cannot load the library)" $?
$CRAFT "$N/native.json" "$N/forged2.json" drop-role=native drop-arg=--allow-native:2 \
  'prefix-args=["--allow-native", "libfeestdagen.so"]'
replay "$N/forged2.json"
[ "$st" = 3 ] && grep -q "exit status 0 in the receipt, 1 now" "$TMP/err"
check "(a) --allow-native before the command in a receipt allows nothing" $?

# A receipt never lets rule files read outside their tree: --allow-path in its command is dropped;
# only the replay's own --allow-path DIR counts.
P="$TMP/p"
mkdir -p "$P/set" "$P/gedeeld"
cp tests/golden/explain/dagloon/rules.rules tests/golden/explain/dagloon/input.jsonl "$P/set"/
cp tests/golden/explain/dagloon/herziening.csv "$P/set"/
cp tests/golden/explain/dagloon/maximumdagloon.csv "$P/gedeeld"/
sed -i 's|uit "maximumdagloon.csv"|uit "../gedeeld/maximumdagloon.csv"|' "$P/set/rules.rules"
(cd "$P" && "$BIN" run set set/input.jsonl --allow-path gedeeld -o out.csv --receipt paths.json >/dev/null 2>&1)
st0=$?   # 3: the sample has dossiers with error rows
[ "$st0" = 3 ]
check "setup: a run whose table lies outside its tree, allowed by --allow-path" $?
replay "$P/paths.json"
[ "$st" = 3 ] && grep -q "exit status 3 in the receipt, 1 now" "$TMP/err"
check "(a) --allow-path in a receipt's command allows nothing (the table outside the tree is refused)" $?
$CRAFT "$P/paths.json" "$P/paths2.json" drop-arg=--allow-path:2 'prefix-args=["--allow-path", "gedeeld"]'
replay "$P/paths2.json"
[ "$st" = 3 ] && grep -q "exit status 3 in the receipt, 1 now" "$TMP/err"
check "(a) --allow-path before the command in a receipt allows nothing" $?
replay "$P/paths.json" --allow-path "$P/gedeeld"
[ "$st" = 0 ] && grep -q "replay: reproduced" "$TMP/err"
check "(a) ... the replay's own --allow-path does" $?

# ---- (b) outputs ----
mkdir -p "$R/victims"
: >"$R/check"   # a file named like a command, so that '--allow-native check' is allowed
$CRAFT "$R/run.json" "$R/b1.json" \
  'command=["dagloon", "--allow-native", "check", "run", "rules.rules", "input.jsonl", "-o", "hidden.csv", "--receipt", "run.json"]'
replay "$R/b1.json"
[ ! -e "$R/hidden.csv" ]
check "(b) a command name hidden as the value of --allow-native does not let -o write outside" $?
$CRAFT "$R/run.json" "$R/b2.json" \
  'command=["dagloon", "run", "rules.rules", "input.jsonl", "-ovictims/2", "--errors=victims/3", "--explain", "victims/4", "--receipt=victims/5", "--output", "victims/6", "--summary", "victims/../victims/13.json", "--html=victims/14.html"]'
replay "$R/b2.json"
$CRAFT "$R/run.json" "$R/b3.json" \
  'command=["dagloon", "explain", "rules.rules", "input.jsonl", "--id", "uitzondering", "-o", "victims/7", "--receipt", "victims/8"]'
replay "$R/b3.json"
$CRAFT "$R/run.json" "$R/b4.json" \
  'command=["dagloon", "test", "rules.rules", "victims", "--junit", "victims/9", "--receipt", "victims/10"]'
replay "$R/b4.json"
[ -z "$(ls "$R/victims")" ]
check "(b) every output option of run, explain and test writes into the replay's own directory" $?
for bad in '"--outputs", "x"' '"--id", "x"' '"-hvictims/11"' '"--fail-fast=victims/12"' '"-x"'; do
  $CRAFT "$R/run.json" "$R/b5.json" "command=[\"dagloon\", \"run\", \"rules.rules\", \"input.jsonl\", $bad]"
  replay "$R/b5.json"
  [ "$st" = 2 ] && grep -q "refused: .* is not a receipt that can be replayed: .*\(not an option of run\|takes no value\)" "$TMP/err"
  check "(b) an argument that is no option of run is refused: $bad" $?
done
$CRAFT "$R/run.json" "$R/b6.json" 'command=["dagloon", "run", "rules.rules", "input.jsonl", "-o"]'
replay "$R/b6.json"
[ "$st" = 2 ] && grep -q "'-o' has no value" "$TMP/err"
check "(b) an option without its value is refused" $?
[ -z "$(ls "$R/victims")" ]
check "(b) ... and nothing was written" $?

# outputs keep their extension in the replay's directory (out1.jsonl, out3.json): run chooses the
# format of -o and --summary by it, so a receipt of JSON rows and a JSON summary reproduces
(cd "$R" && "$BIN" run rules.rules input.jsonl -o out.jsonl --summary samenvatting.json --html rapport.html \
   --receipt formats.json >/dev/null 2>&1)
replay "$R/formats.json"
[ "$st" = 0 ] && grep -q "replay: reproduced" "$TMP/err"
check "(b) a run with -o X.jsonl, --summary X.json and --html reproduces" $?
grep -q '"role": "summary"' "$R/formats.json" && grep -q '"role": "report"' "$R/formats.json"
check "(b) ... its receipt records the summary and the page" $?

# ---- (c) commands ----
$CRAFT "$R/run.json" "$R/c1.json" 'command=["dagloon", "replay", "run.json"]'
replay "$R/c1.json"
[ "$st" = 2 ] && grep -q "a replay is not replayed" "$TMP/err"
check "(c) the receipt of a replay is refused" $?
$CRAFT "$R/run.json" "$R/c2.json" 'command=["dagloon", "compile", "rules.rules", "-o", "victims/13"]'
replay "$R/c2.json"
[ "$st" = 2 ] && grep -q "'compile' writes no receipt" "$TMP/err" && [ ! -e "$R/victims/13" ]
check "(c) a command that writes no receipt is refused" $?
$CRAFT "$R/run.json" "$R/c3.json" 'command=["dagloon", "rm", "-rf", "/"]'
replay "$R/c3.json"
[ "$st" = 2 ] && grep -q "'rm' is not a dagloon command" "$TMP/err"
check "(c) a command that is not in the table is refused" $?

# ---- (d) files the command does not read ----
printf 'geheim\n' >"$R/secret.txt"
secret=$(sha256sum "$R/secret.txt" | cut -d' ' -f1)
$CRAFT "$R/run.json" "$R/d1.json" \
  'add-file={"role": "input", "path": "secret.txt", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "bytes": 1}'
replay "$R/d1.json"
cp "$TMP/err" "$TMP/err.exists"
! grep -q "$secret" "$TMP/err" && grep -q "input secret.txt is in the receipt, but was not read now" "$TMP/err"
check "(d) a file the command does not read is not hashed" $?
sed 's/secret.txt/nosuch.txt/' "$R/d1.json" >"$R/d2.json"
replay "$R/d2.json"
sed 's/nosuch.txt/secret.txt/' "$TMP/err" | cmp -s - "$TMP/err.exists"
check "(d) nor is its existence told: the same words for a file that exists and one that does not" $?
$CRAFT "$R/run.json" "$R/d3.json" \
  'add-file={"role": "rules", "path": "/etc/passwd", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "bytes": 1}'
replay "$R/d3.json"
! grep -q "$(sha256sum /etc/passwd | cut -d' ' -f1)" "$TMP/err" && ! grep -qi "cannot be read\|no such file\|permission" "$TMP/err"
check "(d) /etc/passwd named as a rule file the command does not read: no hash, no error about it" $?

# ---- (e) the temporary directory ----
mkdir -p "$TMP/tmpdir"
sed -i 's/2.51,derived/2.52,derived/' "$R/herziening.csv"
TMPDIR="$TMP/tmpdir" timeout 30 "$BIN" replay "$R/run.json" >/dev/null 2>"$TMP/err"
st=$?
[ "$st" = 3 ] && [ -z "$(ls -A "$TMP/tmpdir")" ]
check "(e) a replay that differs leaves nothing in TMPDIR" $?
sed -i 's/2.52,derived/2.51,derived/' "$R/herziening.csv"
TMPDIR="$TMP/tmpdir" timeout 30 "$BIN" replay "$R/c1.json" >/dev/null 2>"$TMP/err"
TMPDIR="$TMP/tmpdir" timeout 30 "$BIN" replay "$N/native.json" >/dev/null 2>>"$TMP/err"
[ -z "$(ls -A "$TMP/tmpdir")" ]
check "(e) a refused replay leaves nothing in TMPDIR" $?
# a command that blocks (its input is a FIFO nobody writes, not among the receipt's files): the
# replay is stopped by a signal; the temporary directory is found from the command's standard error
mkfifo "$R/fifo"
$CRAFT "$R/run.json" "$R/e1.json" rename=input.jsonl:fifo drop-role=input
TMPDIR="$TMP/tmpdir" "$BIN" replay "$R/e1.json" >/dev/null 2>"$TMP/err" &
pid=$!
child=""
i=0
while [ -z "$child" ] && [ $i -lt 100 ]; do
  sleep 0.1
  i=$((i + 1))
  child=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' | head -n 1)
done
sleep 0.3
dir=""
[ -n "$child" ] && dir=$(dirname "$(readlink "/proc/$child/fd/2")")
[ -n "$dir" ] && [ -d "$dir" ] && [ "$(dirname "$dir")" = "$TMP/tmpdir" ]
check "(e) the replay makes its temporary directory in TMPDIR" $?
kill -TERM "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -n "$dir" ] && [ ! -e "$dir" ] && [ -z "$(ls -A "$TMP/tmpdir")" ]
check "(e) a replay stopped by SIGTERM removes its temporary directory" $?
[ -n "$child" ] && ! kill -0 "$child" 2>/dev/null
check "(e) ... and stops the command" $?
[ -n "$dir" ] && rm -rf "$dir"   # what the code before left behind

# ---- hostile JSON ----
hostile() {   # name file expected-words
  replay "$2"
  [ "$st" = 2 ] && grep -q "$3" "$TMP/err"
  check "hostile receipt, $1: exit 2 and '$3'" $?
}
printf '{"schema": "dagloon-receipt/1", "command": [' >"$R/h1.json"
hostile "not JSON" "$R/h1.json" "not JSON"
head -c 17000000 /dev/zero | tr '\0' ' ' >"$R/h2.json"
hostile "larger than the limit" "$R/h2.json" "larger than 16 MiB"
$CRAFT "$R/run.json" "$R/h3.json" 'command=["dagloon", "run", 7, "input.jsonl"]'
hostile "an argument that is a number" "$R/h3.json" "argument 2 of the command is not a string"
$CRAFT "$R/run.json" "$R/h4.json" 'command=["dagloon", "run", "rules.rules", "input\njsonl"]'
hostile "a newline in an argument" "$R/h4.json" "argument 3 of the command holds a control character"
$CRAFT "$R/run.json" "$R/h5.json" 'add-file={"role": "input", "path": "a\nb", "sha256": null, "bytes": 0}'
hostile "a newline in a path" "$R/h5.json" "holds a control character"
$CRAFT "$R/run.json" "$R/h6.json" 'command=["dagloon", "run", "rules.rules", "a\u0000b"]'
hostile "a NUL in an argument" "$R/h6.json" "not JSON"
$CRAFT "$R/run.json" "$R/h7.json" huge-argv=100000
hostile "100,000 arguments" "$R/h7.json" "has 100002 arguments (at most 4096)"
$CRAFT "$R/run.json" "$R/h8.json" 'set={"files": "all of them"}'
hostile "files not a list" "$R/h8.json" '"files" is not a list'
$CRAFT "$R/run.json" "$R/h9.json" 'set={"exit": "0"}'
hostile "exit not a number" "$R/h9.json" '"exit" is not an exit status'
$CRAFT "$R/run.json" "$R/h10.json" 'set={"directory": "relative"}'
hostile "a relative directory" "$R/h10.json" "not an absolute path"
$CRAFT "$R/run.json" "$R/h11.json" 'add-file={"role": "input", "path": "x", "sha256": "../../etc", "bytes": 0}'
hostile "a sha256 that is no hash" "$R/h11.json" "neither null nor 64 lowercase hex"
sed 's/^  "command": \[/  "command": ["dagloon", "replay", "x"], "command": [/' "$R/run.json" >"$R/h12.json"
hostile "a key given twice" "$R/h12.json" "duplicate"
mkfifo "$R/h13.json"
hostile "a FIFO" "$R/h13.json" "not a regular file"

echo "replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
