# an output that is an input, or another output, is refused (exit 2) before anything is written
BIN=$(realpath "$BIN")
cp tests/golden/run/dagloonbesluit_2022_versions/rules.rules tests/golden/run/dagloonbesluit_2022_versions/input.csv "$T"
cd "$T" && cp input.csv original.csv
$BIN run rules.rules input.csv -o input.csv; echo "exit $?"
cmp -s input.csv original.csv && echo "input.csv unchanged"
$BIN run rules.rules input.csv -o x.csv --errors x.csv; echo "exit $?"
$BIN run rules.rules input.csv -o x.csv --explain ./x.csv; echo "exit $?"
test -e x.csv || echo "x.csv not made"
ln input.csv hard.csv && ln -s input.csv link.csv
$BIN run rules.rules input.csv -o hard.csv; echo "hard link: exit $?"
$BIN run rules.rules input.csv -o link.csv; echo "symbolic link: exit $?"
$BIN run rules.rules hard.csv --errors input.csv; echo "--errors: exit $?"
$BIN run rules.rules input.csv >>input.csv; echo "standard output: exit $?"
cmp -s input.csv original.csv && echo "input.csv unchanged"
$BIN compile rules.rules -o rules.rules; echo "compile: exit $?"
$BIN run rules.rules input.csv --receipt rules.rules; echo "--receipt: exit $?"
cmp -s input.csv original.csv && echo "input.csv unchanged"
$BIN run rules.rules input.csv -o /dev/null --errors /dev/null; echo "/dev/null twice: exit $?"
mkdir set && cp rules.rules set/regels.rules
$BIN run set input.csv -o set/regels.rules; echo "-o onto a rule file of the RULES folder: exit $?"
$BIN compile set -o set/regels.rules; echo "compile -o onto a rule file of the RULES folder: exit $?"
cmp -s rules.rules set/regels.rules && echo "set/regels.rules unchanged"
$BIN run set input.csv --receipt set/regels.rules >/dev/null; echo "--receipt onto a rule file of the RULES folder: exit $?"
cmp -s rules.rules set/regels.rules && echo "set/regels.rules unchanged"
