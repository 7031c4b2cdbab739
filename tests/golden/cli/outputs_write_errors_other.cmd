# compile, compare, explain, test: a write that fails (/dev/full) is exit status 4 and names the file
ln -s /dev/full "$T/full"   # a link: a bundle written the old way (renamed over) replaces the link, never /dev/full
$BIN compile tests/golden/run/geval_ranges/rules.rules -o "$T/full" 2>"$T/err"; echo "compile: exit $?"; sed "s|$T|T|" "$T/err"
test -L "$T/full" && echo "the link to /dev/full is still there"
$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl -o /dev/full >/dev/null; echo "compare -o: exit $?"
$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --summary /dev/full; echo "compare --summary: exit $?"
$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --html /dev/full >/dev/null; echo "compare --html: exit $?"
$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl >/dev/full; echo "compare, summary on standard output: exit $?"
E=tests/golden/explain/dagloon
$BIN explain $E/rules.rules $E/input.jsonl --id versie-nieuw -o /dev/full; echo "explain -o: exit $?"
$BIN explain $E/rules.rules $E/input.jsonl --id versie-nieuw --format html >/dev/full; echo "explain to standard output: exit $?"
F=tests/golden/testcmd/failures
$BIN test $F/rules.rules $F/cases --junit /dev/full >/dev/null; echo "test --junit: exit $?"
$BIN check tests/golden/run/geval_ranges/rules.rules --changes >/dev/full; echo "check --changes: exit $?"
$BIN --help >/dev/full; echo "--help: exit $?"
