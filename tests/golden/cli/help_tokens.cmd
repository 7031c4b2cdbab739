$BIN tokens --help
