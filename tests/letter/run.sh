#!/bin/sh
# The letter (dagloon explain --format brief; docs/EXPLAIN.md "The letter"), on the herstel sample
# population rules/herstel/populatie.jsonl:
#   - three letters (paid too little, too much, right) as PDF through headless Chromium, read back
#     with pdftotext -layout: the text (whitespace folded) against the golden NAME.txt beside this script
#     (UPDATE=1 rewrites it; review the diff), and the amounts and dates of the hand derivations in
#     tests/cases/herstel/herstel.case (not of a run) in Dutch notation;
#   - no raw identifier (raw_names.py: every rule, exception, choice and field name of rules/herstel
#     and rules/wia) in the PDF's text or the HTML's;
#   - the HTML rendered in headless Chromium (a screenshot), with the links to the law and the ruling;
#   - a whole population into a folder: a letter per dossier named safely by its id (an id with
#     '../' stays inside), fouten.csv for an error row and a dossier read twice, exit 3; a folder
#     that is not empty is refused; a dossier that is an error row gets no letter (exit 3, a message);
#     a rule set without the repair columns is refused (exit 2).
# Run from the repository root: sh tests/letter/run.sh build/dagloon build
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/letter
DIR=tests/letter
POP=rules/herstel/populatie.jsonl
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0
fail=0

check() {   # description status
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi
}

chromium_run() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$OUT/profile" "$@" 2>/dev/null
}

# NAME ID "figure" ...: the letter of dossier ID as HTML and PDF, its text against the golden and the figures
letter() {
  name=$1 id=$2
  shift 2
  "$BIN" explain rules/herstel "$POP" --id "$id" --format brief -o "$OUT/$name.html"
  check "$name: the HTML letter is written" $?
  "$BIN" explain rules/herstel "$POP" --id "$id" --format brief -o "$OUT/$name.pdf"
  check "$name: the PDF letter is written" $?
  pdftotext -layout "$OUT/$name.pdf" - 2>/dev/null | tr -s '[:space:]' ' ' | fold -s -w 100 | sed 's/ *$//' >"$OUT/$name.txt"
  if [ "${UPDATE:-0}" = 1 ]; then cp "$OUT/$name.txt" "$DIR/$name.txt"; fi
  cmp -s "$DIR/$name.txt" "$OUT/$name.txt"
  st=$?
  [ $st = 0 ] || diff -u "$DIR/$name.txt" "$OUT/$name.txt" | head -30
  check "$name: the PDF's text is the golden $DIR/$name.txt" $st
  ok=0
  for want in "$@"; do
    if ! tr '\n' ' ' <"$OUT/$name.txt" | grep -qF -- "$want"; then echo "$name: the letter lacks: $want"; ok=1; fi
  done
  check "$name: the letter holds the hand-derived amounts and dates" $ok
  python3 "$DIR/raw_names.py" rules/herstel <"$OUT/$name.txt"
  check "$name: no raw identifier in the PDF's text" $?
  sed 's/<[^>]*>/ /g' "$OUT/$name.html" | python3 "$DIR/raw_names.py" rules/herstel
  check "$name: no raw identifier in the HTML's text" $?
}

# the check itself finds a raw name (of rules/herstel and of the used rules/wia), and not a label
echo "U kreeg te weinig (te_laag), uw iva, wia.deler en loonloze_kalendermaanden" | python3 "$DIR/raw_names.py" rules/herstel \
  >"$OUT/raw.out"
[ $? = 1 ] && [ "$(grep -c 'raw identifier' "$OUT/raw.out")" = 4 ]
check "the raw-identifier check finds te_laag, iva, deler and loonloze_kalendermaanden" $?

# herstel.case "CRvB 2024:1523": 3 months recomputed; per month paid, correct, difference; 1.435,18
letter te_weinig herstel-crvb-2024-1523 "€ 77,69" "€ 115,87" "€ 38,18 meer" \
  "januari 2020 * € 385,70 € 575,26 € 189,56" "februari 2020 * € 1.267,32 € 1.890,13 € 622,81" \
  "maart 2020 * € 1.267,32 € 1.890,13 € 622,81" "Totaal € 2.920,34 € 4.355,52 € 1.435,18" \
  "eenmalige vergoeding van € 1.435,18" "23 januari 2020 tot en met 31 maart 2020" "gestopt na 31 maart 2020" \
  "ECLI:NL:CRVB:2024:1523" "binnen 6 weken" "artikel 6:7"
# herstel.case "te hoog, betalingen deels": July paid 1.514,55, August recomputed 1.654,55; 500,20 not recovered
letter te_veel herstel-te-hoog-wga-betaald "€ 150,00" "€ 140,00" "€ 10,00 minder" \
  "juli 2024 € 1.514,55 € 1.497,58 € -16,97" "augustus 2024 * € 1.654,55" "Totaal € 6.562,86 € 6.062,66 € -500,20" \
  "in totaal € 500,20" "niet terug te betalen" "Vanaf 1 september 2024" "loongerelateerde WGA-uitkering"
# herstel.case "vervolg juist": 80,00 both, 1.218,00 paid and correct
letter juist herstel-vervolg-juist "€ 80,00" "Totaal € 1.218,00 € 1.218,00 € 0,00" "U kreeg het juiste bedrag" \
  "WGA-vervolguitkering"

if command -v chromium >/dev/null; then
  chromium_run --window-size=900,2400 --screenshot="$OUT/te_weinig.png" "file://$PWD/$OUT/te_weinig.html" >/dev/null
  [ -s "$OUT/te_weinig.png" ]
  check "the letter renders in headless Chromium (screenshot)" $?
  chromium_run --dump-dom "file://$PWD/$OUT/te_weinig.html" >"$OUT/te_weinig.dom" 2>/dev/null
  ok=0
  for want in "https://wetten.overheid.nl/jci1.3:c:BWBR0019057&amp;artikel=13&amp;lid=1" \
              "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:CRVB:2024:1523" \
              "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&amp;artikel=6:7" "€ 1.435,18"; do
    grep -qF -- "$want" "$OUT/te_weinig.dom" || { echo "the rendered letter lacks: $want"; ok=1; }
  done
  check "the rendered letter holds the links and the compensation" $ok
else
  check "chromium is installed (make test installs it)" 1
fi

# a whole population into a folder: the sample, a copy with a hostile id, a dossier read twice, and an
# error row (an indexation repair whose correct dagloon is lower: uitzondering indexatie_alleen_omhoog)
python3 - "$POP" >"$OUT/populatie.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for d in lines:
    print(json.dumps(d))
hostile = dict(lines[0], id="../../buiten")
print(json.dumps(hostile))
print(json.dumps(lines[1]))
wrong = next(d for d in lines if d["id"] == "herstel-te-hoog-wga")
print(json.dumps(dict(wrong, id="herstel-indexatie-omlaag", herstelactie="indexatie")))
PY
n=$(wc -l <"$POP")
"$BIN" explain rules/herstel "$OUT/populatie.jsonl" --format brief -o "$OUT/brieven/" 2>"$OUT/brieven.err"
check "a folder of letters with error rows exits 3" $(( $? != 3 ))
letters=$(ls "$OUT/brieven" | grep -c '\.html$')
[ "$letters" = $((n + 1)) ]
check "a letter for each of the $n dossiers and the hostile id ($letters)" $?
[ -f "$OUT/brieven/%2E%2E%2F%2E%2E%2Fbuiten.html" ] && [ ! -e "$OUT/buiten.html" ] && [ ! -e "${OUT%/*}/buiten.html" ]
check "the id '../../buiten' names a file inside the folder" $?
[ -f "$OUT/brieven/herstel-crvb-2024-1523.html" ] && cmp -s "$OUT/brieven/herstel-crvb-2024-1523.html" "$OUT/te_weinig.html"
check "a letter in the folder is the letter of the single dossier" $?
[ "$(grep -c . "$OUT/brieven/fouten.csv")" = 3 ] &&
  grep -q "herstel-indexatie-omlaag,,indexatie_alleen_omhoog\|herstel-indexatie-omlaag,,eenmalige_vergoeding" "$OUT/brieven/fouten.csv" &&
  grep -q "herstel-crvb-2024-1523-betaald" "$OUT/brieven/fouten.csv"
st=$?
[ $st = 0 ] || cat "$OUT/brieven/fouten.csv"
check "fouten.csv holds the error row and the dossier read twice" $st
ok=0
for f in "$OUT"/brieven/*.html; do
  sed 's/<[^>]*>/ /g' "$f" | python3 "$DIR/raw_names.py" rules/herstel || { echo "in $f"; ok=1; }
done
check "no raw identifier in any letter of the folder" $ok
"$BIN" explain rules/herstel "$POP" --format brief -o "$OUT/brieven/" 2>"$OUT/again.err"
[ $? = 4 ] && grep -q "is not empty" "$OUT/again.err"
check "a letter folder that is not empty is refused" $?
"$BIN" explain rules/herstel "$POP" --format brief -o "$OUT/met_bon/" --receipt "$OUT/bon.json" 2>/dev/null
[ $? = 2 ] && [ ! -e "$OUT/met_bon" ] && [ ! -e "$OUT/bon.json" ]
check "a folder of letters with --receipt is a usage error" $?
"$BIN" explain rules/herstel "$OUT/populatie.jsonl" --id herstel-indexatie-omlaag --format brief -o "$OUT/fout.html" \
  2>"$OUT/fout.err"
[ $? = 3 ] && [ ! -e "$OUT/fout.html" ] && grep -q "gives an error row, so no letter is written" "$OUT/fout.err"
check "a dossier that is an error row gets no letter but a message" $?
"$BIN" explain rules/wia rules/wia/populatie.jsonl --id "$(head -c 200 rules/wia/populatie.jsonl | sed 's/.*"id": *"\([^"]*\)".*/\1/')" \
  --format brief 2>"$OUT/wia.err" >/dev/null
[ $? = 2 ] && grep -q "a letter needs the output column" "$OUT/wia.err"
check "a rule set without the repair columns makes no letter (exit 2)" $?

echo "letter: $pass passed, $fail failed"
[ "$fail" = 0 ]
