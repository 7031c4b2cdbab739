#!/bin/sh
# The language server (dagloon lsp) driven over stdio by tests/lsp/test_lsp.py: a session on the
# fixture rule sets compared with tests/lsp/session.golden (UPDATE=1 rewrites it; check the diff),
# assertions on diagnostics, UTF-16 positions and the debounce, and the protocol's failure cases.
#
# Run from the repository root: sh tests/lsp/run.sh build/dagloon
set -u
BIN=${1:-build/dagloon}
exec /usr/bin/python3 tests/lsp/test_lsp.py "$BIN"
