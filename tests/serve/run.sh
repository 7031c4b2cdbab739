#!/bin/sh
# dagloon serve (tools/serve/): the server includes only dagloon.h of the engine, and
# tests/serve/test_serve.py drives it over HTTP on 127.0.0.1 (a free port, bounded in time,
# stopping by itself): every answer equals `dagloon run --format jsonl`'s line, problem bodies,
# limits, concurrency, and the graceful stop on SIGTERM; tests/serve/test_ops.py: /metrics,
# receipts, the HTML explanation, IPv6; tests/serve/test_reload.py the reload on SIGHUP with
# requests in flight.
#
# Run from the repository root: sh tests/serve/run.sh build/dagloon [build/loadgen [REQUESTS]]
set -eu
BIN=${1:-build/dagloon}
LOADGEN=${2:-}          # build/loadgen (the Makefile passes it); without it the load test is left out
REQUESTS=${3:-100000}

# 1. tools/serve/ reaches the engine through tools/api/dagloon.h alone: no header of runtime/,
#    lang/ or tools/ but its own (files beside it) and dagloon.h
foreign_includes() {   # the include lines of the files given that name a header of the project not allowed
  for f in "$@"; do
    grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
      h=$(echo "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
      [ "$h" = dagloon.h ] && continue
      case "$h" in */*) echo "$line"; continue ;; esac
      [ -f "$(dirname "$f")/$h" ] || echo "$line"
    done
    grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(runtime\|lang\|tools\)/' "$f" || true
  done
}
bad=$(foreign_includes tools/serve/*.c tools/serve/*.h)
if [ -n "$bad" ]; then echo "error: tools/serve/ may include only dagloon.h of the engine:"; echo "$bad"; exit 1; fi
# (the check itself finds each kind of include it must refuse)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf '#include "runtime/vm.h"\n#include <lang/front.h>\n#include "cli.h"\n#include "dagloon.h"\n#include <stdio.h>\n' > "$T/bad.c"
[ "$(foreign_includes "$T/bad.c" | wc -l)" -eq 3 ] || { echo "error: the serve include check misses includes"; exit 1; }

# 2. over HTTP
/usr/bin/python3 tests/serve/test_serve.py "$BIN"
# 3. operations: /metrics (parsed by prometheus_client), ?receipt=1, uitleg as HTML, IPv6 --listen
/usr/bin/python3 tests/serve/test_ops.py "$BIN"
# 4. SIGHUP's reload during requests (Linux: a FIFO rule file and /proc hold a reload half-way)
/usr/bin/python3 tests/serve/test_reload.py "$BIN"
# 5. under load (tests/serve/loadgen.c: REQUESTS over 64 connections, byte-equal to run) and malformed HTTP
[ -z "$LOADGEN" ] || /usr/bin/python3 tests/serve/test_load.py "$BIN" "$LOADGEN" "$REQUESTS"
