$BIN run tests/golden/run/voorbeeld/rules.rules --format=jsonl tests/golden/run/voorbeeld/input.jsonl --threads=1 --max-steps=1000
