#!/bin/sh
# The VS Code extension's npm packages, exactly as package-lock.json pins them (npm ci, from the npm
# registry), installed into tools/editors/vscode/node_modules unless that already holds this lock.
# Fails, saying why, when Node or npm is missing or too old (vsce 3.x needs Node 20): the grammar
# tests and the .vsix are never skipped silently.
set -eu
DIR=$(cd "$(dirname "$0")/vscode" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: the editor tests and 'make editors' need Node.js 20 and npm (Debian: apt-get install nodejs npm; 'make test' installs them)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old: @vscode/vsce 3.x needs Node 20 or later" >&2
  exit 1
fi
stamp="$DIR/node_modules/.dagloon-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$DIR/package-lock.json"; then
  exit 0
fi
echo "npm ci in tools/editors/vscode"
(cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error) || {
  echo "error: npm ci failed in tools/editors/vscode (the npm registry must be reachable)" >&2
  exit 1
}
cp "$DIR/package-lock.json" "$stamp"
