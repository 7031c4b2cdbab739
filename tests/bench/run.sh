#!/bin/sh
# make bench: the `herstel` workload (version 1, restated in rules/bench/herstel.rules) on the rules VM, on our
# native C program (tests/bench/herstel_native.c) and on the workload's own fast C reference
# (herstel_ref.c, outside this repository: timed when tests/bench/find_ref.sh finds it). Checks that
# all print the same bytes for N = 100,000 (seed 1), then times them on N = 1,000,000 (seed 2), RUNS
# times interleaved, and prints the median wall time, dossiers per second, the peak memory (max RSS)
# and the ratio of each to the faster of the two C programs. Last, the service figures
# of `dagloon serve` beside run (tests/bench/serve.sh, with OUTDIR/../loadgen or $LOADGEN).
#
#   sh tests/bench/run.sh [BIN] [OUTDIR]        (N, SEED, RUNS from the environment)
set -eu
BIN=${1:-build/dagloon}
OUT=${2:-build}/bench
N=${N:-1000000}
SEED=${SEED:-2}
RUNS=${RUNS:-5}
THREADS=${THREADS:-}
mkdir -p "$OUT"
command -v python3 >/dev/null || { echo "bench: python3 is needed to generate the dossiers"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (Debian package 'time') is needed"; exit 2; }

gen() {   # gen N SEED -> path of the dossier file (generated once, then kept in OUTDIR)
  f="$OUT/dossiers-$1-$2.csv"
  [ -s "$f" ] || python3 tests/bench/gen_dossiers.py "$1" "$2" > "$f"
  echo "$f"
}

# The programs timed, all fed the same file: the fast C reference of the workload when its folder is
# found (tests/bench/find_ref.sh), our own native program, and the VM on one thread and on every core.
# Both C programs are compiled with the same flags.
BENCH_CFLAGS=${BENCH_CFLAGS:--O2}
# shellcheck disable=SC2086
${CC:-cc} $BENCH_CFLAGS -o "$OUT/herstel_native" tests/bench/herstel_native.c
NATIVE="$OUT/herstel_native rules/bench/tables.csv"
REF=""
refdir=$(sh tests/bench/find_ref.sh)
if [ -n "$refdir" ]; then
  # shellcheck disable=SC2086
  ${CC:-cc} $BENCH_CFLAGS -o "$OUT/herstel_ref" "$refdir/herstel_ref.c"
  REF="$OUT/herstel_ref $refdir/tables.csv"
  cmp -s "$refdir/tables.csv" rules/bench/tables.csv || { echo "FAIL: $refdir/tables.csv is not rules/bench/tables.csv"; exit 1; }
else
  echo "bench: the reference (shared/bench/herstel_ref.c beside an ancestor of $(pwd), or \$HERSTEL_REF_DIR) is absent: not timed"
fi
VM="$BIN run rules/bench/herstel.rules --threads 1"
VMALL="$BIN run rules/bench/herstel.rules"   # every core

same() {   # same A B WHAT: A and B byte for byte, else the bench fails
  cmp -s "$1" "$2" || { echo "FAIL: $3 differ:"; diff "$1" "$2" | head -10; exit 1; }
}

# 1. correctness: byte-identical on 100,000 dossiers
small=$(gen 100000 1)
$NATIVE "$small" > "$OUT/check.native.csv"
/usr/bin/time -f "%M" -o "$OUT/check.rss" $VM "$small" > "$OUT/check.vm.csv" 2>/dev/null
same "$OUT/check.native.csv" "$OUT/check.vm.csv" "the rules and the native program on N = 100,000 (seed 1)"
if [ -n "$REF" ]; then
  $REF "$small" > "$OUT/check.ref.csv"
  same "$OUT/check.ref.csv" "$OUT/check.native.csv" "the reference and the native program on N = 100,000 (seed 1)"
fi
echo "identical output on N = 100,000 (seed 1): $(wc -l < "$OUT/check.vm.csv") lines"

# 2. timing on N dossiers, the programs interleaved in every round
big=$(gen "$N" "$SEED")
: > "$OUT/times"
i=0
while [ $i -lt "$RUNS" ]; do
  [ -z "$REF" ] || /usr/bin/time -f "ref %e %M" -a -o "$OUT/times" $REF "$big" > "$OUT/out.ref.csv"
  /usr/bin/time -f "native %e %M" -a -o "$OUT/times" $NATIVE "$big" > "$OUT/out.native.csv"
  /usr/bin/time -f "vm %e %M" -a -o "$OUT/times" $VM "$big" -o "$OUT/out.vm.csv" 2>/dev/null
  /usr/bin/time -f "vmall %e %M" -a -o "$OUT/times" $VMALL "$big" -o "$OUT/out.vmall.csv" 2>/dev/null
  i=$((i + 1))
done
[ -z "$REF" ] || same "$OUT/out.ref.csv" "$OUT/out.native.csv" "the reference and the native program on N = $N"
same "$OUT/out.native.csv" "$OUT/out.vm.csv" "the native program and the VM on N = $N"
same "$OUT/out.native.csv" "$OUT/out.vmall.csv" "the native program and the VM on every core on N = $N"

median() {   # median of the wall times (field 2) of the lines starting with $1
  grep "^$1 " "$OUT/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
peak() { grep "^$1 " "$OUT/times" | awk '{print $3}' | sort -n | tail -1; }
tn=$(median native)
tv=$(median vm)
ta=$(median vmall)
tb=$tn   # the baseline of every ratio: the faster of the reference and our native program
base="native"
if [ -n "$REF" ]; then
  tr=$(median ref)
  if [ "$(echo "$tr < $tn" | bc -l)" = 1 ]; then tb=$tr; base="reference"; fi
fi
cores=$(nproc 2>/dev/null || echo "?")
printf '\nherstel, N = %s (seed %s), median of %s interleaved runs, CSV in and CSV out, load %s\n' \
  "$N" "$SEED" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-34s %10s %14s %12s %10s\n' "" "wall (s)" "dossiers/s" "peak MB" "ratio"
row() {   # row LABEL SECONDS KEY
  printf '%-34s %10.3f %14.0f %12.1f %9.2fx\n' "$1" "$2" "$(echo "$N / $2" | bc -l)" \
    "$(echo "$(peak "$3") / 1024" | bc -l)" "$(echo "$2 / $tb" | bc -l)"
}
[ -z "$REF" ] || row "reference herstel_ref.c ($BENCH_CFLAGS)" "$tr" ref
row "native herstel_native.c ($BENCH_CFLAGS)" "$tn" native
row "dagloon VM, --threads 1" "$tv" vm
row "dagloon VM, every core ($cores)" "$ta" vmall
sh tests/bench/native.sh "$BIN" "$OUT" "$big" "$tb"   # the native back end (compile --native), its own runs
printf 'ratios against the faster C program (%s); VM single thread: %.2f x (target: at most 4 x)\n' \
  "$base" "$(echo "$tv / $tb" | bc -l)"
printf 'threads: %.2f x the single-thread throughput on %s cores\n' "$(echo "$tv / $ta" | bc -l)" "$cores"
# memory at 100 k, 1 M and 3 M dossiers, and the ratio 3 M / 100 k (flat in N: at most 2 x)
sh tests/bench/memory.sh "$BIN" "$OUT" $NATIVE
# the trace on: every dossier explained into the compact trace, rules/wia and rules/herstel (tests/bench/trace.sh)
sh tests/bench/trace.sh "$BIN" "$OUT"
# the policy comparison: the rules beside a proposal (tests/bench/voorstel.rules) over the same N,
# on one thread and every core, beside run on one thread (tests/bench/compare.sh)
sh tests/bench/compare.sh "$BIN" "$OUT" "$big"

# 3. start-up: rules/wia from a bundle, unsigned and signed (the target: <= 1 ms), and every rule set
sh tests/bench/startup.sh "$BIN" "$OUT"

# 4. the service: dagloon serve under build/loadgen beside run --format jsonl (tests/bench/serve.sh)
sh tests/bench/serve.sh "$BIN" "$OUT" "${LOADGEN:-$(dirname "$OUT")/loadgen}"
