#!/bin/sh
# tests/ids: the duplicate-id check of run with the ids spilled to a temporary file (runtime/idset.h,
# runtime/idspill.h; a spill every 52,428 ids). A duplicate far apart -- its first sighting in a run
# on disk -- is the same error row as today's ("id 'X' was already used by record N: every dossier
# needs its own"), for decimal ids (rules/bench) and text ids (a rule set of text ids); every other
# dossier computes as the native program computes it. A temporary file that cannot be written (a
# full disk: a file size limit; a $TMPDIR that is no folder) stops the run with an error row that
# says so, the exit status of a read error, nothing silent; no file is left in $TMPDIR.
#
#   sh tests/ids/run.sh BIN
set -u
BIN=$1
. tests/lib/check.sh
N=60000   # beyond one spill
python3 tests/bench/gen_dossiers.py $N 7 > "$T/in.csv"
again=$(sed -n '6p' "$T/in.csv")   # line 6: record 5
echo "$again" >> "$T/in.csv"         # record 60,001 repeats it, its id 5 with it
${CC:-cc} -O2 -o "$T/native" tests/bench/herstel_native.c
head -$((N + 1)) "$T/in.csv" | "$T/native" rules/bench/tables.csv > "$T/want.csv"

mkdir "$T/tmp"
TMPDIR="$T/tmp" "$BIN" run rules/bench/herstel.rules "$T/in.csv" --threads 1 -o "$T/got.csv" --errors "$T/err.csv" 2>/dev/null; rc=$?
check "a duplicate id is a row error: exit 3 (got $rc)" test $rc = 3
check "every other dossier computed as the native program computes it" cmp -s "$T/want.csv" "$T/got.csv"
check "the duplicate's error row, as before the spill: $(tail -1 "$T/err.csv")" \
  grep -q "^$((N + 1)),$((N + 2)),5,id,.*,id '5' was already used by record 5: every dossier needs its own\$" "$T/err.csv"
check "one error row" test "$(wc -l < "$T/err.csv")" = 2
check "no file left in \$TMPDIR" test -z "$(ls -A "$T/tmp")"

# text ids: the same through a rule set whose key is tekst, ids "D00001".."D60000", record 60,001 repeats D00005
cat > "$T/tekst.rules" <<'R'
invoer D sleutel id { id: tekst  loon: geld }
regel x: geld = loon
uitvoer { id, x }
R
awk -v n=$N 'BEGIN { print "id,loon"; for (i = 1; i <= n; i++) printf "D%05d,%d.%02d\n", i, i % 1000, i % 100;
                     print "D00005,1.00"; print "D00005 ,2.00" }' > "$T/tekst.csv"
TMPDIR="$T/tmp" "$BIN" run "$T/tekst.rules" "$T/tekst.csv" --threads 1 -o "$T/tekst.out" --errors "$T/tekst.err" 2>/dev/null; rc=$?
check "text ids: exit 3 (got $rc)" test $rc = 3
check "text ids: the duplicate's error row: $(tail -1 "$T/tekst.err")" \
  grep -q "^$((N + 1)),$((N + 2)),D00005,id,.*,id 'D00005' was already used by record 5: every dossier needs its own\$" "$T/tekst.err"
check "text ids: 'D00005 ' is another id" test "$(wc -l < "$T/tekst.err")" = 2
check "text ids: the other rows" test "$(wc -l < "$T/tekst.out")" = $((N + 2))

# a full disk: the temporary file may not grow past 8 KiB (the process ignores SIGXFSZ and gets EFBIG,
# as a full file system gives ENOSPC); standard output is a pipe, out of the limit's reach
(trap '' XFSZ; ulimit -f 16; TMPDIR="$T/tmp" exec "$BIN" run rules/bench/herstel.rules "$T/in.csv" --threads 1) \
  2>"$T/full.err" | cat > "$T/full.out"
rc=$(TMPDIR="$T/tmp" sh -c "trap '' XFSZ; ulimit -f 16; \"$BIN\" run rules/bench/herstel.rules \"$T/in.csv\" --threads 1 >/dev/null 2>&1; echo \$?")
check "a full temporary disk stops the run: exit 2 (got $rc)" test "$rc" = 2
check "... with an error row at the record it could not check: $(grep -m1 'ids seen' "$T/full.err")" \
  grep -q "in.csv:52429: error: record 52428 (id '52428'): cannot write the ids seen to a temporary file in $T/tmp: File too large; the rest of the input is not read" "$T/full.err"
check "... and the rows before it: $(wc -l < "$T/full.out")" test "$(wc -l < "$T/full.out")" = 52428
check "... no file left in \$TMPDIR" test -z "$(ls -A "$T/tmp")"
TMPDIR="$T/none" "$BIN" run rules/bench/herstel.rules "$T/in.csv" --threads 1 -o "$T/none.out" 2>"$T/none.err"; rc=$?
check "a \$TMPDIR that is no folder stops the run: exit 2 (got $rc)" test $rc = 2
check "... saying so: $(tail -1 "$T/none.err")" grep -q "cannot make a temporary file for the ids seen in $T/none" "$T/none.err"

check_done ids
