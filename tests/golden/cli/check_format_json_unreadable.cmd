$BIN check --format json tests/golden/cli/check_format/missing.rules tests/golden/testcmd/tree/rules
