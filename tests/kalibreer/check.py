#!/usr/bin/env python3
"""dagloon kalibreer (raking, issue 20 part 3), checked from outside.

1. A 2x2 table whose raking limit is known in closed form: cells of 2, 1, 1 and 1 dossiers with
   start weight 1, rows 60/40, columns 50/50. Raking keeps the cross ratio of the start table,
   w11*w22 / (w12*w21) = 2, so with w11 = a: a(a-10) = 2(60-a)(50-a), a^2 - 210a + 6000 = 0,
   a = (210 - sqrt(20100)) / 2 = 34.11276...: each cell-11 dossier a/2, the others 60-a, 50-a, a-10.
2. The errors: a target no dossier has, a dossier no target covers (an error row, the rest
   weighted), a missing field, a dossier that already has the weight, a line that is no JSON
   object, margins that disagree, no convergence, a bad targets file.
3. The shipped targets (rules/populatie/doelen_wia.csv) on a generated population: every total
   with a figure reached within the tolerance plus the rounding of the weights to 4 decimals,
   recomputed here from the weights written.
4. compare with the calibrated weights: its weighted totals recomputed with Fractions from two
   `dagloon run`s, and its "population" key naming the input, the targets and their sha256.

    python3 tests/kalibreer/check.py build/dagloon
"""
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal, getcontext, ROUND_HALF_UP
from fractions import Fraction

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dagloon"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TMP = tempfile.mkdtemp(prefix="kalibreer-")
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def kalibreer(pop, doel, *args):
    p = subprocess.run([BIN, "kalibreer", pop, "--doel", doel] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


HEADER = "dimensie,categorie,totaal,status,bron,toelichting\n"
POP = "".join(json.dumps(d) + "\n" for d in [
    {"id": "A1", "soort": "iva", "sector": "zorg"}, {"id": "A2", "soort": "iva", "sector": "zorg"},
    {"id": "B", "soort": "iva", "sector": "bouw"}, {"id": "C", "soort": "wga", "sector": "zorg"},
    {"id": "D", "soort": "wga", "sector": "bouw"}])
DOEL = HEADER + "soort,iva,60,stated,test,\nsoort,wga,40,stated,test,\nsector,zorg,50,derived,test,\n" \
                "sector,bouw,50,unverified,test,\nsector,horeca,,unverified,test,no figure: left out\n"

# 1. the closed form
pop, doel = write("pop.jsonl", POP), write("doel.csv", DOEL)
out = os.path.join(TMP, "out.jsonl")
rc, _, err = kalibreer(pop, doel, "-o", out, "--tolerantie", "0.000001")
getcontext().prec = 40
a = (Decimal(210) - Decimal(20100).sqrt()) / 2
want = {"A1": a / 2, "A2": a / 2, "B": 60 - a, "C": 50 - a, "D": a - 10}
want = {k: str(v.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)) for k, v in want.items()}
got = {d["id"]: d.get("gewicht") for d in lines(out)} if rc == 0 else {}
check("2x2 raking reaches the closed form a = (210 - sqrt 20100)/2 to 4 decimals", rc == 0 and got == want,
      "exit %d, got %s, want %s, %s" % (rc, got, want, err))
check("every other field is kept, in order", rc == 0 and [list(d)[:3] for d in lines(out)] == [["id", "soort", "sector"]] * 5)
side = json.load(open(out + ".herkomst.json")) if rc == 0 else {}
check("the sidecar names input, targets and their sha256",
      side.get("targets_sha256") == hashlib.sha256(open(doel, "rb").read()).hexdigest()
      and side.get("input_sha256") == hashlib.sha256(open(pop, "rb").read()).hexdigest()
      and side.get("output_sha256") == hashlib.sha256(open(out, "rb").read()).hexdigest(), str(side))

# 2. the errors
rc, _, err = kalibreer(pop, write("leeg.csv", DOEL.replace("sector,bouw,50", "sector,bouw,40") + "sector,horeca2,10,stated,test,\n"))
check("a category no dossier has: exit 2, named", rc == 2 and "horeca2" in err and "no dossier" in err, "%d %s" % (rc, err))
extra = POP + json.dumps({"id": "E", "soort": "wga", "sector": "horeca"}) + "\n" \
            + json.dumps({"id": "F", "soort": "wga"}) + "\n" \
            + json.dumps({"id": "G", "soort": "wga", "sector": "zorg", "gewicht": "3"}) + "\n" + "[1, 2]\n"
errs = os.path.join(TMP, "errors.csv")
rc, _, err = kalibreer(write("extra.jsonl", extra), doel, "-o", out, "--errors", errs)
rows = list(csv.DictReader(open(errs))) if os.path.exists(errs) else []
check("uncovered, missing, already weighted, not an object: error rows, exit 3, the rest weighted",
      rc == 3 and len(lines(out)) == 5 and [r["line"] for r in rows] == ["6", "7", "8", "9"]
      and "horeca" in rows[0]["reason"] and "no field 'sector'" in rows[1]["reason"] and "gewicht" in rows[2]["reason"],
      "%d %s %s" % (rc, rows, err))
rc, _, err = kalibreer(pop, write("scheef.csv", DOEL.replace("sector,bouw,50", "sector,bouw,40")))
check("margins that disagree: exit 2, each dimension's total",
      rc == 2 and "soort: 100.0000" in err and "sector: 90.0000" in err, "%d %s" % (rc, err))
gone = os.path.join(TMP, "niet.jsonl")
rc, _, err = kalibreer(pop, doel, "-o", gone, "--max-iteraties", "1", "--tolerantie", "0.000000001")
check("no convergence: exit 6, the largest gap, nothing written",
      rc == 6 and "largest gap" in err and not os.path.exists(gone), "%d %s" % (rc, err))
rc, _, err = kalibreer(pop, write("fout.csv", DOEL.replace("stated,test,\nsoort,wga", "verified,test,\nsoort,wga")))
check("a bad status in the targets: exit 2, file:line", rc == 2 and "fout.csv:2:" in err, "%d %s" % (rc, err))

# 3. the shipped targets on a generated population
gen = os.path.join(TMP, "gen.jsonl")
with open(gen, "w") as f:
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_population.py"), "1000", "1", "--uitkering", "1000"],
                   stdout=f, check=True)
shipped = os.path.join(ROOT, "rules", "populatie", "doelen_wia.csv")
out = os.path.join(TMP, "gen_w.jsonl")
verslag = os.path.join(TMP, "verslag.csv")
rc, _, err = kalibreer(gen, shipped, "-o", out, "--verslag", verslag)
sums, counts = {}, {}
for d in lines(out) if rc == 0 else []:
    k = d["wia_uitkering"]
    sums[k] = sums.get(k, 0) + Fraction(d["gewicht"])
    counts[k] = counts.get(k, 0) + 1
ok = rc == 0 and len(sums) == 2
for r in csv.DictReader(open(shipped)):
    if not r["totaal"] or not ok:
        continue
    got = sums.get(r["categorie"], 0)
    slack = Fraction(1, 1000) + counts.get(r["categorie"], 0) * Fraction(5, 100000)   # tolerance + rounding
    ok = ok and abs(got - Fraction(r["totaal"])) <= slack
rep = {(r["dimensie"], r["categorie"]): r for r in csv.DictReader(open(verslag))} if rc == 0 else {}
ok = ok and all(Fraction(rep[("wia_uitkering", k)]["bereikt"]) == v for k, v in sums.items())
check("the shipped targets reached on 1000 generated dossiers (tolerance + rounding), the report agrees", ok,
      "%d %s %s" % (rc, sums, err))

# 4. compare with the calibrated weights
rng, pop4 = 7, []
for i in range(60):
    rng = (rng * 1103515245 + 12345) % 2**31
    pop4.append({"id": "K%02d" % i, "soort": "iva" if rng % 5 == 0 else "wga",
                 "sector": ["zorg", "bouw", "onderwijs"][rng // 5 % 3], "inkomen": "%d.%02d" % (900 + rng % 3000, rng % 97)})
pop = write("pop4.jsonl", "".join(json.dumps(d) + "\n" for d in pop4))
doel = write("doel4.csv", HEADER + "soort,iva,1000,stated,test,\nsoort,wga,4000,stated,test,\n"
             "sector,zorg,2500,stated,test,\nsector,bouw,1500,stated,test,\nsector,onderwijs,1000,stated,test,\n")
out = os.path.join(TMP, "pop4_w.jsonl")
rc, _, err = kalibreer(pop, doel, "-o", out)
check("kalibreer for compare", rc == 0, err)
basis, voorstel = os.path.join(HERE, "basis"), os.path.join(HERE, "voorstel")


def run(rules):
    p = subprocess.run([BIN, "run", rules, out, "--format", "jsonl"], capture_output=True, text=True)
    return {d["id"]: Fraction(d["uitkering"]) for d in (json.loads(x) for x in p.stdout.splitlines())}


weights = {d["id"]: Fraction(d["gewicht"]) for d in lines(out)}
b, p = run(basis), run(voorstel)
W = sum(weights.values())
bt = sum(weights[k] * b[k] for k in weights)
pt = sum(weights[k] * p[k] for k in weights)


def shown(x):
    """compare's notation: exact when whole cents, else ~ and rounded half away to cents."""
    if (x * 100).denominator == 1:
        return x
    c = x * 100
    return "~", Fraction(int(c + Fraction(1, 2)) if c >= 0 else -int(-c + Fraction(1, 2)), 100)


def read(s):
    return ("~", Fraction(s[1:])) if s.startswith("~") else Fraction(s)


summary = os.path.join(TMP, "s.json")
pr = subprocess.run([BIN, "compare", basis, voorstel, out, "--weight", "gewicht", "--value", "uitkering", "--summary", summary],
                    capture_output=True, text=True)
s = json.load(open(summary)) if pr.returncode == 0 else {}
al = s.get("all", {})
check("compare's weighted totals = Fractions over two runs",
      pr.returncode == 0 and read(al["weight"]) == shown(W) and read(al["base_total"]) == shown(bt)
      and read(al["proposal_total"]) == shown(pt) and read(al["total_change"]) == shown(pt - bt),
      "%s / W %s base %s prop %s" % (al, W, bt, pt))
pop_key = s.get("population", {})
cal = pop_key.get("calibration") or {}
check("compare's population: input, sha256, weights from kalibreer, the targets and their sha256",
      pop_key.get("sha256") == hashlib.sha256(open(out, "rb").read()).hexdigest() and pop_key.get("weights") == "kalibreer"
      and cal.get("targets") == doel and cal.get("targets_sha256") == hashlib.sha256(open(doel, "rb").read()).hexdigest()
      and cal.get("input_sha256") == hashlib.sha256(open(pop, "rb").read()).hexdigest(), str(pop_key))
with open(out, "a") as f:
    f.write("\n")   # the file no longer is what the sidecar describes
pr = subprocess.run([BIN, "compare", basis, voorstel, out, "--weight", "gewicht", "--value", "uitkering", "--summary", summary],
                    capture_output=True, text=True)
pop_key = json.load(open(summary)).get("population", {})
check("a sidecar of other bytes is not used, and said so",
      pop_key.get("weights") == "field" and pop_key.get("calibration") is None and pop_key.get("calibration_stale") is True,
      str(pop_key))

good_side = json.load(open(out + ".herkomst.json"))
with open(out + ".herkomst.json", "w") as f:
    f.write("not json")
pr = subprocess.run([BIN, "compare", basis, voorstel, out, "--weight", "gewicht", "--value", "uitkering", "--summary", summary],
                    capture_output=True, text=True)
pop_key = json.load(open(summary)).get("population", {}) if pr.returncode == 0 else {}
check("a sidecar that is no JSON object is not used, and said so",
      pop_key.get("calibration") is None and pop_key.get("calibration_stale") is True, pr.stderr + str(pop_key))
# a pipe is not read again to hash it (that would block): no sha256
pr = subprocess.run(["sh", "-c", 'cat "$4" | "$0" compare "$1" "$2" - --weight gewicht --value uitkering --summary "$3"',
                     BIN, basis, voorstel, summary, out], capture_output=True, text=True, timeout=60)
pop_key = json.load(open(summary)).get("population", {}) if pr.returncode == 0 else {}
check("standard input: population without sha256", pop_key.get("input") == "-" and pop_key.get("sha256") is None,
      pr.stderr + str(pop_key))
# the sidecar is data from elsewhere: its text reaches the HTML report escaped (docs/SECURITY.md)
side = good_side
side["output_sha256"] = hashlib.sha256(open(out, "rb").read()).hexdigest()
side["targets"] = "<script>alert(1)</script>"
json.dump(side, open(out + ".herkomst.json", "w"))
html = os.path.join(TMP, "r.html")
pr = subprocess.run([BIN, "compare", basis, voorstel, out, "--weight", "gewicht", "--value", "uitkering", "--html", html,
                     "--summary", summary], capture_output=True, text=True)
page = open(html, encoding="utf-8").read() if pr.returncode == 0 else ""
check("the HTML report's population paragraph escapes the sidecar's text",
      'id="populatie"' in page and "<script>alert" not in page and "&lt;script&gt;alert(1)" in page, pr.stderr)

print("kalibreer: %d failures" % failures)
sys.exit(1 if failures else 0)
