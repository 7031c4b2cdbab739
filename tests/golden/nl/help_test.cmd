$BIN test --help
