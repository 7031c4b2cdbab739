"""How many dossiers of a generated population change, and by how much, between two builds.

Usage: sh tools/measure_change.sh OLD_TREE NEW_TREE [options]
       python3 tools/measure_change.py OLD_TREE NEW_TREE [options]
  OLD_TREE, NEW_TREE  checkouts with build/dagloon built (make); each is run with its own rules/
  --n N               dossiers per rule set (default 10000)
  --seed SEED         (default 1)
  --regeling R        wia, ww or zw; repeatable (default all three)
  --horizon DATE      the last day the tables cover (default 2026-12-31)
  --out DIR           populations, outputs and per-dossier differences (default build/meting)
  --threads N         passed to dagloon run (default 2)
  --old-bin, --new-bin  another engine than TREE/build/dagloon (e.g. a sanitizer build)
  --gen-args 'OPTS'   more options for gen_population.py, e.g. '--rond-grenzen 300' to put a
                      share of the dates near the boundaries of the texts

For each rule set it generates one population with tools/gen_population.py of THIS tree (the
same bytes for both builds), eerste rechtdagen up to 2027-12-31 (past the horizon):
  wia: --regeling wia --tot 2027-12-31 --afwijkend 300 --loonloos-afwijkend 400
  ww:  --regeling ww --tot 2027-12-31           zw: --regeling zw --tot 2027-12-31
runs `OLD_TREE/build/dagloon run OLD_TREE/rules/R` and the same for NEW_TREE, and reports:
  - how many dossiers changed: the dagloon, any other common output column, an error row in one
    build only (ok -> error, error -> ok), or both error rows;
  - the size of the dagloon changes (new - old, in euros: min, median, max, exact decimals), and
    how many went up and down;
  - a breakdown by the feature that explains it, per the three defects of issue 13: eerste rechtdag
    past the horizon (defect 1), a tijdvak with ziekte (without / with wage; defect 2), werkstaking
    with a right before 1-9-2017 (defect 3); and the other omstandigheden and wage-less months.
    'Verklaard door' assigns each dossier to the first feature it has, in that order, so the
    groups add up to the total; 'kenmerken' counts every dossier that has a feature (overlapping),
    with the omstandigheid tijdvakken split by the date windows of the texts (1-7-2015, 1-12-2016,
    1-9-2017, 1-12-2017).
Per rule set DIR/R/verschillen.csv lists every dossier that changed: id, old and new dagloon,
difference, old and new error reason, the other output columns that changed, the features.
Money is read as decimal strings and computed with decimal.Decimal (no binary floats).
Exit status: 0 (the report was made), 2 usage or a build that could not run.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "gen_population.py")

POPULATION_ARGS = {
    "wia": ["--regeling", "wia", "--tot", "2027-12-31", "--afwijkend", "300",
            "--loonloos-afwijkend", "400"],
    "ww": ["--regeling", "ww", "--tot", "2027-12-31"],
    "zw": ["--regeling", "zw", "--tot", "2027-12-31"],
}

# The field that chooses the version and the table rows (the peildatum) per rule set.
PEILDATUM = {"wia": "eerste_rechtdag", "ww": "eerste_werkloosheidsdag", "zw": "eerste_rechtdag"}

# The date windows of the texts that change which omstandigheden count (DB art 27, 27a, 27c).
WINDOWS = [("2015-07-01", "voor 1-7-2015"), ("2016-12-01", "1-7-2015..30-11-2016"),
           ("2017-09-01", "1-12-2016..31-8-2017"), ("2017-12-01", "1-9-2017..30-11-2017"),
           (None, "vanaf 1-12-2017")]


def population_args(regeling, args):
    return POPULATION_ARGS[regeling] + (args.gen_args.split() if args.gen_args else [])


def window(day):
    for limit, name in WINDOWS:
        if limit is None or day < limit:
            return name
    raise AssertionError


def cents(text):
    """A money string as a Decimal; '' or a non-number gives None."""
    try:
        return Decimal(text)
    except Exception:
        return None


# ---------------------------------------------------------------- features of a dossier

def omstandigheden(regeling, d):
    """[(omstandigheid, has wage)] of the tijdvakken with an omstandigheid."""
    out = []
    if regeling == "ww":
        for r in d.get("loon", []):
            if r.get("omstandigheid", "geen") != "geen":
                wage = Decimal(r["loon"]) + Decimal(r.get("ziekengeld", "0"))
                out.append((r["omstandigheid"], wage != 0))
        return out
    key = "werkgever" if regeling == "wia" else "dienstbetrekking"
    for a in d.get("afwijkende_tijdvakken", []):
        wage = sum((Decimal(r["loon"]) for r in d.get("loon", [])
                    if r.get(key) == a.get(key) and r["tijdvak"] == a["tijdvak"]), Decimal(0))
        out.append((a["omstandigheid"], wage != 0))
    return out


def wageless_month(regeling, d):
    """A tijdvak (after the first) of a dienstbetrekking without wage and without an
    omstandigheid: a gap in the loonregels or a regel of 0.00 (a rough test: the generator's
    wage-less months)."""
    key = {"wia": "werkgever", "ww": "werkgever", "zw": "dienstbetrekking"}[regeling]
    marked = set()
    if regeling == "ww":
        marked = {(r["werkgever"], r["tijdvak"]) for r in d.get("loon", [])
                  if r.get("omstandigheid", "geen") != "geen"}
    else:
        marked = {(a.get(key), a["tijdvak"]) for a in d.get("afwijkende_tijdvakken", [])}
    rows = {}
    for r in d.get("loon", []):
        rows.setdefault(r.get(key), []).append(r)
    day = datetime.date.fromisoformat
    for who, rs in rows.items():
        rs.sort(key=lambda r: r["tijdvak"])
        own = sorted((day(t[:10]), day(t[11:])) for w, t in marked if w == who)
        for prev, r in zip(rs, rs[1:]):
            if (who, r["tijdvak"]) in marked:
                continue
            if Decimal(r["loon"]) == 0:
                return True
            # a gap between two regels, unless tijdvakken with an omstandigheid fill it
            cursor, end = day(prev["tijdvak"][11:]) + datetime.timedelta(1), day(r["tijdvak"][:10])
            for lo, hi in own:
                if lo <= cursor <= hi:
                    cursor = hi + datetime.timedelta(1)
            if cursor < end:
                return True
    return False


def features(regeling, d, horizon):
    """(primary feature, [all features], [(omstandigheid or loonloze maand, date window)])."""
    day = d[PEILDATUM[regeling]]
    feats = []
    if day > horizon:
        feats.append("1 eerste rechtdag na de horizon (> %s)" % horizon)
    om = omstandigheden(regeling, d)
    if any(o == "werkstaking" for o, _ in om) and day < "2017-09-01":
        with_wage = all(w for o, w in om if o == "werkstaking")
        feats.append("3 werkstaking, recht voor 1-9-2017, %s" %
                     ("met loon" if with_wage else "zonder loon"))
    if any(o in ("ziekte", "arbeidsongeschiktheid") and not w for o, w in om):
        feats.append("2 ziekte zonder loon")
    if any(o in ("ziekte", "arbeidsongeschiktheid") and w for o, w in om):
        feats.append("2 ziekte met loon")
    for o, w in sorted(set(om)):
        if o not in ("ziekte", "arbeidsongeschiktheid") and not (o == "werkstaking" and day < "2017-09-01"):
            feats.append("- %s %s" % (o, "met loon" if w else "zonder loon"))
    wageless = wageless_month(regeling, d)
    if wageless:
        feats.append("- loonloze maand (geen omstandigheid)")
    primary = feats[0] if feats else "- geen van deze"
    cells = [("%s %s" % (o, "met loon" if w else "zonder loon"), window(day))
             for o, w in sorted(set(om))]
    if wageless:
        cells.append(("~ loonloze maand, geen omstandigheid", window(day)))
    return primary, feats, cells


# ---------------------------------------------------------------- running the builds

def run_build(tree, binary, regeling, population, outdir, tag, threads):
    """Run TREE/build/dagloon (or binary) with TREE/rules/REGELING on the population;
    {id: row dict} and {id: error reason}."""
    binary = binary or os.path.join(tree, "build", "dagloon")
    rules = os.path.join(tree, "rules", regeling)
    out = os.path.join(outdir, tag + ".csv")
    err = os.path.join(outdir, tag + "-fouten.csv")
    if not os.access(binary, os.X_OK):
        sys.exit("measure_change: %s is not built (make -C %s)" % (binary, tree))
    p = subprocess.run([binary, "run", rules, population, "-o", out, "--errors", err,
                        "--threads", str(threads)], stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 3):
        sys.exit("measure_change: %s run %s failed (exit %d):\n%s"
                 % (binary, rules, p.returncode, p.stderr))
    rows, errors = {}, {}
    with open(out, newline="") as f:
        for r in csv.DictReader(f):
            rows[r["id"]] = r
    if os.path.exists(err):
        with open(err, newline="") as f:
            for r in csv.DictReader(f):
                errors[r.get("id", "")] = r.get("reason", "") or r.get("rule", "")
    return rows, errors


def fmt(x):
    """A Decimal with its sign, exactly (a median can have a third decimal)."""
    return format(x, "+f") if x is not None else "-"


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


class Group:
    def __init__(self):
        self.n = self.changed = self.dagloon = self.other = self.to_error = self.from_error = 0
        self.both_error = 0
        self.diffs = []

    def line(self, name):
        if self.diffs:
            up = sum(1 for x in self.diffs if x > 0)
            size = "min %s  mediaan %s  max %s  (%d omhoog, %d omlaag)" % (
                fmt(min(self.diffs)), fmt(median(self.diffs)), fmt(max(self.diffs)),
                up, len(self.diffs) - up)
        else:
            size = "-"
        return ("  %-55s %6d  %6d  %6d  %5d  %5d  %5d   %s"
                % (name[:55], self.n, self.changed, self.dagloon, self.other, self.to_error,
                   self.from_error, size))


HEADER = ("  %-55s %6s  %6s  %6s  %5s  %5s  %5s   %s"
          % ("", "n", "anders", "dagln", "ander", "->fout", "fout->", "verschil dagloon (nieuw - oud, euro)"))


def measure(regeling, args, outdir):
    os.makedirs(outdir, exist_ok=True)
    population = os.path.join(outdir, "populatie.jsonl")
    with open(population, "w") as f:
        subprocess.run([sys.executable, GENERATOR, str(args.n), str(args.seed)]
                       + population_args(regeling, args), stdout=f, check=True)
    old_rows, old_err = run_build(args.old, args.old_bin, regeling, population, outdir, "oud",
                                  args.threads)
    new_rows, new_err = run_build(args.new, args.new_bin, regeling, population, outdir, "nieuw",
                                  args.threads)
    common = None
    if old_rows and new_rows:
        a, b = next(iter(old_rows.values())), next(iter(new_rows.values()))
        common = [c for c in a if c in b and c not in ("id", "dagloon")]

    total, primary, detail, matrix = Group(), {}, {}, {}
    column_changes = {}
    changes = []
    with open(population) as f:
        for line in f:
            d = json.loads(line)
            i = d["id"]
            first, feats, cells = features(regeling, d, args.horizon)
            oe, ne = i in old_err or i not in old_rows, i in new_err or i not in new_rows
            groups = [total, primary.setdefault(first, Group())] + \
                [detail.setdefault(x, Group()) for x in feats] + \
                [matrix.setdefault(c, Group()) for c in cells]
            diff, kind, cols = None, None, []
            if oe and ne:
                kind = "both_error"
            elif not oe and ne:
                kind = "to_error"
            elif oe and not ne:
                kind = "from_error"
            else:
                o, n = old_rows[i], new_rows[i]
                if o.get("dagloon") != n.get("dagloon"):
                    kind = "dagloon"
                    x, y = cents(o.get("dagloon")), cents(n.get("dagloon"))
                    diff = y - x if x is not None and y is not None else None
                cols = [c for c in common or [] if o.get(c) != n.get(c)]
                for c in cols:
                    column_changes[c] = column_changes.get(c, 0) + 1
                if kind is None and cols:
                    kind = "other"
            for g in groups:
                g.n += 1
                if kind == "both_error":
                    g.both_error += 1
                    continue
                if kind is None:
                    continue
                g.changed += 1
                if kind == "to_error":
                    g.to_error += 1
                elif kind == "from_error":
                    g.from_error += 1
                elif kind == "dagloon":
                    g.dagloon += 1
                    if diff is not None:
                        g.diffs.append(diff)
                else:
                    g.other += 1
            if kind is not None and kind != "both_error":
                changes.append([i, old_rows.get(i, {}).get("dagloon", ""),
                                new_rows.get(i, {}).get("dagloon", ""),
                                "" if diff is None else str(diff),
                                old_err.get(i, ""), new_err.get(i, ""), " ".join(cols),
                                "; ".join(feats + ["%s, recht %s" % c for c in cells])])
    with open(os.path.join(outdir, "verschillen.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "dagloon_oud", "dagloon_nieuw", "verschil", "fout_oud", "fout_nieuw",
                    "andere_kolommen", "kenmerken"])
        w.writerows(changes)

    print("== rules/%s: %d dossiers (gen_population.py %d %d %s)"
          % (regeling, total.n, args.n, args.seed, " ".join(population_args(regeling, args))))
    print("  foutregels: oud %d, nieuw %d (in beide: %d)"
          % (len(old_err), len(new_err), total.both_error))
    print("  veranderd: %d (dagloon %d, alleen een andere kolom %d, ok -> fout %d, fout -> ok %d)"
          % (total.changed, total.dagloon, total.other, total.to_error, total.from_error))
    if column_changes:
        print("  andere kolommen veranderd (dossiers zonder foutregel): " + ", ".join(
            "%s %d" % (c, k) for c, k in sorted(column_changes.items(), key=lambda x: -x[1])))
    reasons = {}
    for i, why in new_err.items():
        if i not in old_err:
            why = why.split(" in rule ")[0]
            reasons[why[:110]] = reasons.get(why[:110], 0) + 1
    for why, k in sorted(reasons.items(), key=lambda x: -x[1])[:8]:
        print("    nieuwe foutregel %5d x  %s" % (k, why))
    print(HEADER)
    print(total.line("alle dossiers"))
    order = lambda name: (name.startswith("-"), name)      # the defects 1-3 first
    print("  verklaard door (eerste kenmerk; de groepen tellen op tot het totaal):")
    for name in sorted(primary, key=order):
        print(primary[name].line(name))
    print("  kenmerken (een dossier kan er meer hebben):")
    for name in sorted(detail, key=order):
        print(detail[name].line(name))
    print("  tijdvakken met een omstandigheid (en loonloze maanden) naar de datum van het recht"
          " (veranderd/n):")
    names = [w for _, w in WINDOWS]
    print("  %-34s" % "" + "".join("%22s" % w for w in names))
    for o in sorted({c[0] for c in matrix}):
        print("  %-34s" % o + "".join(
            "%22s" % ("%d/%d" % (matrix[(o, w)].changed, matrix[(o, w)].n)
                      if (o, w) in matrix else "-") for w in names))
    print("  per dossier: %s" % os.path.join(outdir, "verschillen.csv"))
    print()


def main(argv):
    ap = argparse.ArgumentParser(prog="measure_change.sh",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("old", metavar="OLD_TREE")
    ap.add_argument("new", metavar="NEW_TREE")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regeling", action="append", choices=["wia", "ww", "zw"])
    ap.add_argument("--horizon", default="2026-12-31")
    ap.add_argument("--out", default=os.path.join("build", "meting"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gen-args", help="more options for gen_population.py, e.g. "
                    "'--rond-grenzen 300' (the later of a repeated option wins)")
    ap.add_argument("--old-bin", help="the old engine (default OLD_TREE/build/dagloon)")
    ap.add_argument("--new-bin", help="the new engine (default NEW_TREE/build/dagloon)")
    args = ap.parse_args(argv[1:])
    print("oud:   %s\nnieuw: %s\n" % (os.path.abspath(args.old), os.path.abspath(args.new)))
    for regeling in args.regeling or ["wia", "ww", "zw"]:
        measure(regeling, args, os.path.join(args.out, regeling))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
