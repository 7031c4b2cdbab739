#!/bin/sh
# tests/sleutel: the operator's own bundles through the command line (runtime/bundlesig.h) --
# dagloon sleutel makes a key only the user can read and never overwrites one; compile --sign
# signs; with DAGLOON_KEY a signed bundle computes exactly what the unsigned bundle and the rule
# files compute; a key others can read is refused (for loading and for signing, no bundle
# written); a signed bundle altered afterwards is refused; one signed with another key runs,
# verified as any bundle.
#
#   sh tests/sleutel/run.sh BIN
set -u
BIN=$1
. tests/lib/check.sh
IN=tests/bench/sample.csv
RULES=rules/bench/herstel.rules

"$BIN" sleutel "$T/key" 2>"$T/err"
check "sleutel makes a key" test -s "$T/key"
check "the key is the user's alone (0600)" test "$(stat -c %a "$T/key")" = 600
cp "$T/key" "$T/key.before"
"$BIN" sleutel "$T/key" 2>"$T/err"; rc=$?
check "an existing key is not overwritten (exit 2)" test $rc = 2
check "... and says so" grep -q "already exists" "$T/err"
check "... and is unchanged" cmp -s "$T/key" "$T/key.before"
"$BIN" sleutel "$T/other" 2>/dev/null

"$BIN" run "$RULES" "$IN" -o "$T/rules.csv" 2>/dev/null
"$BIN" compile "$RULES" -o "$T/plain.dlb" 2>/dev/null
"$BIN" compile "$RULES" -o "$T/signed.dlb" --sign "$T/key" 2>/dev/null
"$BIN" compile "$RULES" -o "$T/other.dlb" --sign "$T/other" 2>/dev/null
check "a signed bundle is the plain bundle and a 48-byte trailer" \
  test "$(($(wc -c <"$T/signed.dlb") - $(wc -c <"$T/plain.dlb")))" = 48
DAGLOON_KEY="$T/key" "$BIN" run "$T/signed.dlb" "$IN" -o "$T/signed.csv" 2>"$T/err"; rc=$?
check "the signed bundle runs with its key (exit 0): $(cat "$T/err")" test $rc = 0
check "... and computes what the rule files compute" cmp -s "$T/rules.csv" "$T/signed.csv"
"$BIN" run "$T/signed.dlb" "$IN" -o "$T/nokey.csv" 2>/dev/null; rc=$?
check "the signed bundle runs without a key, verified (exit 0)" test $rc = 0
check "... with the same rows" cmp -s "$T/rules.csv" "$T/nokey.csv"
DAGLOON_KEY="$T/key" "$BIN" run "$T/other.dlb" "$IN" -o "$T/other.csv" 2>/dev/null; rc=$?
check "a bundle signed with another key runs, verified (exit 0)" test $rc = 0
check "... with the same rows" cmp -s "$T/rules.csv" "$T/other.csv"

# one byte of a rule file's text in the bundle altered after signing: refused with the key
python3 - "$T/signed.dlb" "$T/altered.dlb" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.find(b'vergoeding')
b[i] ^= 0x20
open(sys.argv[2], 'wb').write(bytes(b))
PY
DAGLOON_KEY="$T/key" "$BIN" run "$T/altered.dlb" "$IN" -o "$T/altered.csv" 2>"$T/err"; rc=$?
check "an altered signed bundle is refused (exit 2)" test $rc = 2
check "... saying it was altered: $(cat "$T/err")" grep -q "altered since" "$T/err"

chmod 644 "$T/key"
DAGLOON_KEY="$T/key" "$BIN" run "$T/signed.dlb" "$IN" -o "$T/loose.csv" 2>"$T/err"; rc=$?
check "a key others can read is refused for loading (exit 2)" test $rc = 2
check "... saying why: $(cat "$T/err")" grep -q "readable or writable by others" "$T/err"
"$BIN" compile "$RULES" -o "$T/loose.dlb" --sign "$T/key" 2>"$T/err"; rc=$?
check "a key others can read is refused for signing (exit 2)" test $rc = 2
check "... and no bundle is written" test ! -e "$T/loose.dlb"

check_done sleutel
