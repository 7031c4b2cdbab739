$BIN compile rules/voorbeeld -o $T/voorbeeld.dlb 2>&1 | sed "s|$T|T|"
