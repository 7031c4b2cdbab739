$BIN check --format sarif tests/golden/cli/check_format/missing.rules
