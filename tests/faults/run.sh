#!/bin/sh
# Fault injection, as SQLite tests it: fail every allocation, write and read of a few small
# commands in turn, and check each time that dagloon fails cleanly.
#
#   sh tests/faults/run.sh build-fault/dagloon      (make test-faults builds it and runs this)
#
# The binary is the fault build (make FAULT=1: ASan + UBSan + LeakSanitizer, and
# tests/faults/fault.c wrapped around every allocation, write and read). For each scenario
# below the script runs the command once without a fault, counting the calls of each kind
# and where they come from (DAGLOON_FAULT_LOG), then again with DAGLOON_FAULT=KIND:N for
# every N up to FAULTS_ALL, the first N of every distinct call site, and a stride through
# the rest (at most FAULTS_MAX runs per scenario and kind); reads and writes also with
# KIND:N+ (that call and every later one fail, as a dead disk does) from the first call of
# every site. Each run must:
#   - not crash (no exit by a signal) and leave no sanitizer report (leaks included);
#   - exit with the fault-free run's status only with the very same outputs, byte for byte;
#   - otherwise exit non-zero with a message that names the failure on standard error
#     (or in the errors file): out of memory / cannot read / cannot write;
#   - and with the status for it: a failed allocation 5 (out of memory); a failed read of the
#     rule files, tables, bundle or input 1 or 2; a failed write 2 or 4 -- never 3 ("finished
#     with error rows") and never 0.
# Environment: FAULTS_ALL (default 50), FAULTS_MAX (250), FAULTS_JOBS (2), FAULTS_ONLY
# (a scenario name), FAULTS_KEEP=1 (keep the work directory).
set -u

if [ "${1:-}" = "--one" ]; then
  mode=one
  shift
  scen=$1 kind=$2 n=$3 work=$4 bin=$5
else
  mode=all
  bin=${1:?usage: run.sh build-fault/dagloon}
fi

SCENARIOS="run compile run-bundle explain explain-json compare run-summary kalibreer"

# The command of a scenario, writing its outputs into directory $1.
scenario() {
  d=$1
  case $scen in
    run) set -- run rules/voorbeeld rules/voorbeeld/dossiers.jsonl --threads 1 -o "$d/out.csv" --errors "$d/errors.csv" ;;
    compile) set -- compile rules/voorbeeld -o "$d/voorbeeld.bundle" ;;
    run-bundle) set -- run "$work/voorbeeld.bundle" rules/voorbeeld/dossiers.jsonl --threads 1 --format jsonl ;;
    explain) set -- explain rules/voorbeeld rules/voorbeeld/dossiers.jsonl --id D-003 -o "$d/explain.txt" ;;
    explain-json) set -- explain rules/voorbeeld rules/voorbeeld/dossiers.jsonl --id D-002 --format json ;;
    compare) set -- compare tests/compare/basis tests/compare/voorstel tests/compare/dossiers.jsonl --threads 1 \
               -o "$d/rows.csv" --summary "$d/summary.json" --html "$d/report.html" --errors "$d/errors.csv" ;;
    run-summary) set -- run tests/summary/klein tests/summary/klein/input.csv --threads 1 -o "$d/out.csv" \
               --errors "$d/errors.csv" --summary "$d/summary.csv" --by kleur --html "$d/report.html" ;;
    kalibreer) export SOURCE_DATE_EPOCH=0
               set -- kalibreer tests/kalibreer/klein.jsonl --doel tests/kalibreer/klein_doelen.csv -o "$d/w.jsonl" \
               --verslag "$d/verslag.csv" --errors "$d/errors.csv" ;;
    *) echo "unknown scenario $scen" >&2; exit 2 ;;
  esac
  "$bin" "$@" >"$d/stdout" 2>"$d/stderr"
}

# One faulted run, judged against the fault-free one in $work/$scen/ref. Prints a line per defect.
one() {
  ref=$work/$scen/ref
  d=$work/$scen/$kind.$n
  mkdir -p "$d"
  DAGLOON_FAULT=$kind:$n DAGLOON_FAULT_LOG=$d/log scenario "$d"
  st=$?
  refst=$(cat "$ref/status")
  fired=$(grep '^fired ' "$d/log" 2>/dev/null | head -1 | cut -d' ' -f2-)
  bad() { echo "FAIL $scen $kind:$n (${fired:-not reached}) exit $st: $*"; }
  if grep -q 'Sanitizer\|runtime error:' "$d/stderr"; then
    bad "sanitizer report: $(grep -m1 'ERROR: \|runtime error:' "$d/stderr")"
  elif [ "$st" -ge 128 ]; then
    bad "killed by a signal"
  elif [ -z "$fired" ]; then
    [ "$st" = "$refst" ] && same_outputs "$ref" "$d" || bad "the call was not reached, yet the run differs"
  elif [ "$st" = "$refst" ] || [ "$st" = 0 ]; then
    same_outputs "$ref" "$d" || bad "a wrong or incomplete output and the fault-free exit status"
  else
    case $kind in
      alloc) pattern='out of memory' ;;
      read) pattern='cannot read\|cannot be read\|cannot open\|read error\|Input/output error' ;;
      write) pattern='cannot write\|cannot rename\|error writing\|could not be written\|No space left on device' ;;
    esac
    if ! cat "$d/stderr" "$d/errors.csv" 2>/dev/null | grep -q "$pattern"; then
      bad "no message saying what failed: $(head -c 300 "$d/stderr" | tr '\n' '|')"
    else
      case $kind:$st in
        alloc:5|read:1|read:2|write:2|write:4) ;;
        *) bad "a failed $kind must exit 5 (out of memory), 1 or 2 (read), 2 or 4 (write)" ;;
      esac
    fi
  fi
  [ "${FAULTS_KEEP:-0}" = 1 ] || rm -rf "$d"
}

# Every output file (and standard output) the same as the fault-free run's.
same_outputs() {
  for f in "$1"/*; do
    b=${f##*/}
    case $b in stderr|log|status) continue ;; esac
    cmp -s "$f" "$2/$b" || return 1
  done
  for f in "$2"/*; do
    [ -e "$1/${f##*/}" ] || return 1
  done
}

if [ $mode = one ]; then
  one
  exit 0
fi

# ---- the loop ----
[ -x "$bin" ] || { echo "run.sh: $bin is not built (make FAULT=1 $bin)" >&2; exit 2; }
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
all=${FAULTS_ALL:-50} max=${FAULTS_MAX:-250} jobs=${FAULTS_JOBS:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/dagloon-faults.XXXXXX")
[ "${FAULTS_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
start=$(date +%s)
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
"$bin" compile rules/voorbeeld -o "$work/voorbeeld.bundle" 2>/dev/null || { echo "run.sh: compile failed" >&2; exit 1; }

jobsfile=$work/jobs
: >"$jobsfile"
for scen in ${FAULTS_ONLY:-$SCENARIOS}; do
  ref=$work/$scen/ref
  mkdir -p "$ref"
  DAGLOON_FAULT_LOG=$ref/log scenario "$ref"
  echo $? >"$ref/status"
  if grep -q 'Sanitizer\|runtime error:' "$ref/stderr"; then
    echo "FAIL $scen: the fault-free run has a sanitizer report" >&2; cat "$ref/stderr" >&2; exit 1
  fi
  for kind in alloc write read; do
    total=$(grep -c "^$kind " "$ref/log")
    sites=$(awk -v k="$kind" '$1 == k { print $3 }' "$ref/log" | sort -u | wc -l)
    # N to fail: 1..all, the first call of every site, then a stride through the rest
    awk -v k="$kind" -v all="$all" -v max="$max" -v total="$total" '
      $1 == k { if ($2 <= all || !($3 in seen)) pick[$2] = 1; seen[$3] = 1 }
      END {
        n = 0; for (i in pick) n++
        left = max - n; rest = total - all
        stride = (left > 0 && rest > left) ? int(rest / left) + 1 : 1
        for (i = all + 1; i <= total && left > 0; i += stride) if (!(i in pick)) { pick[i] = 1; left-- }
        for (i in pick) print i
      }' "$ref/log" | sort -n >"$work/$scen.$kind.picks"
    # a disk that fails stays failed: reads and writes also from each site's first call on (N+)
    if [ "$kind" != alloc ]; then
      awk -v k="$kind" '$1 == k && !seen[$3]++ { print $2 "+" }' "$ref/log" >>"$work/$scen.$kind.picks"
    fi
    picked=$(wc -l <"$work/$scen.$kind.picks")
    printf '%-13s %-5s %6d calls %4d sites %5d runs\n' "$scen" "$kind" "$total" "$sites" "$picked"
    sed "s|^|$scen $kind |; s|\$| $work $bin|" "$work/$scen.$kind.picks" >>"$jobsfile"
  done
done

total=$(wc -l <"$jobsfile")
echo "$total faulted runs on $jobs jobs..."
xargs -P "$jobs" -L 1 sh "$0" --one <"$jobsfile" >"$work/failures"
nfail=$(cut -d' ' -f2,3 "$work/failures" | sort -u | wc -l)   # one run may say more than one thing
echo "done in $(($(date +%s) - start)) s"
if [ "$nfail" -gt 0 ]; then
  cat "$work/failures"
  echo "faults: $((total - nfail)) passed, $nfail failed"
  exit 1
fi
echo "every faulted run failed cleanly or was unaffected"
echo "faults: $total passed, 0 failed"
