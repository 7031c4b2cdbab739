cp tests/golden/run/optional_fields_csv/input.csv "$T/-x" && cd "$T" && "$OLDPWD/$BIN" run "$OLDPWD/tests/golden/run/optional_fields_csv/rules.rules" -- -x
