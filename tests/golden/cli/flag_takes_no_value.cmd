$BIN check --changes=x tests/golden/testcmd/tree/rules
