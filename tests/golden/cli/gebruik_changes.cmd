$BIN check --changes tests/golden/run/voorstel_op_gebruik/rules.rules
