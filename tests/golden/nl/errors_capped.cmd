$BIN check tests/golden/errors/e010_duplicate_columns_capped.rules
