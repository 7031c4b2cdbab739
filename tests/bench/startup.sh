#!/bin/sh
# make bench, start-up (called by tests/bench/run.sh): how long loading rules/wia from a bundle takes,
# unsigned (checksum + parse + verifier) and signed with the operator's key (HMAC-SHA256 + parse; the
# verifier skipped: runtime/bundlesig.h), inside one process (tests/bench/load_time.c, the median of
# LOADS loads) and as a whole `dagloon run BUNDLE` on an empty input (the median of STARTS processes,
# beside `dagloon --version`, a process that loads nothing); the target: loading <= 1 ms. Then, for
# every rule set under rules/, the mean start-up from its rule files and from its bundle.
#
#   sh tests/bench/startup.sh BIN OUTDIR        (LOADS, STARTS from the environment)
set -eu
BIN=$1
OUT=$2
LOADS=${LOADS:-500}
STARTS=${STARTS:-40}
BUILDDIR=$(dirname "$BIN")
# the loader as the engine has it: its runtime objects, linked into the timing program
# shellcheck disable=SC2046
${CC:-cc} -O2 -I. -o "$OUT/load_time" tests/bench/load_time.c "$BUILDDIR"/obj/runtime/*.o \
  $(pkg-config --libs jansson libffi yaml-0.1 nettle 2>/dev/null || echo -ljansson -lffi -lyaml -lnettle) -pthread
rm -f "$OUT/startup.key"
"$BIN" sleutel "$OUT/startup.key" 2>/dev/null
"$BIN" compile rules/wia -o "$OUT/wia.unsigned.dlb" 2>/dev/null
"$BIN" compile rules/wia -o "$OUT/wia.signed.dlb" --sign "$OUT/startup.key" 2>/dev/null

median_ms() {   # median_ms CMD...: the median wall time of STARTS runs, in ms
  k=0
  : > "$OUT/starts"
  while [ $k -lt "$STARTS" ]; do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "FAIL: $*" >&2; exit 1; }
    e=$(date +%s%N)
    echo "$(( (e - s) / 1000 ))" >> "$OUT/starts"
    k=$((k + 1))
  done
  sort -n "$OUT/starts" | awk '{a[NR]=$1} END {printf "%.2f", ((NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) / 1000}'
}
run_empty() { "$BIN" run "$1" /dev/null --input-format jsonl --threads 1; }

lu=$("$OUT/load_time" "$OUT/wia.unsigned.dlb" "$LOADS" | cut -d' ' -f1)   # the median (then the fastest)
ls=$("$OUT/load_time" "$OUT/wia.signed.dlb" "$LOADS" "$OUT/startup.key" | cut -d' ' -f1)
pv=$(median_ms "$BIN" --version)
pu=$(median_ms run_empty "$OUT/wia.unsigned.dlb")
ps=$(median_ms env DAGLOON_KEY="$OUT/startup.key" "$BIN" run "$OUT/wia.signed.dlb" /dev/null --input-format jsonl --threads 1)
printf '\nstart-up: rules/wia from a bundle (%s KB), load %s\n' "$(($(wc -c <"$OUT/wia.unsigned.dlb") / 1024))" \
  "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-44s %12s %16s %10s\n' "" "load (ms)" "process (ms)" "target"
printf '%-44s %12.3f %16.2f %9.2fx\n' "unsigned (checksum, parse, verifier)" "$(echo "$lu / 1000" | bc -l)" "$pu" \
  "$(echo "$lu / 1000" | bc -l)"
printf '%-44s %12.3f %16.2f %9.2fx\n' "signed with your key (HMAC, parse)" "$(echo "$ls / 1000" | bc -l)" "$ps" \
  "$(echo "$ls / 1000" | bc -l)"
printf '%-44s %12s %16.2f\n' "dagloon --version (a process, loads nothing)" "" "$pv"
printf 'load: the median of %s loads in one process; process: the median of %s runs on an empty input;\n' "$LOADS" "$STARTS"
printf 'target: loading <= 1 ms (the ratio is load / 1 ms)\n'
rm -f "$OUT/startup.key" "$OUT/starts"

# every rule set: the mean start-up from its rule files and from its bundle
ALLOW=""   # the example native libraries (rules/kalender), allowed as an operator would
for lib in "$BUILDDIR"/natives/*.so; do [ -e "$lib" ] && ALLOW="$ALLOW --allow-native $lib"; done
ms_per_start() {   # ms_per_start RULES -> mean milliseconds of one start-up
  s=$(date +%s%N)
  k=0
  while [ $k -lt "$STARTS" ]; do
    # shellcheck disable=SC2086
    $BIN run "$1" /dev/null --input-format jsonl --threads 1 $ALLOW >/dev/null 2>&1
    k=$((k + 1))
  done
  e=$(date +%s%N)
  echo "($e - $s) / 1000000 / $STARTS" | bc -l
}
printf '\nstart-up (rules loaded, empty input), mean of %s runs\n' "$STARTS"
printf '%-30s %14s %14s %12s\n' "rule set" "rules (ms)" "bundle (ms)" "bundle KB"
tsrc=0
tbun=0
for d in rules/*/; do
  ls "$d"*.rules >/dev/null 2>&1 || continue
  name=$(basename "$d")
  # shellcheck disable=SC2086
  $BIN compile "$d" -o "$OUT/$name.dlb" $ALLOW 2>/dev/null || { echo "FAIL: dagloon compile $d"; exit 1; }
  a=$(ms_per_start "$d")
  b=$(ms_per_start "$OUT/$name.dlb")
  tsrc=$(echo "$tsrc + $a" | bc -l)
  tbun=$(echo "$tbun + $b" | bc -l)
  printf '%-30s %14.2f %14.2f %12.0f\n' "rules/$name" "$a" "$b" "$(($(wc -c <"$OUT/$name.dlb") / 1024))"
done
printf '%-30s %14.2f %14.2f\n' "the whole rules/ tree" "$tsrc" "$tbun"
