# tests/lib/check.sh, sourced by shell tests: a scratch folder $T (removed on exit) and
#   check WHAT COND...   counts a failure (printing WHAT) when COND fails
#   check_done NAME      prints the result and exits 1 if any check failed
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() {
  what=$1
  shift
  if "$@"; then :; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
check_done() {
  if [ "$fails" -gt 0 ]; then echo "$1: $fails failed"; exit 1; fi
  echo "$1: all passed"
}
