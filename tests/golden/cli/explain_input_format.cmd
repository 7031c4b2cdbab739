$BIN explain tests/golden/explain/dagloon/rules.rules - --input-format jsonl --id fout < tests/golden/explain/dagloon/input.jsonl
