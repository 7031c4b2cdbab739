$BIN compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --explain P-0000
