#!/usr/bin/env python3
"""Keeps docs/HANDLEIDING.md (the Dutch guide) true to the files and the program it shows.

The guide marks its fenced blocks in the info string after the three backticks:

    ```regels bestand=docs/handleiding/regels/dagloon.rules
        a literal excerpt of that file (any language: regels, yaml, json, ...)
    ```regels bestand=PATH goed=ID      an excerpt that the block marked fout=ID replaces
    ```regels bestand=PATH fout=ID      a deliberate mistake: not in the file; it replaces goed=ID
    ```uitvoer [status=N] [fout=ID]
    $ build/dagloon ARGS...
        the exact standard output, then standard error, of that command run from the
        repository's root (with fout=ID: in a copy of docs/handleiding where the mistake replaces
        its goed block), exiting with N (default 0)
    ```uitvoer illustratie      output shown but not run (the guide says so beside it)

Every 'regels' block must name its file, so no rule text in the guide goes unchecked. Then every
rule set under docs/handleiding must check without errors or warnings and be formatted
(dagloon fmt --check), the tutorial's cases must pass, its KEUZE / OPEN VRAAG ids must have rows in
docs/handleiding/KEUZES.md, the guide's keyword table must list exactly the keyword pairs of
lang/lexer.re, and its table of names exactly the types, functions and rounding methods of
lang/check.c. Finally the checker checks itself: a changed excerpt and a changed row of either
table must be caught.

Only the program itself is run: the '$ build/dagloon' of a block is replaced by the binary named on
the command line and the rest split into words (shlex, no shell), so a block runs nothing else.

Usage: check.py [--update] BUILD/dagloon   (from the repository's root; exit 1 on any failure)
--update writes each command's present output into the guide: review that diff like code.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

GUIDE = "docs/HANDLEIDING.md"
FOLDER = "docs/handleiding"
LEXER = "lang/lexer.re"
CHECKER = "lang/check.c"
FENCE = re.compile(r"^```(\S*)(.*)$")
# The program's messages in English whatever the caller's locale: the guide shows the English ones
# (LANGUAGE=nl gives Dutch once tools/po/nl.po is there), and the check must not depend on that.
ENGLISH = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="")


class Block:
    def __init__(self, line, lang, flags, attrs, text, end=None):
        self.line, self.lang, self.flags, self.attrs, self.text = line, lang, flags, attrs, text
        self.end = end  # index of the closing fence's line

    def where(self):
        return f"{GUIDE}:{self.line}"


def blocks(path):
    """Every fenced block of the guide with its language, bare words and key=value words."""
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start = i + 1
        lang, words = m.group(1), m.group(2).split()
        flags = {w for w in words if "=" not in w}
        attrs = dict(w.split("=", 1) for w in words if "=" in w)
        j = start
        while j < len(lines) and lines[j] != "```":
            j += 1
        out.append(Block(start, lang, flags, attrs, "\n".join(lines[start:j]) + "\n", j))
        i = j + 1
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def run(binary, block, cwd):
    """Runs the block's '$ build/dagloon ...' line in cwd; returns (status, stdout + stderr)."""
    first, _, _ = block.text.partition("\n")
    words = shlex.split(first[2:])
    proc = subprocess.run([binary] + words[1:], cwd=cwd, capture_output=True, text=True, env=ENGLISH)
    return proc.returncode, proc.stdout + proc.stderr


def expected_output(block):
    return block.text.partition("\n")[2]


def with_mistake(mistake, good, tmp):
    """A copy of docs/handleiding under tmp in which the mistake replaces the good excerpt."""
    shutil.copytree(FOLDER, os.path.join(tmp, FOLDER))
    target = os.path.join(tmp, mistake.attrs["bestand"])
    text = read(target)
    if good.text not in text:
        return None
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(good.text, mistake.text, 1))
    return tmp


class Checker:
    def __init__(self, binary, update=False):
        self.binary = os.path.abspath(binary)
        self.failures = 0
        self.update = update
        self.new_outputs = []  # (block, output) for --update

    def fail(self, msg):
        print("FAIL " + msg)
        self.failures += 1

    def excerpts(self, bs):
        goods = {b.attrs["goed"]: b for b in bs if "goed" in b.attrs}
        for b in bs:
            path = b.attrs.get("bestand")
            if b.lang == "regels" and not path:
                self.fail(f"{b.where()}: a 'regels' block without bestand=FILE is not checked")
                continue
            if not path:
                continue
            if not os.path.isfile(path):
                self.fail(f"{b.where()}: bestand={path} is no file")
                continue
            text = read(path)
            if "fout" in b.attrs:
                good = goods.get(b.attrs["fout"])
                if not good or good.attrs.get("bestand") != path:
                    self.fail(f"{b.where()}: fout={b.attrs['fout']} has no goed= block of {path}")
                elif b.text in text:
                    self.fail(f"{b.where()}: the deliberate mistake is in {path} itself")
            elif b.text not in text:
                self.fail(f"{b.where()}: this block is not literally in {path} (the file or the guide changed)")
            elif "goed" in b.attrs and text.count(b.text) != 1:
                self.fail(f"{b.where()}: goed={b.attrs['goed']} is in {path} more than once")

    def outputs(self, bs):
        goods = {b.attrs["goed"]: b for b in bs if "goed" in b.attrs}
        mistakes = {b.attrs["fout"]: b for b in bs if "fout" in b.attrs and b.lang != "uitvoer"}
        shown, before = 0, self.failures
        for b in bs:
            if b.lang != "uitvoer" or "illustratie" in b.flags:
                continue
            if not b.text.startswith("$ build/dagloon "):
                self.fail(f"{b.where()}: an 'uitvoer' block starts with '$ build/dagloon ...' or is marked illustratie")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                cwd = "."
                if "fout" in b.attrs:
                    ident = b.attrs["fout"]
                    if ident not in mistakes or ident not in goods:
                        self.fail(f"{b.where()}: fout={ident} names no mistake with its goed block")
                        continue
                    cwd = with_mistake(mistakes[ident], goods[ident], tmp)
                    if cwd is None:
                        self.fail(f"{b.where()}: goed={ident} is not in its file, so the mistake cannot replace it")
                        continue
                status, got = run(self.binary, b, cwd)
            want = expected_output(b)
            want_status = int(b.attrs.get("status", "0"))
            if self.update and got != want:
                self.new_outputs.append((b, got))
                continue
            if got != want or status != want_status:
                self.fail(f"{b.where()}: '{b.text.partition(chr(10))[0]}' gives (exit {status}, "
                          f"the guide says {want_status}):")
                for d in difflib.unified_diff(want.split("\n"), got.split("\n"), "in the guide",
                                              "the program", lineterm=""):
                    print("  " + d)
            shown += 1
        if self.failures == before:
            print(f"ok   {shown} commands of the guide give the output it shows")

    def rewrite(self):
        """--update: the outputs of the commands written into the guide (review the diff)."""
        lines = read(GUIDE).split("\n")
        for b, got in sorted(self.new_outputs, key=lambda x: -x[0].line):
            lines[b.line + 1:b.end] = got.rstrip("\n").split("\n") if got else []
        with open(GUIDE, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"{GUIDE}: {len(self.new_outputs)} outputs rewritten")

    def rule_sets(self):
        folders = sorted({os.path.dirname(os.path.join(d, f)) for d, _, fs in os.walk(FOLDER)
                          for f in fs if f.endswith(".rules")})
        for folder in folders:
            p = subprocess.run([self.binary, "check", folder], capture_output=True, text=True, env=ENGLISH)
            if p.returncode != 0 or "warning:" in p.stderr:
                self.fail(f"dagloon check {folder}: exit {p.returncode}\n{p.stderr}")
            files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".rules"))
            p = subprocess.run([self.binary, "fmt", "--check"] + files, capture_output=True, text=True, env=ENGLISH)
            if p.returncode != 0:
                self.fail(f"dagloon fmt --check {folder}: not formatted\n{p.stdout}{p.stderr}")
        print(f"ok   {len(folders)} rule sets under {FOLDER} check clean and are formatted")
        p = subprocess.run([self.binary, "test", f"{FOLDER}/regels", f"{FOLDER}/gevallen", "--coverage"],
                           capture_output=True, text=True, env=ENGLISH)
        if p.returncode != 0:
            self.fail(f"dagloon test {FOLDER}/regels {FOLDER}/gevallen:\n{p.stdout}{p.stderr}")
        else:
            print(f"ok   the tutorial's cases pass ({p.stdout.strip().splitlines()[-1]})")
        p = subprocess.run([sys.executable, "tools/check_keuzes.py", "--rules", FOLDER,
                            "--keuzes", f"{FOLDER}/KEUZES.md"], capture_output=True, text=True, env=ENGLISH)
        if p.returncode != 0:
            self.fail(f"check_keuzes on {FOLDER}:\n{p.stdout}{p.stderr}")

    def keywords(self, guide):
        lexer = set(re.findall(r'\{"(\w+)", "(\w+)", TK_\w+\}', read(LEXER)))
        m = re.search(r"<!-- sleutelwoorden -->(.*?)<!-- einde sleutelwoorden -->", guide, re.S)
        if not m:
            self.fail(f"{GUIDE}: no keyword table (<!-- sleutelwoorden --> ... <!-- einde sleutelwoorden -->)")
            return
        table = set(re.findall(r"^\| `(\w+)` \| `(\w+)` \|", m.group(1), re.M))
        for nl, en in sorted(lexer - table):
            self.fail(f"{GUIDE}: the keyword table lacks `{nl}` / `{en}` ({LEXER} has it)")
        for nl, en in sorted(table - lexer):
            self.fail(f"{GUIDE}: the keyword table has `{nl}` / `{en}`, which {LEXER} does not")
        if lexer == table:
            print(f"ok   the keyword table lists the {len(lexer)} keyword pairs of {LEXER}")

    def names(self, guide):
        """The table of types, functions and rounding methods: exactly the pairs of lang/check.c."""
        src = read(CHECKER)
        a = src.index("names of built-in types")
        b = src.index("static const char *in_lang")
        known = set(re.findall(r'\{"(\w+)", "(\w+)"', src[a:b]))
        m = re.search(r"<!-- namen -->(.*?)<!-- einde namen -->", guide, re.S)
        if not m or not known:
            self.fail(f"{GUIDE}: no table of names (<!-- namen --> ... <!-- einde namen -->), or none in {CHECKER}")
            return
        table = set(re.findall(r"^\| `(\w+)` \| `(\w+)` \|", m.group(1), re.M))
        for nl, en in sorted(known - table):
            self.fail(f"{GUIDE}: the table of names lacks `{nl}` / `{en}` ({CHECKER} has it)")
        for nl, en in sorted(table - known):
            self.fail(f"{GUIDE}: the table of names has `{nl}` / `{en}`, which {CHECKER} does not")
        if known == table:
            print(f"ok   the table of names lists the {len(known)} types, functions and methods of {CHECKER}")

    def itself(self, bs):
        """The excerpt check must be able to fail: one space added to an excerpt is caught."""
        excerpt = next(b for b in bs if "bestand" in b.attrs and "fout" not in b.attrs)
        changed = Block(excerpt.line, excerpt.lang, excerpt.flags, excerpt.attrs,
                        excerpt.text.replace("\n", " \n", 1))
        quiet = Checker(self.binary)
        quiet.fail = lambda msg: setattr(quiet, "failures", quiet.failures + 1)
        quiet.excerpts([changed])
        if quiet.failures != 1:
            self.fail("the checker does not notice a changed excerpt")
        else:
            print("ok   a changed excerpt is caught")
        guide = read(GUIDE)
        for table, row in (("keywords", "| `strikt` | `strict` |"), ("names", "| `som` | `sum` |")):
            quiet.failures = 0  # (a failing check prints no 'ok' line)
            getattr(quiet, table)(guide.replace(row, "| `x` | `y` |"))
            if quiet.failures != 2:
                self.fail(f"the {table} check does not notice a row changed ({row})")
        print("ok   a changed row of the keyword table and of the table of names is caught")


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    checker = Checker(argv[0], update)
    bs = blocks(GUIDE)
    checker.excerpts(bs)
    n = sum(1 for b in bs if "bestand" in b.attrs and "fout" not in b.attrs)
    if not checker.failures:
        print(f"ok   {n} blocks of the guide checked against their files")
    checker.outputs(bs)
    if update:
        checker.rewrite()
        return 0
    checker.rule_sets()
    checker.keywords(read(GUIDE))
    checker.names(read(GUIDE))
    checker.itself(bs)
    if checker.failures:
        print(f"tests/handleiding: {checker.failures} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
