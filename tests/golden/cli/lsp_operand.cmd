$BIN lsp extra
