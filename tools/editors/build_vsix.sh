#!/bin/sh
# make editors: the VS Code extension packaged as build/editors/dagloon-VERSION.vsix by the pinned
# @vscode/vsce, after checking that its grammar is the one lang/lexer.re gives. Run from the repository root.
set -eu
OUT=${1:-build/editors}
python3 tools/editors/gen_grammar.py --check
sh tools/npm_ci.sh tools/editors/vscode tools/editors/vscode "the editor packages (make editors, tools/editors/test.sh)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd tools/editors/vscode
version=$(node -p 'require("./package.json").version')
npx --no-install vsce package --allow-missing-repository --skip-license --out "$OUT/dagloon-$version.vsix"
