$BIN check tests/golden/errors/e010_duplicate_rule.rules
