$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --errors "$T/fouten.csv" && cat "$T/fouten.csv"
