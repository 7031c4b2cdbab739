#!/bin/sh
# Prints the folder of the fast C reference of the herstel workload (herstel_ref.c and tables.csv,
# kept outside this repository), or nothing when it is absent: $HERSTEL_REF_DIR when set, else the
# first shared/bench found beside the repository or beside one of its ancestors (../shared/bench
# from a clone's parent, ../../shared/bench from a worktree inside another folder, ...).
#
#   sh tests/bench/find_ref.sh        (from the repository's root)
if [ -n "${HERSTEL_REF_DIR:-}" ]; then
  [ -f "$HERSTEL_REF_DIR/herstel_ref.c" ] && [ -f "$HERSTEL_REF_DIR/tables.csv" ] && echo "$HERSTEL_REF_DIR"
  exit 0
fi
d=$(pwd -P)
while [ "$d" != "/" ]; do
  d=$(dirname "$d")
  if [ -f "$d/shared/bench/herstel_ref.c" ] && [ -f "$d/shared/bench/tables.csv" ]; then
    echo "$d/shared/bench"
    exit 0
  fi
done
exit 0
