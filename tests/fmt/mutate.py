#!/usr/bin/env python3
"""dagloon fmt on rule files with random bytes put in (spaces, line breaks, tabs, CRLF, comments,
brackets, operators), seeded so a failure repeats: fmt must never find that its result reads
differently (its internal check), never exit above 1 (1: a lexical error, the file left alone),
and a second fmt must change nothing.

usage: mutate.py DAGLOON N SEED FILES..."""
import os
import random
import subprocess
import sys
import tempfile

BITS = [b" ", b"  ", b"\n", b"\n\n", b"\t", b"\r\n", b" -- c\n", b"(", b")", b"{", b"}", b"-", b"/",
        b":", b",", b"=", b"<", b">", b".", b"1", b"x"]


def main():
    dagloon, n, seed, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rnd = random.Random(seed)
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "m.rules")
    failures = 0
    for k in range(n):
        text = bytearray(open(rnd.choice(files), "rb").read())
        for _ in range(rnd.randint(1, 30)):
            p = rnd.randrange(len(text) + 1)
            text[p:p] = rnd.choice(BITS)
        with open(path, "wb") as f:
            f.write(text)
        r = subprocess.run([dagloon, "fmt", path], capture_output=True)
        why = None
        if r.returncode > 1 or b"internal error" in r.stderr:
            why = "exit %d: %s" % (r.returncode, r.stderr.decode("utf-8", "replace").strip())
        elif r.returncode == 0:
            again = subprocess.run([dagloon, "fmt", "--check", path], capture_output=True)
            if again.returncode != 0:
                why = "a second fmt changes it"
        if why:
            failures += 1
            keep = os.path.join(tmp, "failure%d.rules" % k)
            with open(keep, "wb") as f:
                f.write(text)
            print("  mutation %d (seed %d): %s; input kept in %s" % (k, seed, why, keep))
    print("fmt on %d mutated rule files: %d failures" % (n, failures))
    sys.exit(1 if failures else 0)


main()
