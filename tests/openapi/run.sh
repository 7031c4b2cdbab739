#!/bin/sh
# GET /v1/{ruleset}/openapi.json (tools/serve/openapi.c): the pinned validators of package.json
# (exactly as package-lock.json has them: npm ci, from the npm registry) are installed into
# BUILD/openapi-npm, and check.mjs drives a real `dagloon serve` on 127.0.0.1 (a free port,
# bounded in time, stopping by itself): documents valid OpenAPI 3.1, broken ones refused, real
# traffic and mutants of every field agreeing with the schemas. Missing Node 20 or npm is an
# error, not a skip (make test installs them).
# Run from the repository root: sh tests/openapi/run.sh build/dagloon build
set -eu
BIN=${1:-build/dagloon}
BUILD=${2:-build}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: tests/openapi needs Node.js 20 and npm (Debian: apt-get install nodejs npm; 'make test' installs them)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "error: Node.js $(node --version) is too old: tests/openapi needs Node 20 or later" >&2
  exit 1
fi
DIR=$BUILD/openapi-npm
mkdir -p "$DIR"
if ! cmp -s tests/openapi/package-lock.json "$DIR/node_modules/.dagloon-lock" 2>/dev/null; then
  echo "npm ci in $DIR"
  cp tests/openapi/package.json tests/openapi/package-lock.json "$DIR/"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "error: npm ci failed for tests/openapi (the npm registry must be reachable)" >&2
    exit 1
  }
  cp tests/openapi/package-lock.json "$DIR/node_modules/.dagloon-lock"
fi
# beside its node_modules, where its imports are found
cp tests/openapi/check.mjs "$DIR/check.mjs"
exec node "$DIR/check.mjs" "$BIN"
