#!/bin/sh
# tests/deb/run.sh DIR: the packages make deb built in DIR, unpacked (dpkg -x, never the machine's own
# root) into a scratch root and run there: the command on the packaged rule sets, its Dutch catalog at
# /usr/share/locale (the root's mounted there in a mount namespace, when the machine allows), the pages
# and the completion where man and bash-completion look, the example built with the -dev package.
set -eu
DIR=${1:-build/deb}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
fail() { echo "error: deb: $*"; exit 1; }
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for p in dagloon libdagloon0 libdagloon-dev; do
  deb=$(ls "$DIR"/${p}_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "no package $p in $DIR"
  dpkg-deb --info "$deb" >/dev/null || fail "$deb is no package"
  dpkg -x "$deb" "$R"
done
for f in usr/bin/dagloon usr/lib/$MA/libdagloon.so.0 usr/lib/$MA/libdagloon.a usr/include/dagloon.h \
         usr/lib/$MA/pkgconfig/dagloon.pc usr/share/locale/nl/LC_MESSAGES/dagloon.mo usr/share/man/man1/dagloon-run.1.gz \
         usr/share/bash-completion/completions/dagloon usr/share/dagloon/rules/.dagloon-root; do
  [ -e "$R/$f" ] || fail "$f is not in the packages"
done
grep -qx "libdir=/usr/lib/$MA" "$R/usr/lib/$MA/pkgconfig/dagloon.pc" || fail "dagloon.pc's libdir is not /usr/lib/$MA"
dpkg-deb -f "$DIR"/dagloon_*.deb Depends | grep -q libjansson || fail "dagloon does not depend on libjansson"

D=$R/usr/bin/dagloon
V=$R/usr/share/dagloon/rules/voorbeeld
"$D" check "$R/usr/share/dagloon/rules" 2>"$T/check.err" || { cat "$T/check.err"; fail "check of the packaged rule sets failed"; }
"$D" run "$V/wia_dagloon.rules" "$V/dossiers.jsonl" 2>/dev/null | cmp -s - "$V/expected.csv" || fail "the packaged run differs from expected.csv"
grep -aq '/usr/share/locale' "$D" || fail "the packaged dagloon does not look in /usr/share/locale"
if unshare -m sh -c "mount --bind '$R/usr/share/locale' /usr/share/locale" 2>/dev/null; then
  unshare -m sh -c "mount --bind '$R/usr/share/locale' /usr/share/locale && LANGUAGE=nl '$D' check --help" >"$T/nl.txt" 2>&1 || true
  grep -q 'deze hulp' "$T/nl.txt" || fail "LANGUAGE=nl: no Dutch from the packaged catalog"
fi
MANPATH=$R/usr/share/man LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings dagloon-run 2>&1 >/dev/null | { ! grep .; } \
  || fail "man dagloon-run warns"
MANPATH=$R/usr/share/man man -w dagloon 2>/dev/null | grep -q "$R" || fail "man does not find the packaged dagloon(1)"
flags=$(PKG_CONFIG_PATH=$R/usr/lib/$MA/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R pkg-config --cflags --libs dagloon)
cc -std=c11 -D_POSIX_C_SOURCE=200809L -o "$T/example" tools/api/examples/example.c $flags || fail "the example does not build with libdagloon-dev"
LD_LIBRARY_PATH=$R/usr/lib/$MA "$T/example" rules/wia rules/wia/populatie.jsonl | grep -q '^dagloon: "223.40"$' \
  || fail "the example with the packaged library printed no dagloon"
echo "deb: ok (dagloon, libdagloon0, libdagloon-dev unpacked and run)"
