#!/bin/sh
# Time `dagloon check` (and, with COMPILE=1, `compile`) on generated rule files of growing size;
# prints one line per size: shape, N, file size, seconds, peak RSS. A size that takes longer than
# LIMIT seconds (default 30) is reported as a timeout and the larger sizes of that shape are
# skipped. Never part of `make test`: speed is not asserted, only measured (tests/perf/README.md).
# usage: tests/perf/measure.sh [BIN] [SHAPE...]
set -u
BIN=${1:-build/dagloon}
[ $# -gt 0 ] && shift
SHAPES=${*:-independent chain dupcols bigfile}
SIZES=${SIZES:-1000 2000 5000 10000 20000 40000 100000}
LIMIT=${LIMIT:-30}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
HERE=$(dirname "$0")
printf '%-12s %7s %10s %8s %9s %s\n' shape N bytes seconds peak_KB diagnostics
for shape in $SHAPES; do
  for n in $SIZES; do
    f=$TMP/$shape.rules
    python3 "$HERE/gen_rules.py" "$shape" "$n" > "$f"
    bytes=$(wc -c < "$f")
    /usr/bin/time -f '%e %M' -o "$TMP/time" timeout "$LIMIT" "$BIN" check "$f" > /dev/null 2> "$TMP/err"
    rc=$?
    read -r secs kb < "$TMP/time" 2>/dev/null || { secs=?; kb=?; }
    case $(tail -n 1 "$TMP/time") in *signal*|*status*) read -r secs kb <<EOT
$(tail -n 1 "$TMP/time")
EOT
    esac
    lines=$(grep -c '\[E' "$TMP/err")
    if [ $rc -eq 124 ]; then
      printf '%-12s %7s %10s %8s %9s %s\n' "$shape" "$n" "$bytes" ">$LIMIT" "$kb" "timeout"
      break
    fi
    printf '%-12s %7s %10s %8s %9s %s\n' "$shape" "$n" "$bytes" "$secs" "$kb" "$lines (exit $rc)"
  done
done
