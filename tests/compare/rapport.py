#!/usr/bin/python3
"""The impact report of `dagloon compare --html`, rendered in headless Chromium (issue 20 part 2).

A proposal with groups (a keuze with labels), deciles of another column than the compared one,
weights and a declared benefit: tests/compare/basis and voorstel, copied with 'uitkering ... per
maand' (check.py's budget_copy), over check.py's generated population of 1,200 dossiers. Chromium
renders the page (--dump-dom, --screenshot) and the rendered page must have:
- its sections: key figures, cost per year, histogram, winners and losers, deciles, groups, the
  largest changes, what the proposal changes, the explanations;
- the five bands per decile and per group as an independent computation says (the two rule sets
  run apart with `dagloon run`, then Fractions; check.py's band() and amount()), in the JSON summary
  and in the rendered tables, written in Dutch notation by this test's own nl();
- no raw identifier where the rule set gives a label (sector values, the --by field, the changed
  rule) outside tooltips and the embedded explanation text;
- Dutch notation for every number of the text (no 1234, no 12.34), the explanation text aside
  (it is `compare --id`'s text, quoted as is);
- each listed id a link to its explanation on the page; an id with markup shown as text there;
- a screenshot that is not blank: the band charts' colours are there.

    /usr/bin/python3 tests/compare/rapport.py build/dagloon
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402  (the population, run(), amount(), band())

_spec = importlib.util.spec_from_file_location(
    "summary_check", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "summary", "check.py"))
summary_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(summary_check)   # (its figures run only under __main__)

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dagloon"
check.BIN = BIN
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def nl(s, money=False):
    """A summary number in Dutch notation, written apart from the engine: '~1234.5' -> '≈ 1.234,5'
    (tests/summary/check.py's dutch(), with the engine's '~' for a rounded figure)."""
    return ("≈ " if s.startswith("~") else "") + summary_check.dutch(s.lstrip("~"), money)


class Page(HTMLParser):
    """The rendered page: the tables per section (rows of cell texts), the text outside tooltips,
    <pre> and <code> (for the label check), all text but <pre> and <code> (for the notation check),
    the links and the element ids."""

    def __init__(self):
        super().__init__()
        self.section, self.tables, self.stack = None, {}, []
        self.plain, self.shown, self.links, self.ids = [], [], [], set()
        self.row, self.cell = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("br", "meta", "link", "rect", "line", "img"):
            self.stack.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self.section = a.get("id")
        elif tag == "table":
            self.tables.setdefault(self.section, []).append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if tag in ("td", "th") and self.row is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section][-1].append(self.row)
            self.row = None

    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
        if any(t in ("style", "script", "pre", "code", "head") for t in self.stack):
            return
        self.plain.append(d)
        if "title" not in self.stack:
            self.shown.append(d)


def deciles(items, key, W):
    """The dossiers in tenths of the weight by `key` (as compare's deciles; check.py does the same)."""
    by = sorted(items, key=lambda i: i[key])
    out, start, cum = [], 0, 0
    for d in range(1, 11):
        end = start
        while end < len(by) and (d == 10 or Fraction(10 * cum, W) < d):
            cum += by[end]["w"]
            end += 1
        out.append(by[start:end])
        start = end
    return out


def band_cells(part):
    """The five band cells of a table row, as the page must write them."""
    t = check.bands(part, sum(i["w"] for i in part))
    return [("%s %% (%s)" % (nl(t[k]["share_pct"]), nl(str(t[k]["dossiers"])))) if t[k]["share_pct"] is not None
            else "(%s)" % nl(str(t[k]["dossiers"])) for k in check.BANDS]


def main():
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        pop = check.population(1200, 7)   # over 1,000: the counts need their thousands dot
        inp = os.path.join(tmp, "pop.jsonl")
        with open(inp, "w") as f:
            f.writelines(json.dumps(d) + "\n" for d in pop)
        root = check.budget_copy(tmp, "maand")
        base = check.run(os.path.join(root, "basis"), inp, tmp, ["--allow-path", check.TABLES])
        prop = check.run(os.path.join(root, "voorstel"), inp, tmp, ["--allow-path", check.TABLES])
        html, summ = os.path.join(tmp, "rapport.html"), os.path.join(tmp, "rapport.json")
        args = [BIN, "compare", os.path.join(root, "basis"), os.path.join(root, "voorstel"), inp, "--by", "sector",
                "--weight", "gewicht", "--value", "dagloon", "--deciles", "loon_in_referteperiode",
                "--allow-path", check.TABLES]
        subprocess.run(args + ["--summary", summ], stderr=subprocess.DEVNULL)
        subprocess.run(args + ["--html", html, "--summary", os.path.join(tmp, "r.txt")], stderr=subprocess.DEVNULL)
        got = json.load(open(summ)) if os.path.exists(summ) else {}

        items = []
        for d in pop:
            b, p = base.get(d["id"]), prop.get(d["id"])
            if b is not None and p is not None:
                items.append({"id": d["id"], "d": check.cents(p["dagloon"]) - check.cents(b["dagloon"]),
                              "b": check.cents(b["dagloon"]), "k": check.cents(b["loon_in_referteperiode"]),
                              "w": d["gewicht"], "g": d["sector"]})
        W = sum(i["w"] for i in items)
        parts = deciles(items, "k", W)
        for n, (part, dj) in enumerate(zip(parts, got.get("deciles", [{}] * 10)), 1):
            want = check.bands(part, sum(i["w"] for i in part))
            if dj.get("bands") != want:
                fails.append("decile %d bands in the summary: %s, expected %s" % (n, dj.get("bands"), want))
        if not any(band := [check.band(i["d"], i["b"]) for i in items]) or len(set(band)) < 4:
            fails.append("the population should fill at least four bands (the test would test less)")

        # the rendered page
        prof = os.path.join(tmp, "profile")
        dom = subprocess.run(CHROMIUM + ["--user-data-dir=" + prof, "--dump-dom", "file://" + html],
                             capture_output=True, text=True, timeout=120).stdout
        png = os.path.join(tmp, "rapport.png")
        subprocess.run(CHROMIUM + ["--user-data-dir=" + prof, "--window-size=1100,3000", "--screenshot=" + png,
                                   "file://" + html], capture_output=True, timeout=120)
        page = Page()
        page.feed(dom)
        for sec in ("kern", "kosten", "verdeling", "winnaars", "decielen", "groepen", "grootste", "wijzigingen",
                    "uitleg"):
            if sec not in page.ids:
                fails.append("the rendered report has no section '%s'" % sec)

        # the deciles' table: per row the five bands, as computed here
        table = (page.tables.get("decielen") or [[]])[0]
        rows = table[1:]
        if len(rows) != 10:
            fails.append("the deciles' table has %d rows, expected 10" % len(rows))
        for n, (row, part) in enumerate(zip(rows, parts), 1):
            want = band_cells(part)
            if row[3:8] != want:
                fails.append("decile %d on the page: %s, expected %s" % (n, row[3:8], want))
            first = "%d: %s – %s" % (n, nl(check.money(min(i["k"] for i in part)), True),
                                     nl(check.money(max(i["k"] for i in part)), True))
            if row[0] != first:
                fails.append("decile %d is labelled %r, expected %r" % (n, row[0], first))
        # all dossiers: more than 1,000, so the count needs its thousands dot
        table = (page.tables.get("winnaars") or [[]])[0]
        want = ["alle dossiers", nl(str(len(items))), nl(str(W))] + band_cells(items)
        if len(table) < 2 or table[1][:8] != want:
            fails.append("all dossiers on the page: %s, expected %s" % (table[1:2], want))
        # the groups' table: by the labels, in the order of the identifiers
        table = (page.tables.get("groepen") or [[]])[0]
        order = sorted(set(i["g"] for i in items))
        if [r[0] for r in table[1:]] != [check.SECTOR_LABELS[g] for g in order]:
            fails.append("the groups' rows: %s" % [r[0] for r in table[1:]])
        for row, g in zip(table[1:], order):
            part = [i for i in items if i["g"] == g]
            if row[3:8] != band_cells(part):
                fails.append("group %s on the page: %s, expected %s" % (g, row[3:8], band_cells(part)))
            if row[1] != nl(str(len(part))) or row[2] != nl(str(sum(i["w"] for i in part))):
                fails.append("group %s counts on the page: %s" % (g, row[1:3]))

        # no raw identifier where there is a label (tooltips and the quoted explanations aside)
        shown = " ".join(page.shown)
        for ident in ["bouw", "zorg", "onderwijs", "overig", "sector", "dagloon_onbegrensd", "loon_in_referteperiode"]:
            if ident == "loon_in_referteperiode":
                continue   # (no label in the rule set: shown as it is)
            if re.search(r"(?<![\w-])%s(?![\w-])" % ident, shown):
                fails.append("the page shows the identifier '%s' where the rule set gives a label" % ident)
        for label in ["Bouw", "Zorg en welzijn", "bedrijfssector", "dagloon (na de grens)", "dagloon zonder de grens"]:
            if label not in shown:
                fails.append("the page lacks the label '%s'" % label)

        # Dutch notation: no number of four digits or more without thousands dots, no decimal point
        text = re.sub(r"P-\d{4}", "", " ".join(page.plain))   # (the dossiers' ids)
        for bad in re.findall(r"(?<![\d.,])\d{4,}(?![\d])|\d\.\d{1,2}(?!\d)|\d+\.\d{4,}", text)[:5]:
            fails.append("a number not in Dutch notation on the page: %r" % bad)
        if "1.353" not in text and not re.search(r"\d\.\d{3}", text):
            fails.append("the page should have a number with a thousands dot (the test would test less)")

        # each listed id links to its explanation on the page
        listed = [e["id"] for e in got.get("largest_gains", []) + got.get("largest_losses", [])]
        anchors = [h[1:] for h in page.links if h.startswith("#uitleg-")]
        if len(anchors) != len(listed) or not listed or any(a not in page.ids for a in anchors):
            fails.append("links to the explanations: %s for %d listed ids" % (anchors, len(listed)))
        for n, ident in enumerate(listed, 1):
            if "Dossier %s" % ident not in " ".join(page.plain) or ("uitleg-%d" % n) not in page.ids:
                fails.append("no explanation of %s on the page" % ident)

        # an id with markup among the largest gains: in the links and the embedded explanation it is text
        top = max(items, key=lambda i: i["d"])["id"]
        evil = '<img src=x onerror="alert(1)">' + top
        inp2, html2 = os.path.join(tmp, "pop2.jsonl"), os.path.join(tmp, "rapport2.html")
        with open(inp2, "w") as f:
            f.writelines(json.dumps(dict(d, id=evil) if d["id"] == top else d) + "\n" for d in pop)
        subprocess.run(args[:4] + [inp2] + args[5:] + ["--html", html2, "--summary", os.path.join(tmp, "r2.txt")],
                       stderr=subprocess.DEVNULL)
        dom2 = subprocess.run(CHROMIUM + ["--user-data-dir=" + prof, "--dump-dom", "file://" + html2],
                              capture_output=True, text=True, timeout=120).stdout
        page2 = Page()
        page2.feed(dom2)
        if "<img" in dom2 or " ".join(page2.plain).count(evil) < 2:
            fails.append("an id with markup is not shown as text in the links and the explanation")

        # the screenshot is not blank: the band charts' colours are drawn
        try:
            from PIL import Image
            im = Image.open(png).convert("RGB")
            colours = im.getcolors(1 << 20) or []
            seen = {c: n for n, c in colours}
            for name, rgb in (("dark green", (0x1b, 0x5e, 0x20)), ("light green", (0xa5, 0xd6, 0xa7)),
                              ("striped red", (0xef, 0x9a, 0x9a))):
                if seen.get(rgb, 0) < 200:
                    fails.append("the screenshot has %d pixels of the charts' %s" % (seen.get(rgb, 0), name))
        except (OSError, ImportError) as e:
            fails.append("the screenshot cannot be read: %s" % e)
    for f in fails[:20]:
        print("FAIL rapport:", f)
    print("compare: the impact report rendered in Chromium: %s" % ("ok" if not fails else "%d failures" % len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
