#!/usr/bin/python3
"""The impact report of each example proposal in euros, rendered in headless Chromium (issue 20).

For every rules/voorstellen/*/in_euros (the proposal on rules/wia_uitkering, which declares the
benefit paid with its duration and what follows), over a generated population with the benefit's
facts: `dagloon compare rules/wia_uitkering P POP --value uitkering_derde_maand --jaren 5 --html`,
rendered by Chromium (--dump-dom, --screenshot). The rendered page must show:
- the cost per year with its formula: the change, both sides per year, as an independent computation
  from two `dagloon run` passes says (per dossier: the monthly benefit x 12, summed in Fractions);
- the cohort over 5 years, a row per year, each side with its own duration, then what follows
  (check.py's paid_in_year, written apart from tools/compare_budget.c);
- the winners and losers in five bands for all dossiers and per decile (check.py's bands());
- the histogram with both axes labelled, and the rule set's labels, not identifiers, for the benefit,
  its duration and what follows;
- every number in Dutch notation; a screenshot with the charts' colours drawn.

    /usr/bin/python3 tests/compare/voorstellen_rapport.py build/dagloon
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402  (run(), cents(), money_amount(), bands(), paid_in_year())
import rapport  # noqa: E402  (the rendered page's parser, nl(), band_cells(), deciles(), CHROMIUM)

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dagloon"
check.BIN = BIN
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BASE = os.path.join(ROOT, "rules", "wia_uitkering")
YEARS = 5
N = 600
LABELS = {"uitkering_derde_maand": "de uitkering per maand (de derde maand)",
          "duur_loongerelateerd": "de duur van de loongerelateerde uitkering in maanden",
          "uitkering_na_loongerelateerd_volle_maand": "de uitkering per maand na de loongerelateerde uitkering"}


def expected(base, prop):
    """The cost per year and the cohort, from the two sides' rows (unit weights)."""
    both = [(base[i], prop[i]) for i in base if i in prop]
    yb = sum(Fraction(check.cents(b["uitkering_derde_maand"]) * 12, 100) for b, _ in both)
    yp = sum(Fraction(check.cents(p["uitkering_derde_maand"]) * 12, 100) for _, p in both)
    years = []
    for y in range(1, YEARS + 1):
        side = [sum(Fraction(check.paid_in_year(check.cents(r["uitkering_derde_maand"]), int(r["duur_loongerelateerd"]),
                                                check.cents(r["uitkering_na_loongerelateerd_volle_maand"]), y), 100)
                    for r in rows) for rows in ([b for b, _ in both], [p for _, p in both])]
        years.append(side)
    return both, yb, yp, years


def check_proposal(name, prop_dir, inp, tmp, fails):
    work = os.path.join(tmp, name)
    os.makedirs(work)
    base = check.run(BASE, inp, work)
    prop = check.run(prop_dir, inp, work)   # (in_euros.csv beside wia_uitkering.csv)
    html, summ = os.path.join(work, "rapport.html"), os.path.join(work, "samenvatting.json")
    subprocess.run([BIN, "compare", BASE, prop_dir, inp, "--value", "uitkering_derde_maand", "--jaren", str(YEARS),
                    "--html", html, "--summary", summ], stderr=subprocess.DEVNULL)
    both, yb, yp, years = expected(base, prop)
    if len(both) < N * 9 // 10:
        fails.append("%s: only %d of %d dossiers compared (the test would test less)" % (name, len(both), N))

    prof = os.path.join(work, "profile")
    dom = subprocess.run(rapport.CHROMIUM + ["--user-data-dir=" + prof, "--dump-dom", "file://" + html],
                         capture_output=True, text=True, timeout=120).stdout
    png = os.path.join(work, "rapport.png")
    subprocess.run(rapport.CHROMIUM + ["--user-data-dir=" + prof, "--window-size=1100,3000", "--screenshot=" + png,
                                       "file://" + html], capture_output=True, timeout=120)
    page = rapport.Page()
    page.feed(dom)
    for sec in ("kern", "kosten", "verdeling", "winnaars", "decielen", "grootste", "wijzigingen"):
        if sec not in page.ids:
            fails.append("%s: the rendered report has no section '%s'" % (name, sec))

    # the cost per year and its formula
    text = " ".join(" ".join(page.plain).split())
    whole = " ".join(" ".join(page.shown).split())
    for label, value in (("verschil per jaar", yp - yb), ("huidig per jaar", yb), ("voorstel per jaar", yp)):
        want = "%s %s" % (label, rapport.nl(check.money_amount(value), True))
        if want not in text:
            fails.append("%s: the page does not say %r" % (name, want))
    if "uitkering per maand x 12" not in dom:
        fails.append("%s: the formula 'uitkering per maand x 12' is not on the page" % name)
    # the cohort, a row per year
    table = next((t for t in page.tables.get("kosten", []) if t and t[0][:1] == ["jaar"]), [])
    want_rows = [[str(y), rapport.nl(check.money_amount(b), True), rapport.nl(check.money_amount(p), True),
                  rapport.nl(check.money_amount(p - b), True)] for y, (b, p) in enumerate(years, 1)]
    if table[1:] != want_rows:
        fails.append("%s: the cohort's rows %s, expected %s" % (name, table[1:], want_rows))
    # the five bands: all dossiers and each decile of the base benefit
    items = [{"id": b["id"], "d": check.cents(p["uitkering_derde_maand"]) - check.cents(b["uitkering_derde_maand"]),
              "b": check.cents(b["uitkering_derde_maand"]), "w": 1} for b, p in both]
    winners = (page.tables.get("winnaars") or [[]])[0]
    if len(winners) < 2 or winners[1][3:8] != rapport.band_cells(items):
        fails.append("%s: the bands of all dossiers %s, expected %s" % (name, winners[1:2], rapport.band_cells(items)))
    dec = (page.tables.get("decielen") or [[]])[0][1:]
    parts = rapport.deciles(items, "b", len(items))
    if len(dec) != 10 or any(row[3:8] != rapport.band_cells(part) for row, part in zip(dec, parts)):
        fails.append("%s: the deciles' bands on the page differ from the computation" % name)
    # the histogram's axes, the labels
    if not re.search(r"verschil.*€", " ".join(page.plain)) or "aantal" not in " ".join(page.plain).lower():
        fails.append("%s: the histogram's axes are not labelled (change in €, number)" % name)
    for ident, label in LABELS.items():
        if label not in whole:
            fails.append("%s: the page lacks the label %r" % (name, label))
        if re.search(r"(?<![\w-])%s(?![\w-])" % ident, whole):
            fails.append("%s: the page shows the identifier %r where the rule set gives a label" % (name, ident))
    for bad in re.findall(r"(?<![\d.,])\d{4,}(?![\d])|\d\.\d{1,2}(?!\d)|\d+\.\d{4,}", re.sub(r"G\d{6}", "", text))[:5]:
        fails.append("%s: a number not in Dutch notation on the page: %r" % (name, bad))
    try:
        from PIL import Image
        seen = {c: n for n, c in (Image.open(png).convert("RGB").getcolors(1 << 20) or [])}
        if sum(seen.get(rgb, 0) for rgb in ((0x1b, 0x5e, 0x20), (0xa5, 0xd6, 0xa7), (0xef, 0x9a, 0x9a),
                                           (0xb7, 0x1c, 0x1c))) < 500:
            fails.append("%s: the screenshot lacks the charts' colours" % name)
    except (OSError, ImportError) as e:
        fails.append("%s: the screenshot cannot be read: %s" % (name, e))
    print("compare: %s in euros, %d dossiers: change per year %s, cohort %d years %s (recomputed)"
          % (name, len(both), check.money_amount(yp - yb), YEARS,
             check.money_amount(sum(p - b for b, p in years))))


def main():
    fails = []
    props = sorted(glob.glob(os.path.join(ROOT, "rules", "voorstellen", "*", "in_euros")))
    if len(props) < 3:
        fails.append("expected the three example proposals in euros, found %d" % len(props))
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "pop.jsonl")
        with open(inp, "w") as f:
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "gen_population.py"), str(N), "3",
                            "--uitkering", "1000"], stdout=f, check=True)
        for p in props:
            check_proposal(os.path.basename(os.path.dirname(p)), p, inp, tmp, fails)
    for f in fails[:20]:
        print("FAIL voorstellen_rapport:", f)
    print("compare: the example proposals' reports rendered in Chromium: %s"
          % ("ok" if not fails else "%d failures" % len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
