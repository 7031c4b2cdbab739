$BIN explain --help
