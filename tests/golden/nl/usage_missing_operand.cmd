$BIN run rules/voorbeeld
