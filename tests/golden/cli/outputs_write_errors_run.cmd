# run: a write that fails (/dev/full) is exit status 4 and names the file, on every path
R=tests/golden/run/dagloonbesluit_2022_versions
$BIN run $R/rules.rules $R/input.csv -o /dev/full; echo "csv, one thread: exit $?"
$BIN run $R/rules.rules $R/input.csv --format jsonl -o /dev/full; echo "jsonl, one thread: exit $?"
$BIN run $R/rules.rules $R/input.csv --threads 2 -o /dev/full; echo "csv, two threads: exit $?"
$BIN run $R/rules.rules $R/input.csv --threads 2 --format jsonl -o /dev/full; echo "jsonl, two threads: exit $?"
$BIN run $R/rules.rules $R/input.csv >/dev/full; echo "standard output: exit $?"
$BIN run $R/rules.rules $R/input.csv -o "$T/rows.csv" --errors /dev/full; echo "--errors: exit $?"
test -e "$T/rows.csv" || echo "rows.csv not made (no output is put in place when one fails)"
$BIN run $R/rules.rules $R/input.csv -o "$T/rows.csv" --explain /dev/full >/dev/null 2>&1; echo "--explain: exit $?"
ln -s /dev/full "$T/full"   # a link: a receipt written the old way (renamed over) replaces the link, never /dev/full
$BIN run $R/rules.rules $R/input.csv -o "$T/rows.csv" --receipt "$T/full" 2>/dev/null; echo "--receipt: exit $?"
M=tests/golden/run/threads_many
$BIN run $M/rules.rules $M/input.csv --threads 7 -o /dev/full 2>"$T/err"; echo "3000 dossiers, seven threads: exit $?"
tail -2 "$T/err"
