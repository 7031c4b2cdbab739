#!/bin/sh
# Time the front end on generated rule files of growing size (tests/perf/gen_rules.py): one line
# per size with the shape, N, the file's size, seconds, peak RSS and the diagnostics printed. A size
# that takes longer than LIMIT seconds (default 30) is reported as a timeout and the larger sizes of
# that shape are skipped. CMD=check (default) times `dagloon check`; CMD=compile `dagloon compile`
# to a bundle; CMD=run `dagloon run` of that bundle on two dossiers (bundle read and verify).
# Not part of `make test`: speed is measured here, never asserted (tests/perf/README.md).
# usage: tests/perf/measure.sh [BIN] [SHAPE...]    e.g. SIZES="1000 10000" CMD=compile tests/perf/measure.sh
set -u
BIN=${1:-build/dagloon}
[ $# -gt 0 ] && shift
SHAPES=${*:-independent chain dupcols bigfile proposal}
SIZES=${SIZES:-1000 2000 5000 10000 20000 40000 100000}
LIMIT=${LIMIT:-30}
CMD=${CMD:-check}
HERE=$(dirname "$0")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
printf 'id,x\na,1\nb,2\n' > "$TMP/in.csv"
printf '# %s\n%-12s %7s %10s %8s %9s %s\n' "$CMD" shape N bytes seconds peak_KB diagnostics
for shape in $SHAPES; do
  for n in $SIZES; do
    if [ "$shape" = proposal ]; then   # a base of N rules and a proposal on it: two files
      rm -rf "$TMP/prop"
      python3 "$HERE/gen_rules.py" proposal "$n" "$TMP/prop"
      f=$TMP/prop/voorstel
      bytes=$(cat "$TMP"/prop/*/*.rules | wc -c)
    else
      f=$TMP/$shape.rules
      python3 "$HERE/gen_rules.py" "$shape" "$n" > "$f"
      bytes=$(wc -c < "$f")
    fi
    case $CMD in
      check) set -- check "$f" ;;
      compile) set -- compile "$f" -o "$TMP/b.dlb" ;;
      run) "$BIN" compile "$f" -o "$TMP/b.dlb" 2>/dev/null || { echo "$shape $n: does not compile"; break; }
           set -- run "$TMP/b.dlb" "$TMP/in.csv" ;;
    esac
    /usr/bin/time -f '%e %M' -o "$TMP/time" timeout "$LIMIT" "$BIN" "$@" > /dev/null 2> "$TMP/err"
    rc=$?
    read -r secs kb <<EOT
$(tail -n 1 "$TMP/time")
EOT
    diags=$(grep -c '\[[EW][0-9]*\]$\|more like this$' "$TMP/err")
    if [ $rc -eq 124 ]; then
      printf '%-12s %7s %10s %8s %9s %s\n' "$shape" "$n" "$bytes" ">$LIMIT" "$kb" "timeout"
      break
    fi
    printf '%-12s %7s %10s %8s %9s %s\n' "$shape" "$n" "$bytes" "$secs" "$kb" "$diags (exit $rc)"
  done
done
