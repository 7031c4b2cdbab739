#!/usr/bin/env python3
"""The summary of `dagloon compare`, computed independently.

Generates a small population for tests/compare/basis (deterministic: its own
xorshift generator, seed 7), runs `dagloon run` on the base and on the
proposal separately, and computes from those two outputs -- with Python's
exact fractions, nothing shared with the engine's code -- what the summary of
`dagloon compare basis voorstel --by sector --weight gewicht` must say:
counts, weighted counts, totals, mean, nearest-rank percentiles, the
histogram, the largest gains and losses, the groups and the deciles. Then
checks every figure of compare's JSON summary and every per-dossier row --
with the dossiers resting on 'unverified' table rows per side, from the
`ongeverifieerd` column of `run --mark-unverified`. And the budget effect: on
copies whose base declares a benefit per maand and per jaar (check_budget), and the cohort over
three years with a duration and what follows it (check_cohort).

    python3 tests/compare/check.py build/dagloon
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dagloon"
HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = os.path.normpath(os.path.join(HERE, "..", "..", "rules", "tables"))


class Rng:
    """xorshift64*: the same numbers on every machine and Python version."""

    def __init__(self, seed):
        self.s = seed or 1

    def next(self):
        s = self.s
        s ^= (s >> 12)
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= (s >> 27)
        self.s = s
        return (s * 2685821657736338717) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return self.next() % n


def population(n, seed):
    rng = Rng(seed)
    sectors = ["bouw", "zorg", "onderwijs", "overig"]
    out = []
    for i in range(n):
        year = 2019 + rng.below(6)
        month = 1 + rng.below(12)
        if i % 97 == 5:
            year = 2004  # before the maximum-dagloon table: an error row on both sides
        elif i % 53 == 9:
            year, month = 2026, 7 + month % 6  # on the 'unverified' maximum of 2026-07-01
        elif i % 53 == 31:
            year, month = 2008, 7 + month % 6  # on the 'unverified' maximum of 2008-07-01
        start_y, start_m = (year - 1, month)
        lines = []
        zero = set(rng.below(12) for _ in range(rng.below(4)))
        for k in range(12):
            m = start_m + k
            y = start_y + (m - 1) // 12
            m = (m - 1) % 12 + 1
            cents = 0 if k in zero else 150000 + rng.below(1000000)
            lines.append({"maand": "%04d-%02d-01" % (y, m), "sv_loon": "%d.%02d" % (cents // 100, cents % 100)})
        end_y, end_m = (year, month - 1) if month > 1 else (year - 1, 12)
        days = [31, 29 if end_y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][end_m - 1]
        out.append({
            "id": "P-%04d" % i,
            "eerste_ao_dag": "%04d-%02d-%02d" % (year, month, 1 + rng.below(28)),
            "referte_begin": "%04d-%02d-01" % (start_y, start_m),
            "referte_einde": "%04d-%02d-%02d" % (end_y, end_m, days),
            "sector": sectors[rng.below(4)],
            "loon": lines,
            "gewicht": 1 + rng.below(50),
        })
    return out


def cents(s):
    neg = s.startswith("-")
    whole, _, frac = s.lstrip("-").partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def money(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)


def amount(x):
    """How the summary writes an exact number: in full up to cents, else '~' and half away from zero."""
    x = Fraction(x)
    if (x * 100).denominator == 1:
        c = int(x * 100)
        if c % 100 == 0:
            return str(c // 100)
        s = money(c)
        return s.rstrip("0") if s.endswith("0") else s
    c = x * 100
    r = int(abs(c) + Fraction(1, 2)) * (1 if c >= 0 else -1)
    return "~" + money(r)


def money_amount(x):
    """An amount of the geld value column: two decimals when it is whole cents, else as amount()."""
    x = Fraction(x)
    if (x * 100).denominator == 1:
        return money(int(x * 100))
    return amount(x)


def run(rules, inp, tmp, extra=()):
    out = os.path.join(tmp, os.path.basename(rules) + ".csv")
    subprocess.run([BIN, "run", rules, inp, "-o", out, "--threads", "1", "--mark-unverified", *extra],
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        return {r["id"]: r for r in csv.DictReader(f)}


BANDS = ["gain_over_5pct", "gain_up_to_5pct", "unchanged", "loss_up_to_5pct", "loss_over_5pct"]


def band(d, b):
    """The five bands (issue 20 part 2), as a fraction of the base: exactly 5 % is '5 % or less';
    a base of 0 with a change is 'more than 5 %'."""
    if d == 0:
        return "unchanged"
    more = b == 0 or abs(Fraction(d, b)) > Fraction(5, 100)
    if d > 0:
        return "gain_over_5pct" if more else "gain_up_to_5pct"
    return "loss_over_5pct" if more else "loss_up_to_5pct"


def bands(items, w):
    out = {}
    for k in BANDS:
        inb = [i for i in items if band(i["d"], i["b"]) == k]
        wk = sum(i["w"] for i in inb)
        out[k] = {"dossiers": len(inb), "weight": amount(wk), "share_pct": amount(100 * Fraction(wk) / w) if w else None}
    return out


def tally(items):
    w = sum(i["w"] for i in items)
    tot = sum(i["w"] * Fraction(i["d"], 100) for i in items)
    base = sum(i["w"] * Fraction(i["b"], 100) for i in items)
    return {
        "dossiers": len(items),
        "weight": amount(w),
        "better": amount(sum(i["w"] for i in items if i["d"] > 0)),
        "worse": amount(sum(i["w"] for i in items if i["d"] < 0)),
        "unchanged": amount(sum(i["w"] for i in items if i["d"] == 0)),
        "total_change": money_amount(tot),
        "mean_change": money_amount(tot / w) if w else None,
        "mean_change_pct": amount(100 * tot / base) if base else None,   # the % of the means
        "bands": bands(items, w),
    }


def sym_bins(values):
    """The histogram's bins (issue 20 part 2): edges 1, 2, 5, 10, 20, 50, ... cents on either side of
    a zero bin; per side from the bin nearest zero holding a value to the outermost; the zero bin
    always. [(from, to)] in cents, ascending."""
    edges = [m * 10 ** e for e in range(19) for m in (1, 2, 5)]

    def k_of(v):
        if v == 0:
            return 0
        k = next(n for n in range(1, len(edges)) if abs(v) < edges[n])
        return k if v > 0 else -k

    ks = [k_of(v) for v in values]
    neg, pos = [k for k in ks if k < 0], [k for k in ks if k > 0]
    want = (list(range(min(neg), max(neg) + 1)) if neg else []) + [0] + (list(range(min(pos), max(pos) + 1)) if pos else [])
    out = []
    for k in want:
        if k == 0:
            out.append((0, 0))
        elif k > 0:
            out.append((edges[k - 1], edges[k] - 1))
        else:
            out.append((-(edges[-k] - 1), -edges[-k - 1]))
    return out


# The benefit the budget check declares on a copy of basis, per period: the rule and the number of
# periods in a year (the dagloon x 21,75 days a month or x 261 days a year, x 70 %, to the cent).
BENEFITS = {"maand": ("afgerond(dagloon * 21.75 * 70%, op: cent, methode: rekenkundig)", 12),
            "jaar": ("afgerond(dagloon * 261 * 70%, op: cent, methode: rekenkundig)", 1)}


def budget_copy(tmp, period):
    """Copies of basis and voorstel whose base declares a benefit per `period`
    ('uitkering uitkering_per_X per X'); returns the folder holding basis/ and voorstel/."""
    expr = BENEFITS[period][0]
    root = os.path.join(tmp, "budget_" + period)
    for side in ("basis", "voorstel"):
        os.makedirs(os.path.join(root, side))
        src = open(os.path.join(HERE, side, "dagloon.rules")).read()
        if side == "basis":
            col = "uitkering_per_" + period
            src = src.replace("uitvoer { id,", "uitvoer { id, %s," % col, 1)
            src = src.replace('"../../../rules/tables/', '"%s/' % TABLES, 1)   # the copy is elsewhere
            src += "\nregel %s: geld\n  = %s\n\nuitkering %s per %s\n" % (col, expr, col, period)
        open(os.path.join(root, side, "dagloon.rules"), "w").write(src)
    open(os.path.join(root, ".dagloon-root"), "w").close()
    return root


def check_budget(pop, inp, tmp):
    """The budget effect (issue 20 part 1) on copies of basis and voorstel whose base declares a
    benefit ('uitkering uitkering_per_X per X'), recomputed from the two `run` outputs: the sum over
    the compared dossiers of (proposal - base) x periods a year x gewicht, both sides' totals, the
    weight and the change per dossier per year."""
    failures = []
    for period, (expr, k) in BENEFITS.items():
        root = budget_copy(tmp, period)
        base = run(os.path.join(root, "basis"), inp, tmp, ["--allow-path", TABLES])
        prop = run(os.path.join(root, "voorstel"), inp, tmp, ["--allow-path", TABLES])
        summ = os.path.join(tmp, "budget_%s.json" % period)
        subprocess.run([BIN, "compare", os.path.join(root, "basis"), os.path.join(root, "voorstel"), inp,
                        "--summary", summ, "--weight", "gewicht", "--allow-path", TABLES], stderr=subprocess.DEVNULL)
        got = json.load(open(summ)).get("budget")
        col = "uitkering_per_" + period
        both = [(d, base[d["id"]], prop[d["id"]]) for d in pop if d["id"] in base and d["id"] in prop]
        W = sum(d["gewicht"] for d, _, _ in both)
        tb = sum(d["gewicht"] * k * Fraction(cents(b[col]), 100) for d, b, _ in both)
        tp = sum(d["gewicht"] * k * Fraction(cents(p[col]), 100) for d, _, p in both)
        want = {"benefit": col, "period": period, "times_per_year": k,
                "formula": "uitkering per %s x %d x gewicht" % (period, k), "kind": "structureel per jaar",
                "dossiers": len(both), "weight": amount(W), "base_per_year": money_amount(tb),
                "proposal_per_year": money_amount(tp), "change_per_year": money_amount(tp - tb),
                "change_per_dossier_per_year": money_amount((tp - tb) / W), "cohort": None}
        if got is None or {x: got.get(x) for x in want} != want:
            failures.append("budget per %s: %s, expected %s" % (period, got, want))
        print("compare: budget per %s over %d dossiers: change per year %s (recomputed)" % (period, len(both),
                                                                                    money_amount(tp - tb)))
        if tp == tb:
            failures.append("budget per %s: the proposal should change the benefit (the test would test less)" % period)
    return failures


# The cohort check's declaration on a copy of basis: 70 % a month for a duration that depends on the
# dagloon (so the proposal, which changes the dagloon, changes it too; below 0 for the lowest), then 50 %.
COHORT_RULES = """
regel uitkering_per_maand: geld
  = afgerond(dagloon * 21.75 * 70%, op: cent, methode: rekenkundig)

regel duur_maanden: geheel
  = als dagloon > € 240,00 dan 40 anders als dagloon > € 220,00 dan 30 anders als dagloon > € 205,00 dan 14
    anders als dagloon > € 180,00 dan 5 anders -3

regel daarna_per_maand: geld
  = afgerond(dagloon * 21.75 * 50%, op: cent, methode: rekenkundig)

uitkering uitkering_per_maand per maand duur duur_maanden daarna daarna_per_maand
"""
COHORT_YEARS = 3


def paid_in_year(x, periods, after, year):
    """What one side pays a dossier in year `year` of the cohort (a month's benefit x, for `periods`
    months, then `after` a month), in cents -- written apart from compare_budget.c."""
    d = max(0, periods)
    months_before = 12 * (year - 1)
    first = min(12, max(0, d - months_before))
    return x * first + after * (12 - first)


def check_cohort(pop, inp, tmp):
    """The cohort over COHORT_YEARS years (compare --jaren), recomputed from the two `run` outputs:
    per year of the cohort, both sides' weighted sums, each side with its own duration."""
    failures = []
    root = os.path.join(tmp, "cohort")
    for side in ("basis", "voorstel"):
        os.makedirs(os.path.join(root, side))
        src = open(os.path.join(HERE, side, "dagloon.rules")).read()
        if side == "basis":
            src = src.replace("uitvoer { id,", "uitvoer { id, uitkering_per_maand, duur_maanden, daarna_per_maand,", 1)
            src = src.replace('"../../../rules/tables/', '"%s/' % TABLES, 1)
            src += COHORT_RULES
        open(os.path.join(root, side, "dagloon.rules"), "w").write(src)
    open(os.path.join(root, ".dagloon-root"), "w").close()
    base = run(os.path.join(root, "basis"), inp, tmp, ["--allow-path", TABLES])
    prop = run(os.path.join(root, "voorstel"), inp, tmp, ["--allow-path", TABLES])
    summ = os.path.join(tmp, "cohort.json")
    subprocess.run([BIN, "compare", os.path.join(root, "basis"), os.path.join(root, "voorstel"), inp, "--summary", summ,
                    "--weight", "gewicht", "--jaren", str(COHORT_YEARS), "--allow-path", TABLES],
                   stderr=subprocess.DEVNULL)
    got = json.load(open(summ))["budget"]["cohort"]
    both = [(d, base[d["id"]], prop[d["id"]]) for d in pop if d["id"] in base and d["id"] in prop]
    W = sum(d["gewicht"] for d, _, _ in both)
    years, tb, tp = [], Fraction(0), Fraction(0)
    for y in range(1, COHORT_YEARS + 1):
        yb = sum(d["gewicht"] * Fraction(paid_in_year(cents(b["uitkering_per_maand"]), int(b["duur_maanden"]),
                                                      cents(b["daarna_per_maand"]), y), 100) for d, b, _ in both)
        yp = sum(d["gewicht"] * Fraction(paid_in_year(cents(p["uitkering_per_maand"]), int(p["duur_maanden"]),
                                                      cents(p["daarna_per_maand"]), y), 100) for d, _, p in both)
        years.append({"year": y, "base": money_amount(yb), "proposal": money_amount(yp), "change": money_amount(yp - yb)})
        tb, tp = tb + yb, tp + yp
    below = sum(1 for _, b, p in both if int(b["duur_maanden"]) < 0 or int(p["duur_maanden"]) < 0)
    want = {"years": COHORT_YEARS, "periods": 12 * COHORT_YEARS, "duration": "duur_maanden",
            "afterwards": "daarna_per_maand", "base": money_amount(tb), "proposal": money_amount(tp),
            "change": money_amount(tp - tb), "change_per_dossier": money_amount((tp - tb) / W),
            "durations_below_zero": below, "per_year": years}
    if {x: got.get(x) for x in want} != want:
        failures.append("cohort: %s, expected %s" % (got, want))
    durations_differ = sum(1 for _, b, p in both if b["duur_maanden"] != p["duur_maanden"])
    print("compare: cohort over %d years, %d dossiers (%d with another duration in the proposal, %d below 0): "
          "change %s (recomputed)" % (COHORT_YEARS, len(both), durations_differ, below, money_amount(tp - tb)))
    if not durations_differ or not below or all(int(b["duur_maanden"]) < 12 * COHORT_YEARS for _, b, _ in both):
        failures.append("cohort: the population should have durations the proposal changes, below 0 and beyond the "
                        "horizon (the test would test less)")
    return failures


# the labels tests/compare/basis gives its keuze Sector, its field sector and its rule dagloon
SECTOR_LABELS = {"bouw": "Bouw", "zorg": "Zorg en welzijn", "onderwijs": "Onderwijs", "overig": "Overige sectoren"}


def main():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        pop = population(400, 7)
        inp = os.path.join(tmp, "pop.jsonl")
        with open(inp, "w") as f:
            for d in pop:
                f.write(json.dumps(d) + "\n")
        base = run(os.path.join(HERE, "basis"), inp, tmp)
        prop = run(os.path.join(HERE, "voorstel"), inp, tmp)
        rows = os.path.join(tmp, "rows.csv")
        summ = os.path.join(tmp, "summary.json")
        subprocess.run([BIN, "compare", os.path.join(HERE, "basis"), os.path.join(HERE, "voorstel"), inp, "-o", rows,
                        "--summary", summ, "--by", "sector", "--weight", "gewicht", "--mark-unverified"],
                       stderr=subprocess.DEVNULL)
        got = json.load(open(summ))

        items, errors, werr = [], 0, 0
        for d in pop:
            b, p = base.get(d["id"]), prop.get(d["id"])
            if b is None or p is None:
                errors += 1
                werr += d["gewicht"]
                continue
            items.append({"id": d["id"], "d": cents(p["dagloon"]) - cents(b["dagloon"]), "b": cents(b["dagloon"]),
                          "p": cents(p["dagloon"]), "w": d["gewicht"], "g": d["sector"],
                          "ub": b["ongeverifieerd"] != "", "up": p["ongeverifieerd"] != ""})
        want_all = tally(items)
        want_all.update({"errors": errors, "all_dossiers": len(pop), "errors_weight": amount(werr),
                         "base_total": money_amount(sum(i["w"] * Fraction(i["b"], 100) for i in items)),
                         "proposal_total": money_amount(sum(i["w"] * Fraction(i["p"], 100) for i in items))})
        if got["all"] != want_all:
            failures.append("all: %s, expected %s" % (got["all"], want_all))

        # compared dossiers (no error row on either side) resting on an unverified row, per side
        want_u = {side: {"dossiers": sum(1 for i in items if i[k]), "weight": amount(sum(i["w"] for i in items if i[k]))}
                  for side, k in (("base", "ub"), ("proposal", "up"))}
        if got.get("unverified") != want_u:
            failures.append("unverified: %s, expected %s" % (got.get("unverified"), want_u))

        by_diff = sorted(items, key=lambda i: i["d"])  # stable, as the engine's order does not matter for values
        W = sum(i["w"] for i in items)
        for p in (1, 10, 25, 50, 75, 90, 99):
            cum, val = 0, None
            for i in by_diff:
                cum += i["w"]
                if cum * 100 >= W * p:
                    val = i["d"]
                    break
            if got["percentiles"].get("p%d" % p) != money(val):
                failures.append("p%d: %s, expected %s" % (p, got["percentiles"].get("p%d" % p), money(val)))

        want_h = []
        for f, t in sym_bins([i["d"] for i in items]):
            inb = [i for i in items if f <= i["d"] <= t]
            want_h.append({"from": money(f), "to": money(t), "dossiers": len(inb), "weight": amount(sum(i["w"] for i in inb))})
        if got["histogram"] != want_h:
            failures.append("histogram: %s, expected %s" % (got["histogram"], want_h))

        gains = [i for i in sorted(items, key=lambda i: -i["d"]) if i["d"] > 0][:10]
        losses = [i for i in by_diff if i["d"] < 0][:10]
        if [g["change"] for g in got["largest_gains"]] != [money(i["d"]) for i in gains]:
            failures.append("largest gains: %s" % got["largest_gains"])
        if [g["change"] for g in got["largest_losses"]] != [money(i["d"]) for i in losses]:
            failures.append("largest losses: %s" % got["largest_losses"])
        # each listed id really has that change
        for g in got["largest_gains"] + got["largest_losses"]:
            if money(next(i["d"] for i in items if i["id"] == g["id"])) != g["change"]:
                failures.append("id %s does not have change %s" % (g["id"], g["change"]))

        order = sorted(set(i["g"] for i in items), key=lambda g: g.encode())
        want_g = []
        for g in order:
            t = tally([i for i in items if i["g"] == g])
            t["group"] = g
            t["label"] = SECTOR_LABELS[g]
            want_g.append(t)
        if (got.get("value_label"), got.get("by_label")) != ("dagloon (na de grens)", "bedrijfssector"):
            failures.append("labels: value %s, by %s" % (got.get("value_label"), got.get("by_label")))
        if got["groups"] != want_g:
            failures.append("groups: %s, expected %s" % (got["groups"], want_g))

        by_base = sorted(items, key=lambda i: i["b"])
        want_d, start, cum = [], 0, 0
        for dnum in range(1, 11):
            end = start
            while end < len(by_base) and (dnum == 10 or Fraction(10 * cum, W) < dnum):
                cum += by_base[end]["w"]
                end += 1
            part = by_base[start:end]
            t = tally(part)
            t["decile"] = dnum
            if part:
                t["base_from"], t["base_to"] = money(part[0]["b"]), money(part[-1]["b"])
            want_d.append(t)
            start = end
        # the engine's order within equal base values may differ; the figures must not
        for a, b in zip(got["deciles"], want_d):
            if a != b:
                failures.append("decile %s: %s, expected %s" % (b["decile"], a, b))

        with open(rows) as f:
            for r in csv.DictReader(f):
                b, p = base.get(r["id"]), prop.get(r["id"])
                if b is None or p is None:
                    if r["uitkomst"] != "fout" or not r["fout"]:
                        failures.append("row %s should be an error row" % r["id"])
                    continue
                d = cents(p["dagloon"]) - cents(b["dagloon"])
                want = "beter" if d > 0 else "slechter" if d < 0 else "gelijk"
                if (r["dagloon_basis"], r["dagloon_voorstel"], r["dagloon_verschil"], r["uitkomst"],
                        r["ongeverifieerd_basis"], r["ongeverifieerd_voorstel"]) != \
                        (b["dagloon"], p["dagloon"], money(d), want, b["ongeverifieerd"], p["ongeverifieerd"]):
                    failures.append("row %s: %s" % (r["id"], r))
        failures += check_budget(pop, inp, tmp)
        failures += check_cohort(pop, inp, tmp)
        if not (errors and any(i["d"] > 0 for i in items) and any(i["d"] < 0 for i in items) and
                any(i["ub"] for i in items) and not all(i["ub"] for i in items)):
            failures.append("the population should have gains, losses, error rows and dossiers with and without "
                            "unverified rows (the test would test less)")
    for f in failures[:20]:
        print("FAIL compare:", f)
    print("compare: summary of %d dossiers checked against an independent computation: %s" %
          (len(pop), "ok" if not failures else "%d failures" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
