$BIN check tests/golden/errors/e016_money_never_rounded.rules
