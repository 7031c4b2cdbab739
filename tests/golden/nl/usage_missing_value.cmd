$BIN run rules/voorbeeld rules/voorbeeld/dossiers.jsonl --threads
