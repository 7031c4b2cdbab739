$BIN check tests/golden/errors/e012_typo_in_field.rules
