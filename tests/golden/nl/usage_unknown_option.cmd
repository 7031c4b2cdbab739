$BIN run --treads 2 rules/voorbeeld rules/voorbeeld/dossiers.jsonl
