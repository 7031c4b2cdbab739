#!/bin/sh
# make bench, the policy comparison (issue 20 part 4): `dagloon compare` of the bench workload
# (rules/bench/herstel.rules beside the proposal tests/bench/voorstel.rules, summary on
# vergoeding) on one thread and on every core, beside `dagloon run --threads 1` of the rules alone,
# RUNS times interleaved over the same dossiers; the median wall time of each, the peak memory,
# and the ratio compare (every core) / run (one thread) -- the issue's target is at most 1.2 on 2
# cores. The summaries of one thread and every core must be the same bytes.
#
#   sh tests/bench/compare.sh BIN OUTDIR DOSSIERS.csv      (RUNS from the environment, default 5)
set -eu
BIN=$1
OUT=$2
IN=$3
RUNS=${RUNS:-5}
N=$(($(wc -l < "$IN") - 1))
RUN1="$BIN run rules/bench/herstel.rules --threads 1"
CMP="$BIN compare rules/bench/herstel.rules tests/bench/voorstel.rules --value vergoeding"

: > "$OUT/compare.times"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
HZ=$(getconf CLK_TCK)
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }   # the machine's busy ticks so far
timed() {   # timed KIND COMMAND...: a line "KIND wall maxrss user system machine-busy" in compare.times
  kind=$1
  shift
  b0=$(busy)
  /usr/bin/time -f "$kind %e %M %U %S" -o "$OUT/compare.one" "$@" 2>/dev/null
  b1=$(busy)
  echo "$(tail -1 "$OUT/compare.one") $(echo "($b1 - $b0) / $HZ" | bc -l)" >> "$OUT/compare.times"
}
i=0
while [ $i -lt "$RUNS" ]; do
  timed run1 $RUN1 "$IN" -o "$OUT/compare.run.csv"
  timed cmp1 $CMP "$IN" --threads 1 --summary "$OUT/compare.summary1.txt"
  timed cmpall $CMP "$IN" --summary "$OUT/compare.summaryall.txt"
  i=$((i + 1))
done
cmp -s "$OUT/compare.summary1.txt" "$OUT/compare.summaryall.txt" ||
  { echo "FAIL: compare's summary on every core differs from one thread's"; exit 1; }

median() {   # median of the wall times (field 2) of the lines starting with $1
  grep "^$1 " "$OUT/compare.times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
peak() { grep "^$1 " "$OUT/compare.times" | awk '{print $3}' | sort -n | tail -1; }
cpu() {   # median of the processor time (user + system, fields 4 and 5) of the lines starting with $1
  grep "^$1 " "$OUT/compare.times" | awk '{print $4 + $5}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
others() {   # median of the other processes' share of the cores during the lines starting with $1
  grep "^$1 " "$OUT/compare.times" | awk '{o = ($6 - $4 - $5) / $2; print o < 0 ? 0 : o}' | sort -n |
    awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
tr1=$(median run1)
tc1=$(median cmp1)
tca=$(median cmpall)
cores=$(nproc 2>/dev/null || echo "?")
printf '\npolicy comparison (compare herstel.rules voorstel.rules --value vergoeding --summary), N = %s,\n' "$N"
printf 'median of %s interleaved runs; load average before %s, after %s\n' "$RUNS" "$load_before" \
  "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
printf '%-34s %10s %14s %12s %10s %8s\n' "" "wall (s)" "dossiers/s" "peak MB" "cpu (s)" "others"
for row in "run1:run, --threads 1" "cmp1:compare, --threads 1" "cmpall:compare, every core ($cores)"; do
  k=${row%%:*}
  t=$(median "$k")
  printf '%-34s %10.3f %14.0f %12.1f %10.2f %8.2f\n' "${row#*:}" "$t" "$(echo "$N / $t" | bc -l)" \
    "$(echo "$(peak "$k") / 1024" | bc -l)" "$(cpu "$k")" "$(others "$k")"
done
echo "(cpu: the command's processor time; others: the cores the machine's other processes kept busy meanwhile)"
printf 'compare on one thread / run on one thread: %.2f x (two rule sets per dossier)\n' "$(echo "$tc1 / $tr1" | bc -l)"
printf 'compare on every core / run on one thread: %.2f x (target: at most 1.2 x on 2 cores)\n' "$(echo "$tca / $tr1" | bc -l)"
printf 'compare: every core %.2f x the single-thread throughput on %s cores\n' "$(echo "$tc1 / $tca" | bc -l)" "$cores"
# the wall time needs free cores; the processor time does not: what the threads cost beyond one thread's work,
# and its share per core -- the least wall time every core can take with the cores to itself (the serial
# end, the summary, comes on top)
printf 'compare: processor time on every core %.2f x on one thread; shared over %s cores %.2f x run on one thread\n' \
  "$(echo "$(cpu cmpall) / $(cpu cmp1)" | bc -l)" "$cores" "$(echo "$(cpu cmpall) / $cores / $(cpu run1)" | bc -l)"
