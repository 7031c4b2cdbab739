$BIN check --format xml tests/golden/cli/check_format/second.rules
