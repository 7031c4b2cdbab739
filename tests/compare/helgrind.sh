#!/bin/sh
# tests/compare/helgrind.sh BIN: compare --threads 3 under Valgrind's helgrind (data races, lock
# order; ThreadSanitizer is not among the project's sanitizers) -- CSV in with JSON Lines rows (the
# workers' first JSON objects: jansson's hash seed), JSON Lines in with CSV rows, error rows, --by,
# --weight, --mark-unverified. Not part of 'make test' (helgrind is slow; about 10 s), as
# tests/api/helgrind.sh. A report from a library's exit handler (libp11-kit) is not ours.
set -eu
BIN=${1:-build/dagloon}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
head -301 tests/bench/sample.csv > "$W/bench.csv"
python3 -c 'import sys; sys.path.insert(0, "tests/compare"); import check, json
print("\n".join(json.dumps(d) for d in check.population(400, 11)))' > "$W/pop.jsonl"
status=0
hg() {   # hg NAME ARGS...: compare ARGS under helgrind; its log must name no race and no lock order problem
  name=$1
  shift
  valgrind --tool=helgrind --log-file="$W/$name.log" "$BIN" compare "$@" --threads 3 >/dev/null 2>&1 || true
  if grep -q "Possible data race\|lock order" "$W/$name.log"; then
    cat "$W/$name.log"
    echo "FAIL helgrind $name: a data race or lock order problem"
    status=1
  fi
}
hg csv-jsonl rules/bench/herstel.rules tests/bench/voorstel.rules "$W/bench.csv" --value vergoeding -o "$W/a.jsonl" \
  --summary "$W/a.json"
hg jsonl-csv tests/compare/basis tests/compare/voorstel "$W/pop.jsonl" --by sector --weight gewicht --mark-unverified \
  -o "$W/b.csv" --errors "$W/b.err.csv" --summary "$W/b.txt" --html "$W/b.html"
[ $status = 0 ] && echo "helgrind: compare on 3 threads, no data race, no lock order problem"
exit $status
