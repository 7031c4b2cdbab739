# a bundle compiled from /dev/stdin: the stale-rules check never reads /dev/stdin, so no piped dossier is lost
BIN=$(realpath "$BIN")
cd "$T"
cat "$OLDPWD/tests/golden/run/threads_many/rules.rules" | $BIN compile /dev/stdin -o b.dlb; echo "compile: exit $?"
awk 'BEGIN { print "id,a,b"; for (i = 1; i <= 2000; i++) print i "," i ".00,3" }' >dossiers.csv
cat dossiers.csv | $BIN run b.dlb - >rows.csv; echo "run: exit $?"
wc -l <rows.csv
cat dossiers.csv | $BIN run b.dlb - --threads 2 | wc -l
cat dossiers.csv | $BIN run b.dlb /dev/stdin | wc -l
cat "$OLDPWD/tests/golden/run/threads_many/rules.rules" | $BIN run /dev/stdin dossiers.csv | wc -l
