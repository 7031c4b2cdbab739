#!/bin/sh
# check_opdocs.sh: the opcode list (runtime/opcodes.def) and the interpreter
# (runtime/vm_exec.h) must agree: every opcode has a "/* Opcode: NAME" block with
# a description, directly followed by its "CASE(NAME)", and vm_exec.h neither
# documents nor implements an opcode the list does not have.
# Usage: sh tools/check_opdocs.sh [opcodes.def vm_exec.h]   (run from anywhere)
set -u
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.." || exit 1
DEF=${1:-runtime/opcodes.def}
VM=${2:-runtime/vm_exec.h}
for f in "$DEF" "$VM"; do
  [ -r "$f" ] || { echo "opdocs: cannot read $f"; exit 1; }
done

tmp=${TMPDIR:-/tmp}/opdocs.$$
trap 'rm -f "$tmp".*' EXIT INT TERM

# The list: OP(NAME, ...) at the start of a line.
sed -n 's/^OP([[:space:]]*\([A-Z0-9_]*\)[[:space:]]*,.*/\1/p' "$DEF" | sort > "$tmp.def"
# The documented and the implemented opcodes.
sed -n 's/^[[:space:]]*\/\*[[:space:]]*Opcode:[[:space:]]*\([A-Z0-9_]*\).*/\1/p' "$VM" | sort > "$tmp.doc"
sed -n 's/^[[:space:]]*CASE(\([A-Z0-9_]*\)).*/\1/p' "$VM" | sort > "$tmp.case"

fail=0
for n in $(comm -23 "$tmp.def" "$tmp.doc"); do echo "opdocs: opcode $n has no '/* Opcode: $n' block in $VM"; fail=1; done
for n in $(comm -23 "$tmp.def" "$tmp.case"); do echo "opdocs: opcode $n has no 'CASE($n)' in $VM"; fail=1; done
for n in $(comm -13 "$tmp.def" "$tmp.doc"); do echo "opdocs: $VM documents $n, which is not in $DEF"; fail=1; done
for n in $(comm -13 "$tmp.def" "$tmp.case"); do echo "opdocs: $VM implements $n, which is not in $DEF"; fail=1; done
for n in $(uniq -d "$tmp.doc"); do echo "opdocs: opcode $n is documented twice in $VM"; fail=1; done
for n in $(uniq -d "$tmp.case"); do echo "opdocs: opcode $n has two cases in $VM"; fail=1; done

# Each block: "/* Opcode: NAME ...", at least one "** text" line, "*/", then
# "CASE(NAME)" as the next line.
awk -v file="$VM" '
  function bad(msg) { print "opdocs: " file ":" NR ": " msg; status = 1 }
  /^[ \t]*\/\*[ \t]*Opcode:/ {
    if (name != "") bad("block for " name " is not followed by its case")
    name = $0; sub(/^[ \t]*\/\*[ \t]*Opcode:[ \t]*/, "", name); sub(/[^A-Z0-9_].*/, "", name)
    lines = 0; closed = 0; next
  }
  name != "" && !closed {
    if ($0 ~ /^[ \t]*\*\//) { closed = 1; if (lines == 0) bad("opcode " name " has no description") }
    else if ($0 ~ /^[ \t]*\*\*[ \t]*[^ \t]/) lines++
    else if ($0 !~ /^[ \t]*\*\*[ \t]*$/) bad("opcode " name ": block line does not start with **")
    next
  }
  name != "" && closed {
    if ($0 !~ "^[ \t]*CASE\\(" name "\\)") bad("opcode " name ": the block is not directly followed by CASE(" name ")")
    name = ""; next
  }
  /^[ \t]*CASE\(/ { bad("CASE without an Opcode block: " $0) }
  END { if (name != "") bad("block for " name " is not followed by its case"); exit status }
' "$VM" || fail=1

if [ "$fail" -ne 0 ]; then exit 1; fi
echo "opdocs: $(wc -l < "$tmp.def" | tr -d ' ') opcodes documented"
