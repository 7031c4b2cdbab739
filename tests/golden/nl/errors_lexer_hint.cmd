$BIN check tests/golden/errors/e001_unterminated_string.rules
