$BIN check tests/golden/cli/strict_folder
