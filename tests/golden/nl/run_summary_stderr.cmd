$BIN run tests/golden/run/bad_data_csv/rules.rules tests/golden/run/bad_data_csv/input.csv -o /dev/null --errors /dev/null
