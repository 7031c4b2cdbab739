#!/bin/sh
# tests/api/helgrind.sh BUILD: the threads test of libdagloon under Valgrind's helgrind (data races,
# lock order) -- 8 threads sharing one rule set, 25 evaluations each (helgrind is slow). Not part of
# 'make test' (seconds to minutes); run after tests/api/run.sh has prepared BUILD/api. Criterion's
# runner (the parent process) has a race of its own; the test runs in its child, whose log must be clean.
set -eu
BUILD=${1:-build}
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
DAGLOON_API_DATA=$BUILD/api DAGLOON_API_EACH=${DAGLOON_API_EACH:-25} valgrind --tool=helgrind --trace-children=yes \
  --log-file="$LOGS/hg.%p" "$BUILD/api-tests" --filter 'threads/*' --jobs 1
for f in "$LOGS"/hg.*; do
  grep -q "Command: .*api-tests *$" "$f" || continue   # the child that ran the test
  if grep -q "Possible data race\|lock order" "$f"; then cat "$f"; echo "error: helgrind reports in libdagloon"; exit 1; fi
  echo "helgrind: no data race, no lock order problem"
  exit 0
done
echo "error: no helgrind log of the test's process"; exit 1
