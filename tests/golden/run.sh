#!/bin/sh
# Golden tests: runs build/dagloon over every case and compares its output
# byte for byte with the expectation beside it. UPDATE=1 rewrites the
# expectations (review the diff like code).
#
#   errors/NAME.rules   -> NAME.err      stderr of 'dagloon check' (exit status 1)
#   lex/NAME.rules      -> NAME.tokens   stdout of 'dagloon tokens'
#   parse/NAME.rules    -> NAME.ast      stdout of 'dagloon ast'
#   codegen/NAME.rules  -> NAME.bc       stdout of 'dagloon disasm'
#   explain/SET/        rules.rules + input.jsonl -> ID.txt / ID.json ('dagloon explain --id ID'),
#                       ID.exit (exit status, default 0); NAME.args: the arguments instead of
#                       '--id NAME' (then NAME is only the golden's name); NAME.err: stderr
#   fmt/NAME.rules      -> NAME.check    stdout, stderr and exit status of 'dagloon fmt --check'
#                          NAME.fmt      the file after 'dagloon fmt' (none: fmt refuses it and must
#                                        leave it as it was); fmt of NAME.fmt changes nothing, and when
#                                        NAME.rules compiles, NAME.fmt compiles to the same code
#   cli/NAME.cmd        a command line -> NAME.expected (its stdout, stderr and exit status)
#   run/CASE/           rules.rules + input.csv|input.jsonl -> expected.stdout (stdout),
#                       expected.errors.csv (--errors file, optional), expected.exit (default 0),
#                       expected.err (stderr, optional); extra arguments in args (optional);
#                       each is run a second time from a bundle ('dagloon compile'), which must
#                       give the same bytes and exit status
#
#   nl/NAME.cmd         like cli/, run with Dutch messages (LANGUAGE=nl) -> NAME.expected
#
# Every golden but nl/ is English: the messages' language is set here, not taken from the caller
# (C.UTF-8, not C: gettext ignores LANGUAGE under the C locale, so nl/ can choose Dutch).
#
# Run from the repository root: sh tests/golden/run.sh build/dagloon
set -u
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG DAGLOON_LOCALEDIR
BIN=${1:-build/dagloon}
DIR=tests/golden
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

compare() {   # name expected actual
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$3" "$2"
    pass=$((pass + 1))
  elif cmp -s "$2" "$3"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1"
    diff -u "$2" "$3" | head -40
  fi
}

expect_status() {   # name expected actual
  if [ "$2" != "$3" ]; then
    fail=$((fail + 1))
    echo "FAIL $1: exit status $3, expected $2"
  fi
}

for f in "$DIR"/errors/*.rules "$DIR"/errors/rules/*.rules; do
  [ -e "$f" ] || continue
  base=${f%.rules}
  "$BIN" check "$f" >/dev/null 2>"$TMP/err"
  st=$?
  expect_status "$f" 1 "$st"
  compare "$f" "$base.err" "$TMP/err"
done

for kind in lex:tokens:tokens parse:ast:ast codegen:bc:disasm; do
  sub=${kind%%:*}; rest=${kind#*:}; ext=${rest%%:*}; cmd=${rest#*:}
  for f in "$DIR/$sub"/*.rules; do
    [ -e "$f" ] || continue
    "$BIN" "$cmd" "$f" >"$TMP/out" 2>"$TMP/err"
    st=$?
    expect_status "$f" 0 "$st"
    compare "$f" "${f%.rules}.$ext" "$TMP/out"
  done
done

mkdir -p "$TMP/fmt"
FBIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")   # fmt runs inside $TMP/fmt: the diff names the file alone
for f in "$DIR"/fmt/*.rules; do
  [ -e "$f" ] || continue
  base=${f%.rules}
  name=$(basename "$f")
  cp "$f" "$TMP/fmt/$name"
  (cd "$TMP/fmt" && "$FBIN" fmt --check "$name" >out 2>&1; echo "[exit $?]" >>out)
  compare "$f (--check)" "$base.check" "$TMP/fmt/out"
  (cd "$TMP/fmt" && "$FBIN" fmt "$name" 2>/dev/null)
  if [ -f "$base.fmt" ]; then
    compare "$f (formatted)" "$base.fmt" "$TMP/fmt/$name"
    (cd "$TMP/fmt" && "$FBIN" fmt "$name" && "$FBIN" fmt --check "$name" >/dev/null) && cmp -s "$base.fmt" "$TMP/fmt/$name"
    st=$?
    expect_status "$f: fmt twice = fmt once" 0 "$st"
    [ "$st" = 0 ] && pass=$((pass + 1))
    if "$BIN" disasm "$f" >"$TMP/fmt/a.bc" 2>/dev/null; then
      "$BIN" disasm "$TMP/fmt/$name" >"$TMP/fmt/b.bc" 2>&1
      sed -E 's/[^ ;]*\.rules:[0-9]+:[0-9]+//g' "$TMP/fmt/a.bc" >"$TMP/fmt/a.masked"
      sed -E 's/[^ ;]*\.rules:[0-9]+:[0-9]+//g' "$TMP/fmt/b.bc" >"$TMP/fmt/b.masked"
      compare "$f (the same code, positions aside)" "$TMP/fmt/a.masked" "$TMP/fmt/b.masked"
    fi
  else
    cmp -s "$f" "$TMP/fmt/$name"
    st=$?
    expect_status "$f: left as it was" 0 "$st"
    [ "$st" = 0 ] && pass=$((pass + 1))
  fi
done

for d in "$DIR"/run/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  input=$(ls "$d"/input.* 2>/dev/null | head -n 1)
  want=0
  [ -f "$d/expected.exit" ] && want=$(cat "$d/expected.exit")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  : >"$TMP/errors.csv"
  # shellcheck disable=SC2086
  "$BIN" run "$d/rules.rules" "$input" --errors "$TMP/errors.csv" $args >"$TMP/out" 2>"$TMP/err"
  st=$?
  [ -f "$d/expected.err" ] && compare "$d (stderr)" "$d/expected.err" "$TMP/err"
  expect_status "$d" "$want" "$st"
  compare "$d (output)" "$d/expected.stdout" "$TMP/out"
  if [ -f "$d/expected.errors.csv" ]; then
    compare "$d (error rows)" "$d/expected.errors.csv" "$TMP/errors.csv"
  elif [ "$(wc -l <"$TMP/errors.csv")" -gt 1 ]; then
    fail=$((fail + 1))
    echo "FAIL $d: unexpected error rows"
    cat "$TMP/errors.csv"
  fi
  # The same run from a compiled bundle: every byte and the exit status as from the rule files.
  natives=$(printf '%s\n' "$args" | grep -o -- '--allow-native [^ ]*' || true)
  # shellcheck disable=SC2086
  if "$BIN" compile "$d/rules.rules" -o "$TMP/rules.dlb" $natives 2>"$TMP/compile.err"; then
    : >"$TMP/errors2.csv"
    # shellcheck disable=SC2086
    "$BIN" run "$TMP/rules.dlb" "$input" --errors "$TMP/errors2.csv" $args >"$TMP/out2" 2>"$TMP/err2"
    st2=$?
    if [ "$st2" = "$st" ] && cmp -s "$TMP/out" "$TMP/out2" && cmp -s "$TMP/err" "$TMP/err2" &&
       cmp -s "$TMP/errors.csv" "$TMP/errors2.csv"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL $d: the run from a bundle differs (exit $st2, from the rules $st)"
      diff "$TMP/out" "$TMP/out2" | head -5
      diff "$TMP/err" "$TMP/err2" | head -5
    fi
  elif [ "$st" != 1 ]; then
    fail=$((fail + 1))
    echo "FAIL $d: dagloon compile failed on rules that run:"
    cat "$TMP/compile.err"
  fi
done

# testcmd/CASE/: rules.rules (or rules/, a folder of rule sets) + cases/ -> expected.stdout of 'dagloon test' (and expected.exit);
# expected.junit: its --junit file, with the times masked
for d in "$DIR"/testcmd/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  want=0
  [ -f "$d/expected.exit" ] && want=$(cat "$d/expected.exit")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  # shellcheck disable=SC2086
  rules="$d/rules.rules"
  [ -d "$d/rules" ] && rules="$d/rules"   # a folder of rule sets (tree mode)
  junit=""
  [ -f "$d/expected.junit" ] && junit="--junit $TMP/junit.xml"
  # shellcheck disable=SC2086
  "$BIN" test "$rules" "$d/cases" $args $junit >"$TMP/out" 2>"$TMP/err"
  st=$?
  expect_status "$d" "$want" "$st"
  compare "$d (output)" "$d/expected.stdout" "$TMP/out"
  if [ -f "$d/expected.junit" ]; then
    # a time differs from run to run: never asserted, only its form (seconds, three decimals) is kept
    sed -E 's/time="[0-9]+\.[0-9]{3}"/time="(seconds)"/g' "$TMP/junit.xml" >"$TMP/junit.masked"
    compare "$d (junit)" "$d/expected.junit" "$TMP/junit.masked"
  fi
done

# explain/SET/: rules.rules + input.jsonl; ID.txt and ID.json are 'dagloon explain --id ID' as
# text and as JSON, ID.exit its exit status when not 0; extra arguments in args (optional), and
# for one golden in ID.args (instead of --id ID: --column, --depth, a mistyped id); ID.err its stderr.
for d in "$DIR"/explain/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  for want in "$d"/*.txt "$d"/*.json; do
    [ -e "$want" ] || continue
    base=$(basename "$want")
    id=${base%.*}
    fmt=${base##*.}
    [ "$fmt" = txt ] && fmt=text
    st_want=0
    [ -f "$d/$id.exit" ] && st_want=$(cat "$d/$id.exit")
    args=""
    [ -f "$d/args" ] && args=$(cat "$d/args")
    which="--id $id"
    [ -f "$d/$id.args" ] && which=$(cat "$d/$id.args")
    # shellcheck disable=SC2086
    "$BIN" explain "$d/rules.rules" "$d/input.jsonl" $which --format "$fmt" $args >"$TMP/out" 2>"$TMP/err"
    st=$?
    expect_status "$want" "$st_want" "$st"
    compare "$want" "$want" "$TMP/out"
    [ -f "$d/$id.err" ] && compare "$d/$id.err" "$d/$id.err" "$TMP/err"
  done
done

# Bundles on the command line: a stale bundle warns, a damaged one is refused, a rule set with
# errors writes none.
check_case() {   # name condition-status
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL bundle: $1"; fi
}
cp "$DIR/run/rule_parameters/rules.rules" "$TMP/stale.rules"
"$BIN" compile "$TMP/stale.rules" -o "$TMP/stale.dlb" 2>/dev/null
echo "-- changed after compiling" >>"$TMP/stale.rules"
"$BIN" run "$TMP/stale.dlb" "$(ls "$DIR"/run/rule_parameters/input.* | head -n 1)" >/dev/null 2>"$TMP/err"
grep -q "stale.rules' has changed since this bundle was compiled" "$TMP/err"
check_case "a changed rule file gives a warning" $?
head -c 2000 "$TMP/stale.dlb" >"$TMP/cut.dlb"
"$BIN" run "$TMP/cut.dlb" "$(ls "$DIR"/run/rule_parameters/input.* | head -n 1)" >"$TMP/out" 2>"$TMP/err"
st=$?
[ "$st" = 2 ] && [ ! -s "$TMP/out" ] && grep -q "cut.dlb: the bundle is truncated" "$TMP/err"
check_case "a truncated bundle is refused with exit status 2" $?
first_error=$(ls "$DIR"/errors/*.rules | head -n 1)
"$BIN" compile "$first_error" -o "$TMP/bad.dlb" >/dev/null 2>&1
st=$?
[ "$st" = 1 ] && [ ! -e "$TMP/bad.dlb" ] && [ ! -e "$TMP/bad.dlb.tmp" ]
check_case "rules with errors give exit status 1 and no bundle" $?
"$BIN" compile "$TMP/stale.dlb" -o "$TMP/again.dlb" >/dev/null 2>&1
check_case "compiling a bundle is a usage error" $(( $? != 2 ))

# The explanation page (explain --format html), rendered in headless Chromium: it must render
# (a screenshot is made) and the rendered page must hold the key figures, in Dutch notation, and
# the links to the article and the ruling (derivations in explain/dagloon/README.md).
H="$TMP/html"
mkdir -p "$H"
"$BIN" explain "$DIR/explain/dagloon/rules.rules" "$DIR/explain/dagloon/input.jsonl" --id uitzondering --format html \
  -o "$H/uitleg.html" 2>/dev/null
if ! command -v chromium >/dev/null; then
  check_case "chromium is installed (make test installs it)" 1
else
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$H/profile" --window-size=1100,2000 \
    --screenshot="$H/uitleg.png" "file://$H/uitleg.html" >/dev/null 2>&1
  [ -s "$H/uitleg.png" ]
  check_case "the explanation page renders in headless Chromium (screenshot)" $?
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$H/profile" --dump-dom "file://$H/uitleg.html" \
    >"$H/dom.html" 2>/dev/null
  ok=0
  for want in "€ 171,43" "€ 175,73" "€ 30.000,00" "€ 232,46" "01-03-2022" "01-07-2022" "2,51" \
              "uitzondering loonloze_maanden <b>is van toepassing</b>" \
              "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:CRVB:2024:1523" \
              "https://wetten.overheid.nl/jci1.3:c:BWBR0033471&amp;artikel=16&amp;lid=1" \
              "gekozen: versie vanaf 2022-01-01, want de peildatum is 01-03-2022"; do
    if ! grep -qF "$want" "$H/dom.html"; then
      echo "the rendered explanation page lacks: $want"
      ok=1
    fi
  done
  check_case "the rendered explanation page holds the figures, dates and links" $ok
  # a repair run (rules/herstel, the CRvB 2024:1523 case of tests/cases/herstel): correct and
  # paid per month and the compensation, as derived by hand in that case
  "$BIN" explain rules/herstel rules/herstel/populatie.jsonl --id herstel-crvb-2024-1523 --format html \
    -o "$H/herstel.html" 2>/dev/null
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$H/profile" --dump-dom "file://$H/herstel.html" \
    >"$H/herstel.dom" 2>/dev/null
  ok=0
  for want in "€ 1.435,18" "€ 4.355,52" "€ 2.920,34" "€ 575,26" "€ 385,70" "€ 189,56" "€ 1.890,13" "€ 1.267,32" \
              "€ 622,81" "01-01-2020 t/m 31-01-2020" "23-01-2020"; do
    if ! grep -qF "$want" "$H/herstel.dom"; then
      echo "the rendered repair explanation lacks: $want"
      ok=1
    fi
  done
  check_case "the rendered repair explanation holds correct and paid per month and the compensation" $ok
  # the impact report of compare (tests/compare: P-0000 gains 2.05 -- derived in tests/compare/README.md --
  # the other two stay the same, P-0005 is an error row on both sides)
  "$BIN" compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --by sector \
    --html "$H/rapport.html" --summary "$H/rapport.txt" 2>/dev/null
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$H/profile" --window-size=1100,2000 \
    --screenshot="$H/rapport.png" "file://$H/rapport.html" >/dev/null 2>&1
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$H/profile" --dump-dom "file://$H/rapport.html" \
    >"$H/rapport.dom" 2>/dev/null
  ok=0
  [ -s "$H/rapport.png" ] || { echo "the impact report did not render"; ok=1; }
  for want in "Effect van het voorstel" "totaal verschil<b>€ 2,05</b>" "beter af<b>1</b>" "gelijk<b>2</b>" \
              "met een fout<b>1</b>" "ongeverifieerd huidig<b>0</b>" "ongeverifieerd voorstel<b>0</b>" \
              "<a href=\"#uitleg-1\">P-0000</a></td><td>€ 2,05" "id=\"uitleg-1\">Dossier P-0000" \
              "vervangt: regel <b><span title=\"dagloon_onbegrensd\">dagloon zonder de grens</span></b>" "<svg" \
              "Per <span title=\"sector\">bedrijfssector</span>"; do
    if ! grep -qF "$want" "$H/rapport.dom"; then
      echo "the rendered impact report lacks: $want"
      ok=1
    fi
  done
  check_case "the impact report renders and holds the figures" $ok
fi

# check --changes: what a proposal replaces, takes out and adds (changes/NAME.txt for the proposal
# tests/NAME, with / in NAME written as _).
for want in "$DIR"/changes/*.txt; do
  [ -e "$want" ] || continue
  name=$(basename "$want" .txt)
  "$BIN" check --changes "tests/$(echo "$name" | tr _ /)" >"$TMP/out" 2>/dev/null
  compare "$want" "$want" "$TMP/out"
done

# compare --id ID: the explanation diff of one dossier of tests/compare (compare/ID.txt).
for want in "$DIR"/compare/*.txt; do
  [ -e "$want" ] || continue
  id=$(basename "$want" .txt)
  "$BIN" compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --id "$id" \
    >"$TMP/out" 2>/dev/null
  compare "$want" "$want" "$TMP/out"
done

# compare counts per side the dossiers resting on 'unverified' rows, and --mark-unverified names
# them in the rows (compare_unverified/: the dossiers of run/unverified_csv, a proposal that confirms
# one of its rows; the counts derived in compare_unverified/README.md).
U="$DIR"/compare_unverified
for f in summary.txt summary.json rows.csv rows.jsonl; do
  case $f in summary*) out="--summary $TMP/$f" ;; *) out="-o $TMP/$f --summary $TMP/unused.txt" ;; esac
  # shellcheck disable=SC2086
  "$BIN" compare "$DIR"/run/unverified_csv "$U"/voorstel.rules "$DIR"/run/unverified_csv/input.csv --value met_toeslag \
    --mark-unverified $out 2>/dev/null
  st=$?
  expect_status "$U/$f" 3 "$st"
  compare "$U/$f" "$U/$f" "$TMP/$f"
done

# compare: rule sets that read different dossiers, and a column the proposal lacks, are refused.
"$BIN" compare tests/compare/basis rules/voorbeeld rules/voorbeeld/dossiers.jsonl >/dev/null 2>"$TMP/err"
st=$?
[ "$st" = 2 ] && grep -q "do not read the same dossiers: 'Dossier' has other fields" "$TMP/err"
check_case "compare refuses rule sets with different invoer" $?
"$BIN" compare tests/compare/basis tests/compare/voorstel rules/voorbeeld/dossiers.jsonl --column nergens >/dev/null 2>"$TMP/err"
st=$?
[ "$st" = 2 ] && grep -q "has no output column 'nergens'" "$TMP/err"
check_case "compare refuses an unknown column" $?

# Receipts: a run, an explanation and a test (with JUnit, whose times are left out of its hash)
# replay exactly; a one-byte change to a table makes the replay fail and name the table; the
# recorded sha256 of the input is the input's sha256.
R="$TMP/receipts"
mkdir -p "$R"
cp "$DIR"/explain/dagloon/rules.rules "$DIR"/explain/dagloon/*.csv "$DIR"/explain/dagloon/input.jsonl "$R"/
BINABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
(cd "$R" && "$BINABS" run rules.rules input.jsonl -o out.csv --errors errors.csv --receipt run.json >/dev/null 2>&1)
(cd "$R" && "$BINABS" explain rules.rules input.jsonl --id uitzondering --receipt explain.json >/dev/null 2>&1)
mkdir -p "$R/cases" && cp tests/cases/voorbeeld/*.case "$R/cases/" 2>/dev/null
cp -r rules/voorbeeld "$R/voorbeeld" && cp -r rules/tables "$R/tables"
(cd "$R" && "$BINABS" test voorbeeld cases --junit junit.xml --receipt test.json >/dev/null 2>&1)
for r in run explain test; do
  "$BIN" replay "$R/$r.json" >/dev/null 2>"$TMP/err"
  st=$?
  [ "$st" = 0 ] && grep -q "replay: reproduced" "$TMP/err"
  check_case "dagloon $r --receipt, then replay: reproduced" $?
done
grep -q "\"sha256\": \"$(sha256sum "$R/input.jsonl" | cut -d' ' -f1)\"" "$R/run.json"
check_case "the receipt holds the input's sha256" $?
sed -i 's/2.51,derived/2.52,derived/' "$R/herziening.csv"
"$BIN" replay "$R/run.json" >/dev/null 2>"$TMP/err"
st=$?
[ "$st" = 3 ] && grep -q "DIFFERS: table herziening.csv has changed" "$TMP/err" && grep -q "output out.csv" "$TMP/err"
check_case "replay after a one-byte change to a table fails and names it" $?

# cli/NAME.cmd: one command line (sh; $BIN is dagloon, $T an empty scratch folder, run from the
# repository root) -> NAME.expected: the command, its stdout, its stderr and its exit status.
for c in "$DIR"/cli/*.cmd; do
  [ -e "$c" ] || continue
  T="$TMP/cli"
  rm -rf "$T" && mkdir -p "$T"
  BIN="$BIN" T="$T" sh "$c" >"$TMP/out" 2>"$TMP/err"
  st=$?
  { printf '$ %s\n[stdout]\n' "$(cat "$c")"; cat "$TMP/out"; printf '[stderr]\n'; cat "$TMP/err"; printf '[exit %s]\n' "$st"; } \
    >"$TMP/cli.out"
  compare "$c" "${c%.cmd}.expected" "$TMP/cli.out"
done

# nl/NAME.cmd: the same as cli/, with the messages in Dutch (tools/po/nl.po).
for c in "$DIR"/nl/*.cmd; do
  [ -e "$c" ] || continue
  T="$TMP/cli"
  rm -rf "$T" && mkdir -p "$T"
  LANGUAGE=nl BIN="$BIN" T="$T" sh "$c" >"$TMP/out" 2>"$TMP/err"
  st=$?
  { printf '$ %s\n[stdout]\n' "$(cat "$c")"; cat "$TMP/out"; printf '[stderr]\n'; cat "$TMP/err"; printf '[exit %s]\n' "$st"; } \
    >"$TMP/cli.out"
  compare "$c" "${c%.cmd}.expected" "$TMP/cli.out"
done

echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
