#!/usr/bin/python3
"""Groups of a free-text field by the labels of its keuze ('sector: optioneel tekst waarden Sector',
docs/LANGUAGE.md "Human labels"), rendered in headless Chromium.

rules/wia labels the sectors tools/gen_population.py draws; `sector` stays tekst, so a dossier with a
sector the keuze does not know is computed as any other and its group is shown as it is written.
Over a generated population of 300 dossiers, one of them given the sector 'visserij':
- `compare rules/wia rules/voorstellen/twaalf_maanden_loon POP --by sector --html` renders a page whose
  groups' table names each group by the label rules/wia/invoer.rules gives it (written out here, not
  read from the engine), 'visserij' as it is; no raw sector identifier shows outside tooltips; the
  identifier is the label's tooltip;
- the dossier with 'visserij' has a row in compare's output with both dagloons, no error row, and
  the summary's 'visserij' group counts it, without a label;
- an untrusted bundle (tests/golden/parse/values.rules compiled) whose field names a keuze it does not
  have, or names one on a geheel field (the checksum made right), is refused as corrupt on load
  (docs/SECURITY.md); the bundle as compiled runs;
- a rule set that uses rules/wia names its keuze with the used set's name (waarden/gebruik.rules:
  'waarden wia.Sector') and checks.

    /usr/bin/python3 tests/compare/waarden.py build/dagloon
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rapport import CHROMIUM, Page  # noqa: E402  (the rendered page's tables and shown text)

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dagloon"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# rules/wia/invoer.rules, keuze Sector: the labels a reader must see
LABELS = {"zorg": "Zorg en welzijn", "industrie": "Industrie", "handel": "Handel", "onderwijs": "Onderwijs",
          "bouw": "Bouw", "overheid": "Openbaar bestuur", "zakelijke_diensten": "Zakelijke dienstverlening",
          "uitzendwerk": "Uitzendwerk", "horeca": "Horeca", "overig": "Overig"}
UNKNOWN = "visserij"


class Tips(Page):
    """The page, and the tooltip (title attribute) of each element whose text is a groups' row head."""

    def __init__(self):
        super().__init__()
        self.titles = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        a = dict(attrs)
        if "title" in a:
            self.titles.append(a["title"])


def checksum(b):
    """The bundle's last 8 bytes: FNV-1a 64 of the rest (runtime/bundle.c)."""
    h = 0xcbf29ce484222325
    for x in b[:-8]:
        h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    b[-8:] = struct.pack("<Q", h)


def damaged_bundles(tmp, fails):
    """The field's keuze is checked when a bundle is loaded."""
    good, csv = os.path.join(tmp, "v.dlb"), os.path.join(tmp, "v.csv")
    subprocess.run([BIN, "compile", os.path.join(ROOT, "tests", "golden", "parse", "values.rules"), "-o", good],
                   capture_output=True, check=True)
    with open(csv, "w") as f:
        f.write("id,sector,tweede,derde,waarden,vierde,waarden2\na,zorg,visserij,y,3,z,1\n")
    r = subprocess.run([BIN, "run", good, csv], capture_output=True, text=True)
    if r.returncode != 0 or "a,3,4" not in r.stdout:
        fails.append("the bundle as compiled does not run: %s %s" % (r.stdout, r.stderr.strip()))
    b = bytes(open(good, "rb").read())
    # field 'tweede: tekst waarden Sector label "tweede sector"': its label, then u32 1 + Sector's index 0
    tail = b"tweede sector" + struct.pack("<I", 1)
    # field 'waarden: geheel': u32 7 'waarden', its type (geheel: 1 0 0 0), u8 optional 0, no label (u32 ~0),
    # then u32 0: no keuze
    field = struct.pack("<I", 7) + b"waarden" + bytes([1, 0, 0, 0, 0]) + b"\xff" * 4 + bytes(4)
    at = [i + len(field) - 4 for i in range(len(b)) if b.startswith(field, i)]
    if b.count(tail) != 1 or len(at) != 1:
        fails.append("the fields' bytes are not found once in the bundle (the test would test nothing)")
        return
    for what, patch in (("a keuze it does not have", (b.find(tail) + len(tail) - 4, 9)),
                        ("a keuze on a geheel field", (at[0], 1))):
        d = bytearray(b)
        d[patch[0]:patch[0] + 4] = struct.pack("<I", patch[1])
        checksum(d)
        bad = os.path.join(tmp, "bad.dlb")
        open(bad, "wb").write(d)
        r = subprocess.run([BIN, "run", bad, csv], capture_output=True, text=True)
        if r.returncode == 0 or "corrupt bundle" not in r.stderr:
            fails.append("a bundle whose field names %s: exit %d, %s" % (what, r.returncode, r.stderr.strip()[:200]))


def main():
    fails = []
    r = subprocess.run([BIN, "check", os.path.join(os.path.dirname(os.path.abspath(__file__)), "waarden", "gebruik.rules")],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fails.append("'waarden wia.Sector' in a rule set that uses rules/wia: %s" % r.stderr.strip()[:300])
    with tempfile.TemporaryDirectory() as tmp:
        damaged_bundles(tmp, fails)
        gen = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_population.py"), "300", "11"],
                             capture_output=True, text=True, check=True).stdout
        pop = [json.loads(line) for line in gen.splitlines() if line.strip()]
        odd = pop[5]["id"]
        pop[5]["sector"] = UNKNOWN
        inp = os.path.join(tmp, "pop.jsonl")
        with open(inp, "w") as f:
            f.writelines(json.dumps(d) + "\n" for d in pop)
        html, summ, out = (os.path.join(tmp, n) for n in ("r.html", "s.json", "out.jsonl"))
        errs = os.path.join(tmp, "err.jsonl")
        r = subprocess.run([BIN, "compare", os.path.join(ROOT, "rules", "wia"),
                            os.path.join(ROOT, "rules", "voorstellen", "twaalf_maanden_loon"), inp, "--by", "sector",
                            "--html", html, "--summary", summ, "--output", out, "--errors", errs],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fails.append("compare exits %d: %s" % (r.returncode, r.stderr.strip()[:300]))
        got = json.load(open(summ)) if os.path.exists(summ) else {}

        # the dossier with a sector the keuze does not know: computed, counted in its own group
        rows = [json.loads(line) for line in open(out)] if os.path.exists(out) else []
        row = next((x for x in rows if x.get("id") == odd), None)
        if row is None or any(v in (None, "") for k, v in row.items() if k.startswith("dagloon")) or \
                not any(k.startswith("dagloon") for k in row):
            fails.append("the dossier with sector %r has no computed row: %s" % (UNKNOWN, row))
        if os.path.exists(errs) and odd in open(errs).read():
            fails.append("the dossier with sector %r has an error row" % UNKNOWN)
        groups = {g.get("group"): g for g in got.get("groups", [])}
        g = groups.get(UNKNOWN, {})
        if g.get("dossiers") != 1 or "label" in g:
            fails.append("the summary's group %r: %s" % (UNKNOWN, {k: g.get(k) for k in ("dossiers", "label")}))
        for ident, label in LABELS.items():
            if ident in groups and groups[ident].get("label") != label:
                fails.append("the summary's group %s has label %r, expected %r" % (ident, groups[ident].get("label"),
                                                                                  label))

        # the rendered page: labels in the groups' table, identifiers only as tooltips
        dom = subprocess.run(CHROMIUM + ["--user-data-dir=" + os.path.join(tmp, "profile"), "--dump-dom",
                                         "file://" + html], capture_output=True, text=True, timeout=120).stdout
        page = Tips()
        page.feed(dom)
        table = (page.tables.get("groepen") or [[]])[0]
        heads = [r[0] for r in table[1:]]
        want = [LABELS.get(s, s) for s in sorted(set(d["sector"] for d in pop))]
        if heads != want:
            fails.append("the groups' rows: %s, expected %s" % (heads, want))
        shown = " ".join(page.shown)
        if "Zakelijke dienstverlening" not in shown:
            fails.append("the page does not show 'Zakelijke dienstverlening'")
        for ident in LABELS:
            if re.search(r"(?<![\w-])%s(?![\w-])" % ident, shown):
                fails.append("the page shows the identifier '%s' outside a tooltip" % ident)
            if ident in groups and ident not in page.titles:
                fails.append("the identifier '%s' is not a tooltip on the page" % ident)
        if UNKNOWN not in shown:
            fails.append("the page does not show the group %r as it is written" % UNKNOWN)
    for f in fails[:20]:
        print("FAIL waarden:", f)
    print("compare: groups of a tekst field by its keuze's labels: %s" % ("ok" if not fails else
                                                                         "%d failures" % len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
