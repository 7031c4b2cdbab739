$BIN check --help
