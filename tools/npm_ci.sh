#!/bin/sh
# tools/npm_ci.sh SRC DEST WHAT: the npm packages SRC/package.json pins, exactly as SRC/package-lock.json
# has them (npm ci, from the npm registry), installed into DEST/node_modules unless that already holds
# this lock (DEST may be SRC). WHAT names the user in messages. Fails, saying why, when Node or npm is
# missing or older than 20 (vsce 3.x and the OpenAPI validators need it): tests that need the
# packages are never skipped silently. Used by tools/editors/ and tests/openapi/.
set -eu
SRC=$1 DEST=$2 WHAT=$3
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: $WHAT needs Node.js 20 and npm (Debian: apt-get install nodejs npm; 'make test' installs them)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old: $WHAT needs Node 20 or later" >&2
  exit 1
fi
stamp="$DEST/node_modules/.dagloon-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$SRC/package-lock.json"; then
  exit 0
fi
mkdir -p "$DEST"
if [ "$(cd "$SRC" && pwd)" != "$(cd "$DEST" && pwd)" ]; then cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"; fi
echo "npm ci in $DEST"
(cd "$DEST" && npm ci --no-audit --no-fund --loglevel=error) || {
  echo "error: npm ci failed for $WHAT (the npm registry must be reachable)" >&2
  exit 1
}
cp "$SRC/package-lock.json" "$stamp"
