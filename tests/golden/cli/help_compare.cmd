$BIN compare --help
