$BIN run tests/golden/run/voorbeeld/rules.rules - --input-format csv < tests/golden/run/voorbeeld/input.jsonl
