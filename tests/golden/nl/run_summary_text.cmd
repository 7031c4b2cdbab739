$BIN run tests/summary/klein tests/summary/klein/input.csv -o /dev/null --errors /dev/null --summary /dev/stdout --by kleur --threads 2
