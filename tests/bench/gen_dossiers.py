#!/usr/bin/env python3
# Copied unchanged (below this comment) from the generator of the benchmark workload, version 1 (kept
# outside this repository), so that `make bench` works from the repository alone.
"""Deterministic data generator for the `herstel` benchmark workload (WORKLOAD.md, v1).

    python3 gen_dossiers.py N SEED > dossiers.csv    # N dossiers, reproducible per SEED
    python3 gen_dossiers.py --tables > tables.csv    # the bench table (same as tables.csv)

Standard library only. Only `random.Random(seed).random()` is used, whose sequence
Python guarantees to stay the same across versions; every draw is turned into an
integer at once, and all money is computed in integer cents (no float money).
"""
import random
import sys

# Bench table (not legal values): effective date, max_dagloon (cents), index_bp.
TABLES = [
    ("2015-07-01", 20064, 0),
    ("2016-01-01", 20217, 76),
    ("2016-07-01", 20355, 68),
    ("2017-01-01", 20670, 155),
    ("2017-07-01", 20870, 97),
    ("2018-01-01", 21200, 158),
    ("2018-07-01", 21420, 104),
    ("2019-01-01", 21880, 215),
    ("2019-07-01", 22150, 123),
    ("2020-01-01", 22580, 194),
    ("2020-07-01", 22780, 89),
    ("2021-01-01", 23150, 162),
    ("2021-07-01", 23350, 86),
    ("2022-01-01", 23700, 150),
    ("2022-07-01", 24240, 228),
    ("2023-01-01", 25090, 350),
    ("2023-07-01", 25720, 251),
    ("2024-01-01", 26950, 341),
    ("2024-07-01", 27750, 297),
]


def max_dagloon(day):
    value = TABLES[0][1]
    for eff, cap, _ in TABLES:
        if eff <= day:   # ISO dates compare as strings
            value = cap
    return value


def days_in_month(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def dossier(i, rnd):
    def pick(n):                    # integer in 0 .. n-1
        return int(rnd() * n)

    # first_ao_day uniform over 2016-01-01 .. 2024-06-30
    mi = pick(102)                  # month index since 2016-01
    y, m = 2016 + mi // 12, mi % 12 + 1
    d = 1 + pick(days_in_month(y, m))
    first = "%04d-%02d-%02d" % (y, m, d)

    # monthly wage level, cents: mostly 1,500 .. 9,000 euro, skewed towards the low end
    kind = pick(100)
    if kind < 4:
        base = 40000 + pick(110000)             # part-time, 400 .. 1,500 euro
    elif kind < 7:
        base = 900000 + pick(600000)            # 9,000 .. 15,000 euro
    else:
        u = pick(1000000)
        base = 150000 + 750000 * u * u // 10**12   # 1,500 .. 9,000 euro
    months = [y * 12 + m - 1 - 12 + j for j in range(12)]   # calendar months, oldest first
    loon = []
    for j in range(12):
        w = base * (9600 + pick(801)) // 10000  # +-4 % noise
        loon.append(w)
    if pick(100) < 30:                          # a raise somewhere in the year
        at = pick(12)
        for j in range(at, 12):
            loon[j] = loon[j] * (10200 + pick(400)) // 10000
    if pick(100) < 50:                          # holiday allowance paid in May
        for j in range(12):
            if months[j] % 12 == 4:
                loon[j] += base * 96 // 100
    z = pick(100)
    if z < 5:                                   # started mid-year: leading zero months
        for j in range(1 + pick(11)):
            loon[j] = 0
    elif z < 9:                                 # a zero month (unpaid leave)
        loon[pick(12)] = 0
    elif z == 9 and pick(10) == 0:              # no wage at all
        loon = [0] * 12
    lwd = [0] * 12
    w = pick(1000)
    if w < 150:                                 # ~15 %: some wage-less days
        for _ in range(1 + pick(4)):
            j = pick(12)
            lwd[j] = 1 + pick(23)
            loon[j] = loon[j] * max(0, 2175 - 100 * lwd[j]) // 2175
    elif w == 150:                              # rare: no day left (D <= 0)
        lwd = [22 + pick(2) for _ in range(12)]
        loon = [0] * 12

    # correct dagloon (WORKLOAD.md steps 1-3), then what was paid
    S, L = sum(loon), sum(lwd)
    D = 261 - L
    raw = (2 * S + D) // (2 * D) if D > 0 else 0
    correct = min(raw, max_dagloon(first))
    p = pick(100)
    if p < 40:
        paid = correct
    else:
        bp = 100 + pick(1901)                   # 1 .. 20 %
        f = 10000 - bp if p < 75 else 10000 + bp
        paid = (correct * f + 5000) // 10000
    return "%d,%s,%d,%s,%s" % (i, first, paid, ",".join(map(str, loon)),
                               ",".join(map(str, lwd)))


def main(argv):
    if len(argv) == 2 and argv[1] == "--tables":
        out = ["effective,max_dagloon,index_bp"]
        out += ["%s,%d,%d" % row for row in TABLES]
        sys.stdout.write("\n".join(out) + "\n")
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    n, seed = int(argv[1]), int(argv[2])
    rnd = random.Random(seed).random
    w = sys.stdout.write
    w("id,first_ao_day,paid_dagloon,%s,%s\n" % (
        ",".join("loon_%d" % j for j in range(1, 13)),
        ",".join("lwd_%d" % j for j in range(1, 13))))
    buf = []
    for i in range(1, n + 1):
        buf.append(dossier(i, rnd))
        if len(buf) == 10000:
            w("\n".join(buf) + "\n")
            buf = []
    if buf:
        w("\n".join(buf) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
