# fmt rewrites in place through tools/outfile.c: a symbolic link stays a link and its target is
# rewritten (same permissions), a formatted file is not touched at all (same inode), no temporary
# files are left; without files, or with a missing one, a usage error
BIN=$(realpath "$BIN")
cd "$T" && printf 'regel  a : geld=1\n\n\n' >echt.rules && chmod 640 echt.rules && ln -s echt.rules link.rules
printf 'regel a: geld = 1\n' >klaar.rules && before=$(stat -c %i klaar.rules)
$BIN fmt link.rules klaar.rules; echo "fmt: exit $?"
cat echt.rules; [ -L link.rules ] && echo "link.rules is still a link"; stat -c %a echt.rules
[ "$(stat -c %i klaar.rules)" = "$before" ] && echo "klaar.rules untouched"
ls -A
$BIN fmt; echo "no files: exit $?"
$BIN fmt weg.rules; echo "missing: exit $?"
$BIN fmt --check echt.rules klaar.rules; echo "--check, formatted: exit $?"
