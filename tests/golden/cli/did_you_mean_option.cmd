$BIN run tests/golden/run/voorbeeld/rules.rules tests/golden/run/voorbeeld/input.jsonl --thread 2
