$BIN replay --help
