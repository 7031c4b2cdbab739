$BIN ast --help
