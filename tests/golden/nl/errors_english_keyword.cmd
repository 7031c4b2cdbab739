$BIN check tests/golden/errors/e002_english_keyword_in_dutch.rules
