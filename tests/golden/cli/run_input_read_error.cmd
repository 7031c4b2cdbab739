$BIN run rules/voorbeeld tests/golden/testcmd --input-format jsonl --threads 1
