$BIN disasm --help
