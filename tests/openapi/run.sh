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
DIR=$BUILD/openapi-npm
sh tools/npm_ci.sh tests/openapi "$DIR" tests/openapi
# beside its node_modules, where its imports are found
cp tests/openapi/check.mjs "$DIR/check.mjs"
exec node "$DIR/check.mjs" "$BIN"
