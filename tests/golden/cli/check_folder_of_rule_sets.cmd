$BIN check tests/golden/testcmd/tree/rules
