$BIN run --help
