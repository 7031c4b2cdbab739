$BIN check rules/voorbeeld
