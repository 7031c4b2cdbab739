#!/bin/sh
# tests/deb/run.sh DIR: the packages make deb built in DIR installed with dpkg into a scratch root of
# their own (dpkg --root: its own package database; never the machine's root), run there, verified
# (dpkg --verify) and removed again: the command on the packaged rule sets, its Dutch catalog at
# /usr/share/locale (the root's mounted there in a mount namespace, when the machine allows), the pages
# and the completion where man and bash-completion look, the example built with the -dev package.
set -eu
DIR=${1:-build/deb}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
fail() { echo "error: deb: $*"; exit 1; }
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
debs=""
for p in libdagloon0 dagloon libdagloon-dev; do
  deb=$(ls "$DIR"/${p}_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || fail "no package $p in $DIR"
  dpkg-deb --info "$deb" >/dev/null || fail "$deb is no package"
  debs="$debs $deb"
done

# What the packages depend on must be on this machine at the version asked (the scratch root's own
# database knows no libc, so dpkg there is told to install regardless: this check stands in for it).
for deb in $debs; do
  dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ *$//' | while read -r alt; do
    [ -n "$alt" ] || continue
    ok=no
    for dep in $(echo "$alt" | tr '|' '\n' | sed 's/ //g'); do   # name[:arch](op version)
      name=${dep%%(*}; name=${name%%:*}
      case $name in dagloon|libdagloon0|libdagloon-dev) ok=yes; continue ;; esac   # one of the three
      have=$(dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null | awk '/ok installed/ {print $4; exit}')
      [ -n "$have" ] || continue
      case $dep in
        *\(*) rel=$(echo "$dep" | sed 's/.*(\([<>=]*\)\(.*\))/\1 \2/')
               op=${rel%% *}; want=${rel#* }
               case $op in '>=') op=ge ;; '<=') op=le ;; '=') op=eq ;; '>>') op=gt ;; '<<') op=lt ;; esac
               dpkg --compare-versions "$have" "$op" "$want" && ok=yes ;;
        *) ok=yes ;;
      esac
    done
    [ $ok = yes ] || { echo "error: deb: $(basename "$deb") needs '$alt', which this machine lacks"; exit 1; }
  done || exit 1
done

mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: > "$R/var/lib/dpkg/status"
dpkg --root="$R" --log=/dev/null --force-depends -i $debs >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg could not install the packages"; }
for p in dagloon libdagloon0 libdagloon-dev; do
  dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}\n' "$p" | grep -qx 'install ok installed' || fail "$p is not installed"
done
dpkg --root="$R" --verify dagloon libdagloon0 libdagloon-dev || fail "installed files differ from the packages' checksums"
for f in usr/bin/dagloon usr/lib/$MA/libdagloon.so.0 usr/lib/$MA/libdagloon.a usr/include/dagloon.h \
         usr/lib/$MA/pkgconfig/dagloon.pc usr/share/locale/nl/LC_MESSAGES/dagloon.mo usr/share/man/man1/dagloon-run.1.gz \
         usr/share/bash-completion/completions/dagloon usr/share/dagloon/rules/.dagloon-root; do
  [ -e "$R/$f" ] || fail "$f is not in the packages"
  dpkg-query --admindir="$R/var/lib/dpkg" -S "/$f" >/dev/null 2>&1 || fail "/$f belongs to no installed package"
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

# removed again: nothing of theirs left outside dpkg's own database
dpkg --root="$R" --log=/dev/null --force-depends --purge libdagloon-dev dagloon libdagloon0 >"$T/dpkg.log" 2>&1 \
  || { cat "$T/dpkg.log"; fail "dpkg could not remove the packages"; }
left=$(find "$R" -mindepth 1 ! -type d | grep -v "^$R/var/lib/dpkg/" | head -5)
[ -z "$left" ] || fail "left behind after purge: $left"
echo "deb: ok (dagloon, libdagloon0, libdagloon-dev installed by dpkg in a scratch root, run, verified, purged)"
