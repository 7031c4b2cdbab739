$BIN test rules/voorbeeld tests/cases/voorbeeld
