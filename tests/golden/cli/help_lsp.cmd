$BIN lsp --help
