# a run that fails leaves an existing output as it was; a good one replaces it (same permissions)
BIN=$(realpath "$BIN")
cp tests/golden/run/dagloonbesluit_2022_versions/rules.rules tests/golden/run/dagloonbesluit_2022_versions/input.csv "$T"
cd "$T" && echo "previous results" >out.csv && echo "previous errors" >errors.csv && chmod 640 out.csv
printf 'id,unknown\n1,2\n' >bad.csv
$BIN run rules.rules bad.csv -o out.csv --errors errors.csv; echo "bad input: exit $?"
cat out.csv errors.csv
$BIN run rules.rules input.csv -o out.csv --errors /dev/full; echo "--errors fails: exit $?"
cat out.csv
$BIN run rules.rules input.csv -o out.csv --errors errors.csv; echo "good run: exit $?"
head -2 out.csv; cat errors.csv; stat -c %a out.csv
ls -A | grep -v -e '^out.csv$' -e '^errors.csv$' -e '^bad.csv$' -e '^input.csv$' -e '^rules.rules$' || echo "no temporary files left"
(umask 027 && $BIN run rules.rules input.csv -o new.csv && stat -c %a new.csv)
