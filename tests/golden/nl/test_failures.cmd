$BIN test tests/golden/testcmd/failures/rules.rules tests/golden/testcmd/failures/cases
