#!/usr/bin/env python3
"""The raw identifiers a letter must not show: every rule, exception, choice and field name of the
rule set and of the sets it uses ('gebruik'), found in its .rules files. Prints those that occur
in the text given on standard input as whole words (case-sensitive), and exits 1 if any does.

A few names are also ordinary Dutch words the letter uses as such (ALSO_WORDS); they are left out,
and each is a word a B1 reader knows, never a name with an underscore."""
import re
import sys
from pathlib import Path

ALSO_WORDS = {"dagloon", "loon", "maand", "bedrag", "geen", "inkomen", "oorzaak"}


def names(folder, seen):
    folder = Path(folder).resolve()
    if folder in seen:
        return set()
    seen.add(folder)
    out = set()
    for f in sorted(folder.glob("*.rules")):
        text = re.sub(r"--[^\n]*", "", f.read_text(encoding="utf-8"))
        text = re.sub(r'"[^"\n]*"', '""', text)   # labels and paths are not names
        out |= set(re.findall(r"\b(?:regel|uitzondering|keuze|gegevens|invoer)\s+([A-Za-z_][A-Za-z0-9_]*)", text))
        for members in re.findall(r"\bkeuze\s+\w+\s*\{([^}]*)\}", text):
            out |= set(re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\b(?=\s*(?:label\s*\"\"\s*)?(?:,|$))", members.strip()))
        for body in re.findall(r"\b(?:gegevens|invoer)\s+\w+[^{]*\{([^}]*)\}", text):
            out |= set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:", body, re.M))
        for used in re.findall(r'\bgebruik\s+"([^"]+)"', f.read_text(encoding="utf-8")):
            out |= names(folder / used, seen)
    return out


def main():
    all_names = names(sys.argv[1], set()) - ALSO_WORDS - {"label"}
    text = sys.stdin.read()
    found = sorted(n for n in all_names if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", text))
    if len(all_names) < 50:
        print(f"only {len(all_names)} names found in {sys.argv[1]}: the extraction is broken")
        return 1
    for n in found:
        print(f"raw identifier in the letter: {n}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
