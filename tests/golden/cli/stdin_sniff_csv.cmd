$BIN run tests/golden/run/optional_fields_csv/rules.rules - < tests/golden/run/optional_fields_csv/input.csv
