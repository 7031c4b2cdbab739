#!/bin/sh
# make bench, memory (called by tests/bench/run.sh): the peak memory (max RSS) of `dagloon run
# rules/bench/herstel.rules --threads 1` on 100,000, 1,000,000 and 3,000,000 generated dossiers,
# and the ratio of the peak at 3 M to the peak at 100 k (the target: at most 2: flat in N; the ids
# seen are spilled to a temporary file, runtime/idspill.h). Each output is checked against the
# native program's, so the figure is of a run that computed every dossier right.
#
#   sh tests/bench/memory.sh BIN OUTDIR NATIVE...   (NATIVE: the native program and its tables)
set -eu
BIN=$1
OUT=$2
shift 2
gen() {   # gen N SEED -> the dossier file (generated once, then kept in OUTDIR)
  f="$OUT/dossiers-$1-$2.csv"
  [ -s "$f" ] || python3 tests/bench/gen_dossiers.py "$1" "$2" > "$f"
  echo "$f"
}
check() {   # check FILE NATIVE...: the VM's rows of the last run are the native program's
  f=$1
  shift
  "$@" "$f" > "$OUT/memory.native.csv"
  cmp -s "$OUT/memory.native.csv" "$OUT/memory.vm.csv" || { echo "FAIL: the VM's rows differ on $f"; exit 1; }
}
printf '\nmemory: rules/bench, run --threads 1, peak RSS, load %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-14s %10s %10s\n' "dossiers" "peak MB" "x 100 k"
base=""
for spec in "100000 1" "1000000 2" "3000000 3"; do
  # shellcheck disable=SC2086
  set -- $spec "$@"
  n=$1
  f=$(gen "$1" "$2")
  shift 2
  /usr/bin/time -f "%M" -o "$OUT/memory.rss" "$BIN" run rules/bench/herstel.rules "$f" --threads 1 \
    -o "$OUT/memory.vm.csv" 2>/dev/null
  check "$f" "$@"
  mb=$(echo "$(cat "$OUT/memory.rss") / 1024" | bc -l)
  [ -n "$base" ] || base=$mb
  printf '%-14s %10.1f %9.2fx\n' "$n" "$mb" "$(echo "$mb / $base" | bc -l)"
done
printf 'memory flat in N: the peak at 3 M is %.2f x the peak at 100 k (target: at most 2 x)\n' "$(echo "$mb / $base" | bc -l)"
rm -f "$OUT/memory.rss" "$OUT/memory.vm.csv" "$OUT/memory.native.csv"
