"""Generate a synthetic repair population for rules/herstel (the hersteloperatie WIA), as JSON Lines.

Usage: python3 tools/gen_herstel.py N SEED [--fouten PROMILLE] [--wia-veld NAME] > herstel.jsonl

The three herstelacties in the proportions of the operation (docs/DOMEIN.md par. 3, Kamerstuk 26448
nr. 793 and the progress letters): about 51,000 dossiers re-examined for a dagloon error, 76,000 for
wage-less periods, 3,600 for a missed indexation -- drawn per dossier with weights 510 : 760 : 36.
Each dossier's eerste rechtdag lies in the period of its action (dagloonfout 2020-2024, loonloze
tijdvakken 1-7-2015 t/m 2024, indexatie 1-7-2006 t/m 2022), and its decided dagloon differs from the
correct one as that action's error would make it:
  dagloonfout          the decided dagloon 0,5-15 % too low or too high (one in five right)
  loonloze_tijdvakken  D = 261 where 21-130 wage-less dagloondagen should have left it (CRvB
                       2024:1523): decided = correct x (261 - k) / 261 (three in ten had none)
  indexatie            one revision of rules/tables/dagloonherziening.csv missed: correct = decided x
                       (1 + r) (one in four had none)
--fouten PROMILLE (default 5): share of dossiers made into error rows on purpose, half with an eerste
rechtdag before their action's period, half (indexatie only) a correct dagloon below the decided one,
so that a summary has reasons to count.

rules/herstel computes the correct dagloon itself from a nested WIA dossier (issue 16 part 2): each
herstel dossier carries a WIA dossier of tools/gen_population.py (make_dossier, the same generator as
rules/wia's populations) in field `dossier` (--wia-veld NAME for another name), with its eerste
rechtdag; the decided dagloon is an estimate of the correct one (the wage of the 12 months before the
first day of incapacity / 261, revised to the eerste rechtdag) with this action's error, so the
direction follows the error but the amounts are not the engine's (an estimate: the 108/100 factor,
the deler's exceptions and the maximum are left out on purpose). The WIA generator makes rights from
2014-12-31 on only (the Besluit dagloonregels 2005 is not generated there): an earlier eerste rechtdag
(indexatie 2006-2014) moves to 2014-12-31. herstel_dossier() is the one function that builds a
dossier. No payments per month are given (betaald: []): rules/herstel recomputes them with the
decided dagloon and says so (betaald_volgens).

Deterministic: the same N and SEED give the same bytes; dossier i depends only on SEED and i (the
splitmix64 streams and integer amounts of gen_population.py; no floats).
"""

import argparse
import datetime
import json
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_population as gp  # noqa: E402  (the PRNG, dates, wage scale and the WIA generator)

# (weight, herstelactie, first and last eerste rechtdag of the action: rules/herstel periode_herstelactie)
ACTIES = [(510, "dagloonfout", gp.ordinal(2020, 1, 1), gp.ordinal(2024, 12, 31)),
          (760, "loonloze_tijdvakken", gp.ordinal(2015, 7, 1), gp.ordinal(2024, 12, 31)),
          (36, "indexatie", gp.ordinal(2006, 7, 1), gp.ordinal(2022, 12, 31))]

SOORTEN = [(30, "iva"), (45, "wga_loongerelateerd"), (25, "wga_vervolg")]

# The calculation day (rekendatum) of the repair, and the tables' horizon: the benefit runs at most
# to it (rules/herstel: a revision or maximum after 2026-12-31 is not known yet).
REKEN_VAN, REKEN_TOT = gp.ordinal(2025, 7, 1), gp.ordinal(2026, 10, 31)
SALT = 0x4845525354454C21        # "HERSTEL!": a stream of its own, not a WIA dossier in disguise
SALT_WIA = 0x5749414845525354    # the nested WIA dossier's stream


def cents_times(cents, frac):
    """cents x frac, rounded half up (amounts are positive)."""
    return gp.round_cent(Fraction(cents) * frac)


def geschatte_dagloon(wia):
    """An estimate (cents) of the WIA dossier's correct dagloon: its wage in the 12 months before the
    first day of incapacity / 261, revised with gen_population's revision table up to the eerste
    rechtdag. Only to give the decided dagloon a realistic size; rules/wia computes the real one."""
    ao = gp.parse_date(wia["eerste_ao_dag"])
    cents = 0
    for r in wia["loon"]:
        begin, end = (gp.parse_date(x) for x in r["tijdvak"].split("/"))
        if ao - 366 <= end < ao:
            euro, cent = r["loon"].split(".")
            cents += int(euro) * 100 + int(cent)
    dagloon = Fraction(cents, 261)
    for date, pct in gp.HERZIENING:
        if ao < gp.parse_date(date) <= gp.parse_date(wia["eerste_rechtdag"]):
            dagloon *= 1 + Fraction(pct) / 100
    return max(gp.round_cent(dagloon), 1000)


def vastgestelde_dagloon(rng, actie, juist, fout):
    """The decided dagloon (cents) as this action's error makes it from the (estimated) correct one
    (fout: on purpose far above it, for indexatie, which can only be too low: an error row)."""
    if actie == "indexatie":
        if fout:
            return juist + rng.between(5000, 20000)
        if rng.chance(250):
            return juist
        _, pct = rng.pick(gp.HERZIENING)           # the revision missed at the award
        return cents_times(juist, 1 / (1 + Fraction(pct) / 100))
    if actie == "loonloze_tijdvakken":
        if rng.chance(300):
            return juist
        k = rng.between(21, 130)                   # wage-less dagloondagen left in D
        return cents_times(juist, Fraction(261 - k, 261))
    if rng.chance(200):
        return juist
    afwijking = rng.between(5, 150)                # per mille
    if rng.chance(600):                            # decided too low
        return cents_times(juist, Fraction(1000 - afwijking, 1000))
    return cents_times(juist, Fraction(1000 + afwijking, 1000))


def inkomen(rng, soort, day, einde):
    """Income from work in some months of a WGA benefit (IVA: none), as rules/herstel reads it."""
    if soort == "iva" or not rng.chance(400):
        return []
    d = datetime.date.fromordinal(day)
    y, m = d.year, d.month
    out = []
    for _ in range(rng.between(1, 12)):
        first = gp.ordinal(y, m, 1)
        if first > einde:
            break
        out.append({"maand": gp.iso(first), "inkomen": gp.money(rng.between(20000, 250000))})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def wia_dossier(seed, index, day):
    """The WIA dossier behind a herstel dossier with eerste rechtdag `day`, from gen_population's
    generator (rights from 2014-12-31 on; the Besluit dagloonregels 2005 is not generated there)."""
    lo = max(day, gp.ordinal(2013, 1, 1) + 728)
    opts = gp.WiaOptions(vanaf=lo, tot=lo)
    return gp.make_dossier(gp.dossier_rng(seed ^ SALT_WIA, index), index, opts)


def herstel_dossier(rng, index, opts):
    """One dossier of rules/herstel (invoer.rules, field order), for the action drawn."""
    actie, lo, hi = rng.weighted([(w, a, lo, hi) for w, a, lo, hi in ACTIES])
    fout = rng.chance(opts.fouten)
    buiten = fout and (actie != "indexatie" or rng.chance(500))
    day = lo - rng.between(1, 365) if buiten else rng.between(lo, hi)
    wia = wia_dossier(opts.seed, index, day)
    day = gp.parse_date(wia["eerste_rechtdag"])
    soort = rng.weighted(SOORTEN)
    if soort != "iva":
        wia["mate_arbeidsongeschiktheid"] = "0.%02d" % rng.between(35, 79)
    rekendatum = rng.between(REKEN_VAN, REKEN_TOT)
    jaren = rng.weighted([(700, 1, 5), (300, 5, 12)])
    einde = min(day + rng.between(jaren[0] * 365, jaren[1] * 365), gp.HORIZON)
    vast = vastgestelde_dagloon(rng, actie, geschatte_dagloon(wia), fout and not buiten)
    return {"id": "H%07d" % (index + 1), "rekendatum": gp.iso(rekendatum), "herstelactie": actie, "soort": soort,
            opts.wia_veld: wia, "einde_recht": gp.iso(einde), "vastgestelde_dagloon": gp.money(vast),
            "betaald": [], "inkomen": inkomen(rng, soort, day, einde)}


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="gen_herstel.py",
                                 description="A deterministic synthetic repair population for rules/herstel.")
    ap.add_argument("n", metavar="N", type=int, help="number of dossiers")
    ap.add_argument("seed", metavar="SEED", type=int, help="seed (any integer)")
    ap.add_argument("--fouten", type=gp.permille, metavar="PROMILLE", default=5,
                    help="share of dossiers that are error rows on purpose (default 5)")
    ap.add_argument("--wia-veld", metavar="NAME", default="dossier",
                    help="the field of the nested WIA dossier (default dossier, as rules/herstel)")
    a = ap.parse_args(argv[1:])
    if a.n < 0:
        ap.error("N must be 0 or more")
    return a


def main(argv):
    opts = parse_args(argv)
    out = sys.stdout
    batch = []
    try:
        for i in range(opts.n):
            d = herstel_dossier(gp.dossier_rng(opts.seed ^ SALT, i), i, opts)
            batch.append(json.dumps(d, ensure_ascii=False))
            if len(batch) == 1000 or i == opts.n - 1:
                out.write("\n".join(batch) + "\n")
                batch = []
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
