$BIN run tests/golden/run/gebruik/rules.rules tests/golden/run/gebruik/input.jsonl -o $T/out.csv --receipt $T/r.json && grep -o '"path": "tests/golden/[^"]*"' $T/r.json && $BIN replay $T/r.json
