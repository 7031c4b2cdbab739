$BIN check --format json tests/golden/cli/check_format/rules/mixed.rules tests/golden/cli/check_format/second.rules
