#!/usr/bin/env python3
"""The population summary of `dagloon run --summary`, computed independently.

Generates a small repair population (tools/gen_herstel.py N 7: the three herstelacties, some error
rows on purpose) and adds three dossiers that cannot be read; runs `dagloon run rules/herstel` once
for its rows and error rows, and computes from those two files -- with Python's integers and exact
fractions, nothing shared with the engine's code -- what the summary with --by herstelactie must say:
dossiers per keuze value, overall and per herstelactie (herstelactie x richting among them); for
every geld and geheel column the count, how many are not zero, the exact total, the nearest-rank
minimum, quartiles, median and maximum, the mean; the ten largest cases per geld column; the error
rows by reason. Then checks every figure of the JSON summary, every line of the CSV summary, that
the summary is the same on one thread and on two, the usage errors of --by, and renders the report
page (--html) in headless Chromium: a screenshot of the window's size that is not a blank page, and
the page's text holding the totals in Dutch notation.

    python3 tests/summary/check.py build/dagloon [OUTDIR] [N]
"""
import csv
import json
import re
import os
import shutil
import struct
import subprocess
import sys
from fractions import Fraction

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dagloon")
OUT = os.path.abspath(os.path.join(sys.argv[2] if len(sys.argv) > 2 else "build", "summary"))
N = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The output columns of rules/herstel the summary must read, and their types (uitvoer.rules,
# herstel.rules): any other geld, geheel or keuze column a later rule set adds is checked by the
# type the summary gives it, with the same computation.
KNOWN = {"herstelactie": "keuze", "soort": "keuze", "richting": "keuze", "maanden_in_herstel": "geheel",
         "juiste_uitkering": "geld", "betaalde_uitkering": "geld", "eenmalige_vergoeding": "geld",
         "te_veel_betaald_niet_teruggevorderd": "geld"}
NOT_SUMMARISED = {"id", "herstelperiode", "correctie_vanaf"}   # text, periode, datum

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def cents(text):
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def money(c):
    return "%s%d.%02d" % ("-" if c < 0 else "", abs(c) // 100, abs(c) % 100)


def mean_text(x):
    """Two decimals when exact to the cent, else '~' and rounded half away from zero."""
    h = x * 100
    if h.denominator == 1:
        return money(int(h))
    r = int(abs(h) + Fraction(1, 2)) * (1 if h >= 0 else -1)
    return "~" + money(r)


def run(args, **kw):
    return subprocess.run([BIN] + args, capture_output=True, text=True, **kw)


def stats(values, kind):
    fmt = money if kind == "geld" else str
    m = len(values)
    s = sorted(values)
    o = {"dossiers": m, "nonzero": sum(1 for v in values if v != 0), "total": fmt(sum(values))}
    for key, p in (("min", 0), ("p25", 25), ("median", 50), ("p75", 75), ("max", 100)):
        rank = (p * m + 99) // 100
        o[key] = fmt(s[max(rank, 1) - 1]) if m else None
    total = Fraction(sum(values), 100 if kind == "geld" else 1)
    o["mean"] = mean_text(total / m) if m else None
    return o


def expected(rows, header, types, members, errors, by):
    """The summary as the JSON has it, from the rows and error rows."""
    def scope(rs, skip=None):
        o = {"dossiers": len(rs), "choices": {}, "numbers": {}}
        for c in header:
            if c not in types or c == skip:
                continue
            if types[c] == "keuze":
                o["choices"][c] = {v: sum(1 for r in rs if r[c] == v) for v in members[c]}
            else:
                conv = cents if types[c] == "geld" else int
                o["numbers"][c] = stats([conv(r[c]) for r in rs], types[c])
        return o

    e = {"all": scope(rows)}
    kinds = ["invoer" if err["rule"] == "" else "berekening" for err in errors]
    e["all"].update({"records": len(rows) + len(errors), "errors": len(errors),
                     "input_errors": kinds.count("invoer"), "computation_errors": kinds.count("berekening")})
    e["groups"] = []
    for g in members[by]:
        sc = scope([r for r in rows if r[by] == g], skip=by)
        sc["group"] = g
        e["groups"].append(sc)
    e["largest"] = {}
    for c in header:
        if types.get(c) == "geld":
            order = sorted(range(len(rows)), key=lambda i: (-cents(rows[i][c]), i))
            e["largest"][c] = [{"id": rows[i]["id"], "value": rows[i][c]}
                               for i in order[:10] if cents(rows[i][c]) > 0]
    count = {}
    for err, k in zip(errors, kinds):
        count[(k, err["reason"])] = count.get((k, err["reason"]), 0) + 1
    e["errors_by_reason"] = [{"kind": k, "reason": r, "dossiers": n}
                             for (k, r), n in sorted(count.items(), key=lambda t: (-t[1], t[0][0] != "invoer", t[0][1]))]
    return e


def csv_lines(e):
    """The CSV summary's lines (section, group, column, key, value) from the expected summary."""
    out = [["all", "", "", k, str(e["all"][k])] for k in ("records", "errors", "input_errors", "computation_errors")]

    def sc(s, g):
        out.append(["dossiers", g, "", "dossiers", str(s["dossiers"])])
        for c, vals in s["choices"].items():
            out.extend(["choice", g, c, v, str(n)] for v, n in vals.items())
        for c, st in s["numbers"].items():
            for k in ("dossiers", "nonzero", "total", "min", "p25", "median", "p75", "max", "mean"):
                out.append(["number", g, c, k, "" if st[k] is None else str(st[k])])
    sc(e["all"], "")
    for g in e["groups"]:
        sc(g, g["group"])
    for c, top in e["largest"].items():
        out.extend(["largest", "", c, t["id"], t["value"]] for t in top)
    out.extend(["error", "", r["kind"], r["reason"], str(r["dossiers"])] for r in e["errors_by_reason"])
    return out


def dutch(text, euro):
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    s = ("-" if neg else "") + ".".join(groups) + ("," + frac if frac else "")
    return ("\u20ac " if euro else "") + s


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def generator():
    """tools/gen_herstel.py: the same bytes twice; every action's eerste rechtdag in its period but for
    the error rows; with --wia-veld the nested dossiers are rules/wia dossiers that run without error."""
    gen = [sys.executable, os.path.join(ROOT, "tools", "gen_herstel.py")]
    a = subprocess.run(gen + ["500", "3"], capture_output=True, check=True).stdout
    b = subprocess.run(gen + ["500", "3"], capture_output=True, check=True).stdout
    check(a == b, "gen_herstel.py is not deterministic")
    periods = {"dagloonfout": ("2020-01-01", "2024-12-31"), "loonloze_tijdvakken": ("2015-07-01", "2024-12-31"),
               "indexatie": ("2006-07-01", "2022-12-31")}
    ds = [json.loads(line) for line in a.decode().splitlines()]
    inside = sum(1 for d in ds
                 if periods[d["herstelactie"]][0] <= d["dossier"]["eerste_rechtdag"] <= periods[d["herstelactie"]][1])
    check(inside >= 490, "gen_herstel.py: only %d of 500 eerste rechtdagen inside their action's period" % inside)
    nested = subprocess.run(gen + ["200", "3", "--wia-veld", "dossier"], capture_output=True, check=True).stdout
    wia = os.path.join(OUT, "wia.jsonl")
    with open(wia, "w") as f:
        for line in nested.decode().splitlines():
            d = json.loads(line)
            check("juiste_dagloon" not in d, "--wia-veld leaves juiste_dagloon out")
            f.write(json.dumps(d["dossier"]) + "\n")
    r = run(["run", "rules/wia", wia, "-o", os.devnull], cwd=ROOT)
    check(r.returncode == 0, "the nested WIA dossiers of gen_herstel.py --wia-veld on rules/wia: exit %d: %s" %
          (r.returncode, r.stderr[-500:]))


def main():
    os.makedirs(OUT, exist_ok=True)
    pop = os.path.join(OUT, "herstel.jsonl")
    with open(pop, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_herstel.py"), str(N), "7"], stdout=f, check=True)
        # three dossiers that cannot be read: an unknown herstelactie (twice) and a date that is none,
        # each otherwise a dossier of rules/herstel (a small nested WIA dossier)
        wia = {"id": "W", "eerste_ao_dag": "2019-01-07", "eerste_rechtdag": "2021-01-04", "aangiftetijdvak": "maand",
               "dienstbetrekkingen": [], "loon": [], "afwijkende_tijdvakken": []}
        def bad(id_, actie, rekendatum="2026-01-01"):
            return json.dumps({"id": id_, "rekendatum": rekendatum, "herstelactie": actie, "soort": "iva",
                               "dossier": wia, "einde_recht": "2022-01-01", "vastgestelde_dagloon": "100.00",
                               "betaald": [], "inkomen": []}) + "\n"
        f.write(bad("X1", "onbekend"))
        # (its value is markup, echoed in the reason: the page must show it as text)
        f.write(bad("X2", "<img src=x onerror=alert(1)>"))
        f.write(bad("X3", "indexatie", "2026-13-01"))
    rows_f, errs_f = os.path.join(OUT, "rows.csv"), os.path.join(OUT, "fouten.csv")
    r = run(["run", "rules/herstel", pop, "-o", rows_f, "--errors", errs_f], cwd=ROOT)
    check(r.returncode == 3, "the plain run: exit 3 (error rows), got %d: %s" % (r.returncode, r.stderr))
    with open(rows_f, newline="") as f:
        rd = csv.DictReader(f)
        header, rows = rd.fieldnames, list(rd)
    with open(errs_f, newline="") as f:
        errors = list(csv.DictReader(f))
    check(len(rows) + len(errors) == N + 3, "rows and error rows: %d + %d, not %d" % (len(rows), len(errors), N + 3))

    summaries = {}
    for threads in ("1", "2"):
        for ext in ("json", "csv", "txt"):
            path = os.path.join(OUT, "summary-%s.%s" % (threads, ext))
            extra = ["--html", os.path.join(OUT, "rapport.html")] if ext == "json" and threads == "1" else []
            r = run(["run", "rules/herstel", pop, "-o", os.devnull, "--errors", os.devnull, "--threads", threads,
                     "--summary", path, "--by", "herstelactie"] + extra, cwd=ROOT)
            check(r.returncode == 3, "run --summary %s --threads %s: exit %d: %s" % (ext, threads, r.returncode, r.stderr))
            with open(path, "rb") as f:
                summaries[(threads, ext)] = f.read()
    for ext in ("json", "csv", "txt"):
        check(summaries[("1", ext)] == summaries[("2", ext)], "the %s summary differs between 1 and 2 threads" % ext)

    got = json.loads(summaries[("1", "json")])
    types = {c["name"]: c["type"] for c in got["columns"]}
    for name, t in KNOWN.items():
        check(types.get(name) == t, "column %s: summarised as %s, not %s" % (name, types.get(name), t))
    for name in NOT_SUMMARISED:
        check(name not in types, "column %s is summarised" % name)
    members = {}
    for c, t in types.items():
        if t == "keuze":
            members[c] = list(got["all"]["choices"][c].keys())
            seen = {r[c] for r in rows}
            check(seen <= set(members[c]), "column %s has values %s the summary does not list" % (c, seen - set(members[c])))
    check(members.get("herstelactie") == ["dagloonfout", "loonloze_tijdvakken", "indexatie"],
          "the groups are the three herstelacties in their order: %s" % members.get("herstelactie"))
    want = expected(rows, header, types, members, errors, "herstelactie")
    for key in ("all", "groups", "largest", "errors_by_reason"):
        if got.get(key) != want[key]:
            failures.append("summary '%s' differs:\n  engine: %s\n  python: %s" % (
                key, json.dumps(got.get(key))[:1500], json.dumps(want[key])[:1500]))
    check(got["by"] == "herstelactie" and got["schema"] == "dagloon-run-summary/1", "schema and by")
    # the herstelactie x richting counts and the repair's totals are there for the report to read
    acts = {g["group"]: g for g in got["groups"]}
    check(all(sum(acts[a]["choices"]["richting"].values()) == acts[a]["dossiers"] for a in acts),
          "per herstelactie the richting counts add up to its dossiers")
    check(want["all"]["input_errors"] == 3 and want["all"]["computation_errors"] > 0,
          "the population has input and computation error rows")
    got_csv = list(csv.reader(summaries[("1", "csv")].decode().splitlines()))
    check(got_csv[0] == ["section", "group", "column", "key", "value"], "the CSV summary's header")
    if got_csv[1:] != csv_lines(want):
        failures.append("the CSV summary differs from the independent computation")
    txt = summaries[("1", "txt")].decode()
    check("all: %d dossiers = %d computed + %d met een fout" % (N + 3, len(rows), len(errors)) in txt, "the text summary's count line")

    # usage errors: --by on a column that is no keuze, --by without a summary
    r = run(["run", "rules/herstel", pop, "-o", os.devnull, "--summary", os.devnull, "--by", "eenmalige_vergoeding"], cwd=ROOT)
    check(r.returncode == 2 and "--by must name a keuze or waarheid output column" in r.stderr, "--by on a geld column is refused")
    r = run(["run", "rules/herstel", pop, "-o", os.devnull, "--by", "richting"], cwd=ROOT)
    check(r.returncode == 2 and "--by groups the summary" in r.stderr, "--by without --summary or --html is refused")

    # the report page in headless Chromium
    chromium = shutil.which("chromium")
    check(chromium is not None, "chromium is installed (make test installs it)")
    if chromium:
        html = os.path.join(OUT, "rapport.html")
        png = os.path.join(OUT, "rapport.png")
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--user-data-dir=" + os.path.join(OUT, "profile")]
        if os.path.exists(png):
            os.remove(png)
        subprocess.run(common + ["--window-size=1100,2400", "--screenshot=" + png, "file://" + html],
                       capture_output=True, timeout=120)
        size = png_size(png) if os.path.exists(png) else None
        check(size == (1100, 2400), "the report's screenshot is 1100 x 2400: %s" % (size,))
        # a blank page of that size compresses to a few kB; the report's tables and charts do not
        check(size is not None and os.path.getsize(png) > 40000, "the report's screenshot is not a blank page")
        dom = subprocess.run(common + ["--dump-dom", "file://" + html], capture_output=True, text=True, timeout=120).stdout
        wants = ["Overzicht van de uitkomsten", "ingedeeld naar <b>herstelactie</b>", "<svg",
                 "met een fout<b>%s</b>" % dutch(str(len(errors)), False),
                 "totaal eenmalige_vergoeding<b>%s</b>" % dutch(want["all"]["numbers"]["eenmalige_vergoeding"]["total"], True),
                 "totaal te_veel_betaald_niet_teruggevorderd<b>%s</b>" %
                 dutch(want["all"]["numbers"]["te_veel_betaald_niet_teruggevorderd"]["total"], True)]
        top = want["largest"]["eenmalige_vergoeding"][0]
        wants.append("%s</td><td class=\"getal\">%s" % (top["id"], dutch(top["value"], True)))
        # the labels the rules declare stand for the names (the name as a tooltip): a choice value's
        # and a column's, read from the rule files, not from the engine
        herstel = open(os.path.join(ROOT, "rules", "herstel", "herstel.rules"), encoding="utf-8").read()
        te_laag = re.search(r'te_laag label "([^"]+)"', herstel).group(1)
        wants.append('<span class="label" title="te_laag">%s</span>' % te_laag)
        check('<th>te_laag</th>' not in dom, "the report shows the raw choice te_laag as a heading")
        for w in wants:
            check(w in dom, "the rendered report lacks: %s" % w)
        check("&lt;img src=x onerror=alert(1)&gt;" in dom and "<img" not in dom,
              "an input's markup in an error reason is text on the page, not an element")

    generator()
    for f in failures:
        print("FAIL summary: " + f)
    if not failures:
        print("run --summary: %d dossiers (%d error rows) summarised by herstelactie, checked against an "
              "independent computation, JSON, CSV, 1 and 2 threads, the page in Chromium: ok" % (N + 3, len(errors)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
