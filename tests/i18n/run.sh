#!/bin/sh
# The message catalogs (tools/po/README.md) and the choice of language:
#
#   - every message of the sources has a Dutch translation that is not fuzzy: nl.po merged with
#     the template made from the sources now (msgmerge), nothing untranslated, fuzzy or obsolete;
#     and the check itself fails on a template with one message more;
#   - msgfmt --check: each translation has the format specifiers of its message;
#   - LANG=nl_NL.UTF-8 gives Dutch (the locale is made with localedef in a scratch folder and
#     found through LOCPATH: nothing on the machine changes), while numbers in the output data
#     stay as they are (only LC_MESSAGES is taken from the environment); and Dutch too where
#     that locale is not installed;
#   - the catalog is found beside the executable, DAGLOON_LOCALEDIR overrides that, and
#     LANGUAGE is ignored under the plain C locale (gettext's rule, documented);
#   - a command with --receipt writes in English, so its replay reproduces the outputs anywhere.
#
# Run from the repository root: sh tests/i18n/run.sh build/dagloon build
set -u
BIN=${1:-build/dagloon}
BUILD=${2:-build}
POT=$BUILD/po/dagloon.pot
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
check() {   # name status
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL i18n: $1"; fi
}
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG DAGLOON_LOCALEDIR

# The completeness of a catalog against a template: prints what is missing, false if anything is.
entries() { grep -c '^msgid ' "$1"; }   # the header counts as one
complete() {   # po pot
  msgmerge --quiet --previous "$1" "$2" -o "$TMP/merged.po" || return 1
  msgattrib --untranslated --no-obsolete "$TMP/merged.po" -o "$TMP/untranslated.po"
  msgattrib --only-fuzzy --no-obsolete "$TMP/merged.po" -o "$TMP/fuzzy.po"
  ok=0
  for k in untranslated fuzzy; do
    if [ -s "$TMP/$k.po" ] && [ "$(entries "$TMP/$k.po")" -gt 1 ]; then
      echo "  $k in $1 (msgmerge --update $1 $2, then translate; tools/po/README.md):"
      grep '^msgid ' "$TMP/$k.po" | sed -n '2,30p' | sed 's/^/    /'
      ok=1
    fi
  done
  if grep -q '^#~ msgid' "$TMP/merged.po"; then
    echo "  obsolete in $1 (messages no longer in the sources; msgmerge --update then msgattrib --no-obsolete):"
    grep '^#~ msgid' "$TMP/merged.po" | sed -n '1,30p' | sed 's/^/    /'
    ok=1
  fi
  return $ok
}

for po in tools/po/*.po; do
  complete "$po" "$POT"
  check "$po has a translation for every message, none fuzzy, none obsolete" $?
  msgfmt --check -o /dev/null "$po"
  check "msgfmt --check $po (format specifiers agree)" $?
  grep -q '^#, fuzzy' "$po" && [ "$(grep -c '^#, fuzzy' "$po")" -gt 0 ]
  check "$po itself has no fuzzy entries" $(( $? == 0 ))
done

# The check fails on a new message without a translation (a template with one message more).
cp "$POT" "$TMP/more.pot"
printf '\n#: tools/nowhere.c:1\nmsgid "a message nobody has translated yet"\nmsgstr ""\n' >>"$TMP/more.pot"
complete tools/po/nl.po "$TMP/more.pot" >"$TMP/out" 2>&1
[ $? != 0 ] && grep -q "a message nobody has translated yet" "$TMP/out"
check "a new message without a Dutch translation fails the completeness check" $?

# Dutch through LANGUAGE (under C.UTF-8), and English without it.
E=tests/golden/errors/e012_typo_in_field.rules
LANGUAGE=nl "$BIN" check "$E" 2>"$TMP/nl.err"
grep -q "fout: onbekende naam 'sv_loom' \[E012\]" "$TMP/nl.err" && grep -q "^opmerking: bedoelt u 'sv_loon'?" "$TMP/nl.err"
check "LANGUAGE=nl gives Dutch diagnostics" $?
"$BIN" check "$E" 2>"$TMP/en.err"
grep -q "error: unknown name 'sv_loom' \[E012\]" "$TMP/en.err"
check "no LANGUAGE under C.UTF-8 gives English" $?
LC_ALL=C LANGUAGE=nl "$BIN" check "$E" 2>"$TMP/c.err"
cmp -s "$TMP/c.err" "$TMP/en.err"
check "LANGUAGE is ignored under the plain C locale (gettext's rule)" $?

# LANG=nl_NL.UTF-8, with the locale made in a scratch folder (LOCPATH): Dutch messages, the same data.
mkdir -p "$TMP/locales"
if localedef -i nl_NL -f UTF-8 "$TMP/locales/nl_NL.UTF-8" >/dev/null 2>&1 || [ -d "$TMP/locales/nl_NL.UTF-8" ]; then
  env -u LC_ALL LOCPATH="$TMP/locales" LANG=nl_NL.UTF-8 "$BIN" check "$E" 2>"$TMP/lang.err"
  grep -q "fout: onbekende naam 'sv_loom'" "$TMP/lang.err"
  check "LANG=nl_NL.UTF-8 gives Dutch diagnostics" $?
  env -u LC_ALL LOCPATH="$TMP/locales" LANG=nl_NL.UTF-8 LANGUAGE=en "$BIN" check "$E" 2>"$TMP/lang.err"
  cmp -s "$TMP/lang.err" "$TMP/en.err"
  check "LANGUAGE=en under LANG=nl_NL.UTF-8 gives English (as i18n_use(\"en\") does for an LSP client)" $?
  D=tests/golden/run/rule_parameters
  in=$(ls "$D"/input.* | head -n 1)
  "$BIN" run "$D/rules.rules" "$in" >"$TMP/c.out" 2>/dev/null
  env LOCPATH="$TMP/locales" LC_ALL=nl_NL.UTF-8 "$BIN" run "$D/rules.rules" "$in" >"$TMP/nl.out" 2>"$TMP/nl.run.err"
  cmp -s "$TMP/c.out" "$TMP/nl.out" && grep -q '\.' "$TMP/c.out"
  check "under LC_ALL=nl_NL.UTF-8 the results are the same bytes (decimal points stay points)" $?
  grep -q "in orde" "$TMP/nl.run.err"
  check "under LC_ALL=nl_NL.UTF-8 the run summary is Dutch" $?
else
  check "localedef can make nl_NL.UTF-8 in a scratch folder (Debian package locales)" 1
fi

# LANG names a locale the machine lacks (the scratch folder is not on LOCPATH here; where
# nl_NL.UTF-8 is installed the usual path gives the same): still Dutch, since messages need no
# locale data. A language without a catalog is English.
env -u LC_ALL LOCPATH="$TMP/nowhere" LANG=nl_NL.UTF-8 "$BIN" check "$E" 2>"$TMP/lang.err"
grep -q "fout: onbekende naam 'sv_loom'" "$TMP/lang.err"
check "LANG=nl_NL.UTF-8 gives Dutch even where that locale is not installed" $?
env -u LC_ALL LOCPATH="$TMP/nowhere" LANG=de_DE.UTF-8 "$BIN" check "$E" 2>"$TMP/lang.err"
cmp -s "$TMP/lang.err" "$TMP/en.err"
check "LANG=de_DE.UTF-8 (no German catalog) gives English" $?

# The catalog beside the executable; elsewhere only through DAGLOON_LOCALEDIR.
mkdir -p "$TMP/bin"
cp "$BIN" "$TMP/bin/dagloon"
LANGUAGE=nl "$TMP/bin/dagloon" check "$E" 2>"$TMP/moved.err"
grep -q "error: unknown name" "$TMP/moved.err"
check "an executable without a locale folder beside it (and none installed) speaks English" $?
LANGUAGE=nl DAGLOON_LOCALEDIR="$BUILD/locale" "$TMP/bin/dagloon" check "$E" 2>"$TMP/moved.err"
grep -q "fout: onbekende naam" "$TMP/moved.err"
check "DAGLOON_LOCALEDIR names the catalogs" $?

# --receipt: the outputs it hashes (here the test report on stdout) are English, so the replay
# reproduces them whatever the language of the one who replays.
R="$TMP/receipt"
mkdir -p "$R"
cp .dagloon-root "$R/"
cp -r rules/voorbeeld "$R/voorbeeld" && cp -r rules/tables "$R/tables" && mkdir -p "$R/cases" && cp tests/cases/voorbeeld/*.case "$R/cases/"
BINABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
(cd "$R" && LANGUAGE=nl "$BINABS" test voorbeeld cases --receipt test.json >out 2>/dev/null)
grep -q "^2 passed, 0 failed" "$R/out"
check "a command with --receipt writes its report in English" $?
"$BIN" replay "$R/test.json" >/dev/null 2>"$TMP/replay.err"
st=$?
[ "$st" = 0 ] && grep -q "replay: reproduced" "$TMP/replay.err"
check "a receipt made under LANGUAGE=nl replays in English" $?

echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
