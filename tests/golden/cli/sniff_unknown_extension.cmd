cp tests/golden/run/voorbeeld/input.jsonl "$T/dossiers.txt" && $BIN run tests/golden/run/voorbeeld/rules.rules "$T/dossiers.txt" --format jsonl
