$BIN explain tests/golden/explain/dagloon/rules.rules tests/golden/explain/dagloon/input.jsonl --id
