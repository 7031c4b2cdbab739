#!/usr/bin/env python3
"""Checks that rules/KEUZES.md and the KEUZE / OPEN VRAAG comments in the rule files agree.

Every KEUZE, KEUZES, OPEN VRAAG or OPEN VRAGEN in a comment of a .rules file (under RULES, symbolic
links counted once) must carry an identifier in brackets right after it:

    -- KEUZE [deler-na-loonloze-maanden]: ...
    -- KEUZE / OPEN VRAAG [correctie-vanaf]: ...

An identifier names one question; rule sets that answer the same question use the same identifier
(once per file). The check fails when
  * a marker has no identifier, or the identifier is not written as [a-z0-9-];
  * an identifier is used twice in one file;
  * an identifier in a rule file has no row in the table of KEUZES.md;
  * a row of the table names an identifier no rule file has;
  * the generated index of KEUZES.md (between the index markers) is not what the rule files give:
    `--write` rewrites it.

Usage: check_keuzes.py [--rules DIR] [--keuzes FILE] [--write]
Exit status 0 when everything agrees, 1 otherwise (with one line per problem), 2 on bad usage.
"""
import os
import re
import sys

MARKER = re.compile(r"\b(KEUZES?|OPEN VRAAG|OPEN VRAGEN)\b")
TAGGED = re.compile(
    r"\b(?:KEUZES?|OPEN VRAAG|OPEN VRAGEN)(?: / (?:KEUZES?|OPEN VRAAG|OPEN VRAGEN))? \[([^\]]*)\]")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|")
INDEX_BEGIN = "<!-- index: gegenereerd door tools/check_keuzes.py --write; niet met de hand wijzigen -->"
INDEX_END = "<!-- einde index -->"

# Comments in files another branch is changing at the same time (the table horizon work of issue 13:
# rules/*/indexatie.rules) are not tagged yet. Per file the identifiers its untagged markers will get,
# in order; the check demands exactly that many untagged markers there and a row for each identifier.
# Tag them and delete the entry once that branch is merged.
NOG_TE_TAGGEN = {}


def rule_files(root):
    seen = set()
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".rules"):
                continue
            path = os.path.join(dirpath, name)
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            out.append((os.path.relpath(real, os.path.realpath(root)), real))
    return sorted(out)


def comment_of(line):
    i = line.find("--")
    return line[i:] if i >= 0 else ""


def scan(root, problems):
    """Returns {id: [relative file, ...]} for every tagged marker, checking the markers."""
    repo_rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules")
    pending = NOG_TE_TAGGEN if os.path.realpath(root) == os.path.realpath(repo_rules) else {}
    uses = {}
    for rel, path in rule_files(root):
        untagged = 0
        in_file = set()
        with open(path, encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                text = comment_of(line)
                if not text:
                    continue
                covered = []
                for m in TAGGED.finditer(text):
                    covered.append((m.start(), m.end()))
                    ident = m.group(1)
                    if not ID.match(ident):
                        problems.append(f"{rel}:{no}: identifier [{ident}] is not written as [a-z0-9-]")
                        continue
                    if ident in in_file:
                        problems.append(f"{rel}:{no}: [{ident}] is used twice in this file")
                    in_file.add(ident)
                    uses.setdefault(ident, []).append(rel)
                for m in MARKER.finditer(text):
                    if any(a <= m.start() < b for a, b in covered):
                        continue
                    if rel in pending:
                        untagged += 1
                        continue
                    problems.append(f"{rel}:{no}: {m.group(1)} without an identifier "
                                    f"(write {m.group(1)} [een-id]: and give it a row in KEUZES.md)")
        if rel in pending:
            want = pending[rel]
            if untagged != len(want):
                problems.append(f"{rel}: {untagged} untagged KEUZE/OPEN VRAAG, tools/check_keuzes.py "
                                f"expects {len(want)} ({', '.join(want)}): tag them and update NOG_TE_TAGGEN")
            for ident in want:
                uses.setdefault(ident, []).append(rel)
    for rel in pending:
        if not os.path.exists(os.path.join(root, rel)):
            problems.append(f"rules/{rel}: named in NOG_TE_TAGGEN but not there")
    return uses


def table_ids(text, problems, keuzes):
    ids = []
    body = text.split(INDEX_BEGIN)[0]
    for no, line in enumerate(body.splitlines(), 1):
        m = ROW.match(line)
        if not m:
            continue
        ident = m.group(1)
        if ident in ids:
            problems.append(f"{keuzes}:{no}: row [{ident}] twice")
        ids.append(ident)
    return ids


def index_text(uses, root):
    prefix = os.path.basename(os.path.normpath(os.path.abspath(root)))
    lines = [INDEX_BEGIN, "", "| id | in |", "|---|---|"]
    for ident in sorted(uses):
        files = sorted(set(uses[ident]))
        lines.append(f"| `{ident}` | {', '.join('`' + prefix + '/' + f + '`' for f in files)} |")
    lines += ["", INDEX_END]
    return "\n".join(lines)


def main(argv):
    root, keuzes, write = "rules", None, False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--rules" and args:
            root = args.pop(0)
        elif a == "--keuzes" and args:
            keuzes = args.pop(0)
        elif a == "--write":
            write = True
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            print(f"check_keuzes.py: unknown argument '{a}' (see --help)", file=sys.stderr)
            return 2
    keuzes = keuzes or os.path.join(root, "KEUZES.md")
    problems = []
    uses = scan(root, problems)
    try:
        with open(keuzes, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{keuzes}: {e.strerror}")
        return 1
    rows = table_ids(text, problems, keuzes)
    for ident in sorted(uses):
        if ident not in rows:
            problems.append(f"[{ident}] ({', '.join(sorted(set(uses[ident])))}) has no row in {keuzes}")
    for ident in rows:
        if ident not in uses:
            problems.append(f"{keuzes}: row [{ident}] names an identifier no rule file under {root} has")
    want = index_text(uses, root)
    if INDEX_BEGIN not in text or INDEX_END not in text:
        problems.append(f"{keuzes}: no index (the lines '{INDEX_BEGIN}' ... '{INDEX_END}')")
    else:
        a = text.index(INDEX_BEGIN)
        b = text.index(INDEX_END) + len(INDEX_END)
        if text[a:b] != want:
            if write:
                with open(keuzes, "w", encoding="utf-8") as f:
                    f.write(text[:a] + want + text[b:])
                print(f"{keuzes}: index rewritten")
            else:
                problems.append(f"{keuzes}: the index is out of date (run python3 tools/check_keuzes.py --write)")
    for p in problems:
        print(p)
    if problems:
        print(f"check_keuzes: {len(problems)} problem(s)")
        return 1
    print(f"check_keuzes: {len(uses)} identifiers, every one with a row in {keuzes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
