# a run stopped by a signal leaves no temporary file, and the previous output as it was
BIN=$(realpath "$BIN")
cp tests/golden/run/threads_many/rules.rules "$T" && cd "$T" && echo "previous results" >out.csv
awk 'BEGIN { print "id,a,b"; for (i = 1; i <= 1000; i++) print i "," i ".00,3" }' >dossiers.csv
{ cat dossiers.csv; sleep 3; } | $BIN run rules.rules - -o out.csv 2>/dev/null &
run=$!
n=0; while [ "$(ls -A | grep -c '^\.out\.csv\.')" = 0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ $n -lt 100 ] && echo "a temporary file beside out.csv while the run waits for its input"
kill -TERM $run; { wait $run; } 2>/dev/null; echo "killed: exit $?"
ls -A | grep '^\.' || echo "no temporary file left"
cat out.csv
