$BIN check --changes tests/compare/voorstel
