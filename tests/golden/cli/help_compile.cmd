$BIN compile --help
