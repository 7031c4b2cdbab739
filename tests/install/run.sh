#!/bin/sh
# tests/install/run.sh BUILD: make install into a scratch root and the installed tool run there (make test-run).
#  1. make install DESTDIR=ROOT (PREFIX /usr/local): every file where the FHS and pkg-config expect it;
#  2. the installed dagloon checks and runs the installed rule sets, and finds its Dutch catalog under
#     PREFIX/share/locale: ROOT/usr/local is mounted over /usr/local in a mount namespace of its own
#     (unshare -m) when the machine allows it, else DAGLOON_LOCALEDIR names it and the binary must
#     carry the installed path;
#  3. a program compiled against the installed dagloon.h and dagloon.pc runs;
#  4. the man pages: one per command of --help, rendered without a warning, every option of
#     COMMAND --help on its page;
#  5. the bash completion driven in bash: commands, options (every one of --help), values, files;
#  6. tools/systemd/dagloon.service passes systemd-analyze verify (its ExecStart pointed at the installed
#     binary, its Documentation= at the installed dagloon(1)) and keeps its sandbox, when systemd-analyze
#     is there;
#  7. make uninstall leaves nothing behind.
set -eu
BUILD=${1:-build}
DAGLOON=$BUILD/dagloon
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
P=$R/usr/local
fail() { echo "error: install: $*"; exit 1; }
SANVAR=""
case $BUILD in *-san) SANVAR="SAN=1";; esac

# 1. the files
${MAKE:-make} --no-print-directory -s install BUILD="$BUILD" $SANVAR DESTDIR="$R" PREFIX=/usr/local >"$T/install.log" 2>&1 \
  || { cat "$T/install.log"; fail "make install failed"; }
for f in bin/dagloon lib/libdagloon.so.0 lib/libdagloon.a include/dagloon.h lib/pkgconfig/dagloon.pc \
         share/locale/nl/LC_MESSAGES/dagloon.mo share/man/man1/dagloon.1 \
         share/bash-completion/completions/dagloon share/dagloon/rules/wia/dagloon.rules; do
  [ -f "$P/$f" ] || fail "$f is not installed"
done
[ "$(readlink "$P/lib/libdagloon.so")" = libdagloon.so.0 ] || fail "lib/libdagloon.so is no link to libdagloon.so.0"
[ -x "$P/bin/dagloon" ] || fail "bin/dagloon is not executable"
grep -qx 'prefix=/usr/local' "$P/lib/pkgconfig/dagloon.pc" && grep -qx 'libdir=/usr/local/lib' "$P/lib/pkgconfig/dagloon.pc" \
  || fail "dagloon.pc does not say prefix=/usr/local, libdir=/usr/local/lib"
# the catalog's path is compiled in (runtime/i18n.c), PREFIX's and not the build tree's
grep -aq '/usr/local/share/locale' "$P/bin/dagloon" || fail "bin/dagloon does not carry /usr/local/share/locale"

# 2. the installed tool on the installed rule sets
"$P/bin/dagloon" check "$P/share/dagloon/rules" 2>"$T/check.err" || { cat "$T/check.err"; fail "check of the installed rule sets failed"; }
V=$P/share/dagloon/rules/voorbeeld
"$P/bin/dagloon" run "$V/wia_dagloon.rules" "$V/dossiers.jsonl" >"$T/run.csv" 2>/dev/null || fail "run on the installed example failed"
cmp -s "$T/run.csv" "$V/expected.csv" || { diff "$T/run.csv" "$V/expected.csv" | head; fail "the installed run differs from expected.csv"; }
# Dutch from the installed catalog, where an installed dagloon looks for it; English without LANGUAGE
if unshare -m sh -c "mount --bind '$P' /usr/local" 2>/dev/null; then
  where="in a mount namespace"
  unshare -m sh -c "mount --bind '$P' /usr/local && LANGUAGE=nl /usr/local/bin/dagloon check --help" >"$T/nl.txt" 2>&1 || true
else
  where="with DAGLOON_LOCALEDIR (no mount namespace here)"
  DAGLOON_LOCALEDIR=$P/share/locale LANGUAGE=nl "$P/bin/dagloon" check --help >"$T/nl.txt" 2>&1 || true
fi
grep -q 'deze hulp' "$T/nl.txt" || { head -5 "$T/nl.txt"; fail "LANGUAGE=nl: no Dutch from the installed catalog ($where)"; }
LANGUAGE= "$P/bin/dagloon" check --help >"$T/en.txt" 2>&1 || true
grep -q 'this help' "$T/en.txt" && ! grep -q 'deze hulp' "$T/en.txt" || fail "without LANGUAGE the help is not English"

# 3. a program built against the installed header and pkg-config file (the API's example)
SAN=""
case $BUILD in *-san) SAN="-fsanitize=address,undefined";; esac
flags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R pkg-config --cflags --libs dagloon) \
  || fail "pkg-config does not know the installed dagloon.pc"
case $flags in *"-I$P/include"*"-L$P/lib"*"-ldagloon"*) ;; *) fail "pkg-config gives '$flags'";; esac
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L $SAN -o "$T/example" tools/api/examples/example.c $flags || fail "the example does not compile against the installed header"
LD_LIBRARY_PATH=$P/lib "$T/example" "$P/share/dagloon/rules/wia" "$P/share/dagloon/rules/wia/populatie.jsonl" >"$T/example.out" 2>&1 \
  || { cat "$T/example.out"; fail "the example built against the installed library failed"; }
grep -q '^dagloon: "223.40"$' "$T/example.out" || { head "$T/example.out"; fail "the installed example printed no dagloon"; }
LD_LIBRARY_PATH=$P/lib ldd "$T/example" | grep -q "$P/lib/libdagloon.so.0" || fail "the example did not load the installed libdagloon.so.0"

# 4. the man pages
commands=$("$DAGLOON" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ "$(echo "$commands" | wc -w)" -ge 12 ] || fail "the command list of --help was not read ($commands)"
for page in dagloon $(for c in $commands; do echo "dagloon-$c"; done); do
  m=$P/share/man/man1/$page.1
  [ -f "$m" ] || fail "no man page $page(1)"
  warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null; groff -man -ww -z "$m" 2>&1)
  [ -z "$warn" ] || { echo "$warn" | head; fail "$page(1) renders with warnings"; }
  LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$m" 2>/dev/null | grep -q "^NAME" || fail "$page(1) has no NAME when rendered"
done
for c in $commands; do
  m=$P/share/man/man1/dagloon-$c.1
  for o in $("$DAGLOON" "$c" --help | sed -n 's/^  \(-., \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p'); do
    esc=$(echo "$o" | sed 's/-/\\\\-/g')
    grep -q "fB\\\\-\\\\-$esc\\\\fR" "$m" || fail "dagloon-$c(1) lacks --$o of 'dagloon $c --help'"
  done
done
# (the option check finds a missing option)
sed 's/\\-\\-output/\\-\\-outpt/' "$P/share/man/man1/dagloon-run.1" > "$T/bad.1"
! grep -q 'fB\\-\\-output\\fR' "$T/bad.1" || fail "the option check would not see a missing --output"

# 5. the completion, as bash calls it
C=$P/share/bash-completion/completions/dagloon
mkdir -p "$T/files" && : > "$T/files/dossiers.jsonl" && : > "$T/files/other.csv"
complete_words() {   # complete_words WORD...: COMPREPLY after the last word, one a line, sorted
  bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dagloon; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$C" "$@"
}
bash --norc --noprofile -c '. "$1"; complete -p dagloon' _ "$C" | grep -q -- '-F _dagloon dagloon' || fail "the completion does not register _dagloon"
[ "$(complete_words dagloon ru)" = run ] || fail "'dagloon ru' does not complete to run"
[ "$(complete_words dagloon '' | wc -l)" -eq "$(($(echo "$commands" | wc -w) + 2))" ] || fail "'dagloon ' does not offer every command"
[ "$(complete_words dagloon run --form)" = "--format" ] || fail "'run --form' does not complete to --format"
[ "$(complete_words dagloon run --format '' | tr '\n' ' ')" = "csv jsonl " ] || fail "'run --format' does not offer csv jsonl"
[ "$(complete_words dagloon run -o "$T/files/d")" = "$T/files/dossiers.jsonl" ] || fail "'run -o' does not complete files"
[ "$(complete_words dagloon run "$T/files/o")" = "$T/files/other.csv" ] || fail "an operand does not complete files"
[ -z "$(complete_words dagloon run --threads '')" ] || fail "'run --threads' offers words"
for c in $commands; do
  offered=$(complete_words dagloon "$c" --)
  for o in $("$DAGLOON" "$c" --help | sed -n 's/^  \(-., \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p'); do
    echo "$offered" | grep -qx -- "--$o" || fail "'dagloon $c --' does not offer --$o"
  done
done

# 6. the systemd unit
U=tools/systemd/dagloon.service
for opt in DynamicUser=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes PrivateDevices=yes \
           'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service CapabilityBoundingSet= \
           MemoryDenyWriteExecute=yes 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qx "$opt" "$U" || fail "$U lacks $opt"
done
grep -q '^ExecStart=/usr/bin/dagloon serve /usr/share/dagloon/rules/wia --listen 127.0.0.1:8080$' "$U" || fail "$U: ExecStart changed"
unit="systemd-analyze absent: unit not verified"
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$T/unit"
  sed "s|/usr/bin/dagloon|$P/bin/dagloon|" "$U" > "$T/unit/dagloon.service"
  MANPATH=$P/share/man systemd-analyze verify "$T/unit/dagloon.service" >"$T/verify.log" 2>&1 \
    || { cat "$T/verify.log"; fail "systemd-analyze verify refuses $U"; }
  [ ! -s "$T/verify.log" ] || { cat "$T/verify.log"; fail "systemd-analyze verify warns about $U"; }
  unit="unit verified"
fi

# 7. uninstall
${MAKE:-make} --no-print-directory -s uninstall BUILD="$BUILD" $SANVAR DESTDIR="$R" PREFIX=/usr/local >"$T/uninstall.log" 2>&1 \
  || { cat "$T/uninstall.log"; fail "make uninstall failed"; }
left=$(find "$R" ! -type d)
[ -z "$left" ] || { echo "$left" | head; fail "make uninstall left files"; }
echo "install: ok (files, installed run and catalog $where, pkg-config build, man pages, completion, $unit, uninstall)"
