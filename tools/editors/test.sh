#!/bin/sh
# The editor packages' tests (make test-run): the generated grammars match lang/lexer.re, the
# TextMate grammar tests in both languages and rules/ without invalid scopes (npm: the pinned
# vscode-tmgrammar-test), the VS Code client's start-up, and the Vim package in headless Neovim:
# filetype, ftplugin, syntax groups, and the LSP client against a stand-in server and against
# 'DAGLOON lsp'. Missing Node, npm or Neovim is an error, not a skip.
# Run from the repository root: sh tools/editors/test.sh build/dagloon
set -eu
DAGLOON=${1:-${DAGLOON:-build/dagloon}}
case $DAGLOON in /*) ;; *) DAGLOON=$PWD/$DAGLOON ;; esac
ED=$PWD/tools/editors
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 "$ED/gen_grammar.py" --check
# the check itself: a keyword added to a copy of the lexer must make it fail
G=$TMP/gen
mkdir -p "$G/lang" "$G/tools/editors/vscode/syntaxes" "$G/tools/editors/vim/syntax"
cp lang/check.c "$G/lang/"
sed 's/{"strikt", "strict", TK_STRICT},/&\n  {"proefwoord", "testword", TK_STRICT},/' lang/lexer.re > "$G/lang/lexer.re"
cp "$ED/gen_grammar.py" "$G/tools/editors/"
cp "$ED/vscode/syntaxes/dagloon.tmLanguage.json" "$G/tools/editors/vscode/syntaxes/"
cp "$ED/vim/syntax/dagloon.vim" "$G/tools/editors/vim/syntax/"
if python3 "$G/tools/editors/gen_grammar.py" --check > "$G/out" 2>&1 || ! grep -q proefwoord "$G/out"; then
  cat "$G/out"; echo "FAIL: gen_grammar.py --check did not notice a new keyword in lang/lexer.re" >&2; exit 1
fi
sh tools/npm_ci.sh "$ED/vscode" "$ED/vscode" "the editor packages (make editors, tools/editors/test.sh)"
(cd "$ED/vscode" && npx --no-install vscode-tmgrammar-test -g syntaxes/dagloon.tmLanguage.json 'test/*.rules')
node "$ED/vscode/test/no_invalid.js"
node "$ED/vscode/test/client_test.js"
# the .vsix as 'make editors' builds it, unpacked and loaded
sh "$ED/build_vsix.sh" "$TMP/vsix" >"$TMP/vsix.log" 2>&1 || { cat "$TMP/vsix.log"; exit 1; }
python3 -m zipfile -e "$TMP"/vsix/dagloon-*.vsix "$TMP/vsix/x"
node "$ED/vscode/test/vsix_test.js" "$TMP/vsix/x"

if ! command -v nvim >/dev/null 2>&1; then
  echo "error: the Vim package tests need Neovim (Debian: apt-get install neovim; 'make test' installs it)" >&2
  exit 1
fi
nvim_run() {   # nvim_run LUAFILE: headless Neovim with only the package on the runtimepath
  timeout 120 nvim --headless -u NONE -i NONE --cmd "set rtp^=$ED/vim" \
    -c 'filetype plugin on' -c 'syntax on' -c "luafile $1" </dev/null
}
SAMPLES=$ED/vscode/test TMPDIR_TEST=$TMP nvim_run "$ED/vim/test/syntax_test.lua"

# the client against the stand-in server: started for the file's folder, the table date and the
# locale sent in initialize, the diagnostic shown
mkdir -p "$TMP/set"
printf 'taal nl\nregel a: geheel = onbekend + 1\n' > "$TMP/set/fout.rules"
printf 'taal nl\nregel c: geheel = 2\n' > "$TMP/set/goed.rules"
mkdir -p "$TMP/cases/set" "$TMP/tables"
printf 'bron: x\nafleiding: x\ninvoer:\n  id: a\nverwacht:\n  c: 2\n' > "$TMP/cases/set/c.case"
printf 'vanaf,bedrag\n2024-01-01,1\n' > "$TMP/tables/t.csv"
LANG=nl_NL.UTF-8 LC_ALL= LC_MESSAGES= DATUM=2024-07-01 WANT_LINE=2 \
  LSP_CMD="[\"python3\", \"$ED/vim/test/fake_lsp.py\", \"$TMP/init.json\"]" \
  RULE_FILE=$TMP/set/fout.rules OTHER_FILE=$TMP/set/goed.rules CASE_FILE=$TMP/cases/set/c.case \
  CSV_FILE=$TMP/tables/t.csv nvim_run "$ED/vim/test/lsp_test.lua"
python3 - "$TMP/init.json" "$TMP/set" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
want = {'rootUri': 'file://' + sys.argv[2], 'initializationOptions': {'datum': '2024-07-01'}, 'locale': 'nl-NL'}
bad = [f'{k}: {p.get(k)!r}, want {v!r}' for k, v in want.items() if p.get(k) != v]
for b in bad:
    print('FAIL: initialize', b)
sys.exit(1 if bad else 0)
PY

# the client against the real server (issue 17 part 2, built in parallel)
if LC_ALL=C LANGUAGE= "$DAGLOON" lsp --help 2>&1 | grep -q "unknown command 'lsp'"; then
  echo "SKIP: dagloon has no lsp command ($DAGLOON)"
else
  LSP_CMD="[\"$DAGLOON\", \"lsp\"]" RULE_FILE=$TMP/set/fout.rules WANT_LINE=2 nvim_run "$ED/vim/test/lsp_test.lua"
fi
echo "editor packages: all tests passed"
