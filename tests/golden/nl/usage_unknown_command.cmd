$BIN rnu tests/golden/run/voorbeeld/rules.rules
