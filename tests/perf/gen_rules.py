#!/usr/bin/env python3
"""Generate large rule files to measure the front end's time and memory.

usage: gen_rules.py SHAPE N > file.rules
       gen_rules.py proposal N DIR   (writes DIR/base/base.rules and DIR/voorstel/voorstel.rules)

shapes:
  independent  N rules, each using only an input field
  chain        N rules, each using the previous one (rule-call depth N)
  dupcols      one rule and an output of N columns that all name it
  bigfile      N rules with long expressions and long comments
               (N = 40000 gives a file of about 50 MB)
  exceptions   N rules, each with one exception
  cycles       a chain of N rules that all use the first, which uses the last: N cycles (E017)
  deepexpr     one rule whose expression is N parentheses deep
  deepsum      one rule whose expression is a left-nested chain of N additions
  proposal     a base of N rules and a proposal that replaces half of them and adds N/2
"""
import sys

HEADER = """taal nl
module perf.gen

invoer Dossier sleutel id {
  id: tekst
  x:  geheel
}
"""


def independent(n, out):
    out.write(HEADER)
    for i in range(n):
        out.write(f"regel r{i}: geheel = x + {i % 1000}\n")
    out.write(f"uitvoer {{ id, r0, r{n - 1} }}\n")


def chain(n, out):
    out.write(HEADER)
    out.write("regel r0: geheel = x + 1\n")
    for i in range(1, n):
        out.write(f"regel r{i}: geheel = r{i - 1} + 1\n")
    out.write(f"uitvoer {{ id, r{n - 1} }}\n")


def dupcols(n, out):
    out.write(HEADER)
    out.write("regel r: geheel = x + 1\n")
    out.write("uitvoer { id" + ", r" * n + " }\n")


COMMENT = "-- " + "Een lange toelichting bij deze regel, zoals wetgevers die schrijven. " * 6 + "\n"


def bigfile(n, out):
    out.write(HEADER)
    for i in range(n):
        out.write(COMMENT)
        out.write(COMMENT)
        # a long expression: 40 terms, some using earlier rules
        terms = [f"x * {j + 1}" if (j % 4 or i == 0) else f"r{(i * 7 + j) % i}"
                 for j in range(40)]
        out.write(f"regel r{i}: geheel\n  = " + "\n    + ".join(terms) + "\n")
    out.write(f"uitvoer {{ id, r{n - 1} }}\n")


def exceptions(n, out):
    out.write(HEADER)
    for i in range(n):
        out.write(f"regel r{i}: geheel = x + {i % 1000}\n")
        out.write(f"uitzondering u{i} op r{i}\n  als x > {i % 1000}\n  dan {i % 997}\n")
    out.write(f"uitvoer {{ id, r0, r{n - 1} }}\n")


def cycles(n, out):
    out.write(HEADER)
    out.write(f"regel r0: geheel = r{n - 1}\n")
    for i in range(1, n):
        out.write(f"regel r{i}: geheel = r{i - 1} + r0\n")
    out.write(f"uitvoer {{ id, r{n - 1} }}\n")


def deepexpr(n, out):
    out.write(HEADER)
    out.write("regel r: geheel = " + "(" * n + "x" + ")" * n + "\n")
    out.write("uitvoer { id, r }\n")


def deepsum(n, out):
    out.write(HEADER)
    out.write("regel r: geheel = x" + " + 1" * n + "\n")
    out.write("uitvoer { id, r }\n")


def proposal(n, directory):
    import os
    os.makedirs(os.path.join(directory, "base"), exist_ok=True)
    os.makedirs(os.path.join(directory, "voorstel"), exist_ok=True)
    with open(os.path.join(directory, "base", "base.rules"), "w") as out:
        independent(n, out)
    with open(os.path.join(directory, "voorstel", "voorstel.rules"), "w") as out:
        out.write('taal nl\nmodule perf.proposal\nvoorstel op "../base"\n\n')
        for i in range(0, n, 2):
            out.write(f"vervang regel r{i}: geheel = x + {i + 1}\n")
        for i in range(n // 2):
            out.write(f"regel nieuw{i}: geheel = r{i} + 1\n")


SHAPES = {f.__name__: f for f in (independent, chain, dupcols, bigfile, exceptions, cycles, deepexpr, deepsum)}


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "proposal":
        proposal(int(sys.argv[2]), sys.argv[3])
        return
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.stderr.write(__doc__)
        sys.exit(2)
    SHAPES[sys.argv[1]](int(sys.argv[2]), sys.stdout)


if __name__ == "__main__":
    main()
