$BIN --help
