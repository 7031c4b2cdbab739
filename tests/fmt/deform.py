#!/usr/bin/env python3
"""Un-formats a rule file the way a hurried editor would, for tests/fmt/run.sh:
trailing whitespace, doubled and leading/trailing blank lines, declaration,
'versie', 'bron', '=' and 'peildatum' lines (and the lines below them) moved right, spaces
inside parentheses and before commas, CRLF line ends. Comments and strings
are left alone, and nothing the formatter keeps as written (line breaks,
the indentation of other lines, two or more spaces, '-', 108/100) is
touched: 'dagloon fmt' must give back the original file byte for byte.

usage: deform.py IN OUT"""
import re
import sys

HEADS = ("regel", "rule", "uitzondering", "exception", "versie", "version", "bron", "source",
         "=", "peildatum", "reference_date", "keuze", "choice", "tabel", "table")


def code_part(line):
    """The part of a line before a comment, outside strings: (code, rest)."""
    in_str = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == '"':
            in_str = not in_str
        elif c == "\\" and in_str:
            i += 1
        elif not in_str and line.startswith("--", i):
            return line[:i], line[i:]
        i += 1
    return line, ""


def deform_code(code):
    out, in_str = [], False
    for k, seg in enumerate(code.split('"')):
        if k % 2 == 0:   # outside a string
            seg = re.sub(r"\((?=[^ )\n])", "( ", seg)
            seg = re.sub(r"(?<=[^ (]), (?=\S)", " , ", seg)
            seg = re.sub(r"(?<=[^ (])\)", " )", seg)
        out.append(seg)
    return '"'.join(out)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    lines = text.split("\n")[:-1]
    out = ["", ""]
    shift = 0
    depth = 0   # parentheses and braces open before this line: a continuation is left alone
    for n, line in enumerate(lines):
        stripped = line.lstrip(" ")
        code, comment = code_part(line)
        word = stripped.split(" ", 1)[0] if stripped else ""
        if depth == 0 and word in HEADS and not stripped.startswith("--"):
            shift = n % 5   # a wrong indentation; the lines below it move along (fmt moves them back)
        if stripped and not stripped.startswith("--"):
            line = " " * shift + line
            code, comment = code_part(line)
        if '"' not in code or code.count('"') % 2 == 0:
            if '\\"' not in code:
                code = deform_code(code)
        depth += code.count("(") + code.count("{") - code.count(")") - code.count("}")
        line = code + comment
        if line.strip() == "":
            out.append("   ")
            if n % 2 == 0:
                out.append("")
        else:
            out.append(line + (" \t" if n % 3 == 0 else ""))
    out += ["", ""]
    sys.stdout = open(sys.argv[2], "w", encoding="utf-8", newline="")
    sys.stdout.write("\r\n".join(out) + "\r\n")


main()
