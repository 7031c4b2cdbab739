$BIN compare tests/compare/basis tests/compare/voorstel - --input-format=jsonl --id P-0000 < tests/compare/dossiers.jsonl
