"""Generate a synthetic population of dagloon dossiers for rules/wia (or rules/ww, rules/zw), as
JSON Lines.

Usage: python3 tools/gen_population.py N SEED [options] > population.jsonl
  --regeling wia|ww|zw     the rule set the dossiers are for (default wia)
  --vanaf DATE, --tot DATE the range of the eerste rechtdag (WW: eerste werkloosheidsdag; ZW: eerste
                           rechtdag, the eerste ziektedag 0-2 days before), inclusive. --tot may lie
                           past the tables' horizon (HORIZON, 2026-12-31), e.g. 2027-12-31.
                           Defaults: wia as below; ww/zw 2014-01-01 .. 2026-12-31 (the texts of 2013,
                           1-7-2015, 1-12-2016, 1-9-2017, 1-12-2017, 29-06-2018, 2022).
  --afwijkend PROMILLE     share of dossiers with one or two tijdvakken with verlof, ziekte or
                           werkstaking (ZW also arbeidsongeschiktheid); default wia 100, ww/zw 250
  --loonloos-afwijkend PROMILLE
                           share of those tijdvakken with no wage at all (else less wage);
                           default wia 0, ww/zw 400
  --rond-grenzen PROMILLE  share of dossiers dated within 60 days of a boundary of the texts
                           (1-7-2015, 1-12-2016, 1-9-2017, 1-12-2017, 29-06-2018, 1-1-2022) or of
                           the horizon (1-1-2027), inside the range; default 0
  --uitkering PROMILLE     (wia, zw) share of dossiers that also carry the optional fields of the
                           benefit: WIA wia_uitkering, mate_arbeidsongeschiktheid, inkomen_per_maand,
                           minimumloon_per_maand, arbeidsverleden_jaren, maanden_iva_ervoor,
                           maanden_ww_ervoor (rules/wia_uitkering needs them: use 1000 there); ZW
                           ziekengeld_grond (every ground of ZW art 29 lid 2; loon_werkgever_per_dag
                           with a request of the werkgever). Drawn from a stream of
                           their own: the other fields stay those of the population without the
                           option. Default 0 (no such fields).
  --art19 PROMILLE         WIA only: share of dossiers with an earlier WAO/WIA benefit ended by
                           work (DB art 19: vorige_dagloon, einde_vorige_uitkering,
                           aanvang_arbeid_na_uitkering); drawn after everything else, so the rest
                           of each dossier is unchanged; default 0
  --art22 PROMILLE         WIA only: share of dossiers with a wage cut at one werkgever (DB art 22:
                           loonsverlaging on the dienstbetrekking, loon_zonder_verlaging on its
                           loonregels from that day); drawn after everything else; default 0
  --art20 PROMILLE         WIA only: share of dossiers partially incapacitated when insured (DB art
                           20: maatmaninkomen_per_uur, urenomvang_per_week); drawn last; default 0
  --hulpbehoevend PROMILLE WIA only: share of the benefit loonregels (uitkeringspercentage) that get
                           a hulpbehoevendheid_teller (DB art 16 lid 3 sub c/d); drawn last; default 0
  --bdr-toeslag PROMILLE   WIA only: share of the benefit loonregels of rights up to 2013-06-30 (the
                           Besluit dagloonregels 2005) that get a toeslag (0-15 %) and an aanvulling
                           (0-30 % of the benefit; BDR art 2 lid 2 C and D); drawn last; default 0
  --bijzonder PROMILLE     ZW only: share of dossiers with a voorgaande_uitkering of DB art 12g (ZW)
                           or 12h (Wazo), with voorgaand_dagloon or inkomen_verrekend and
                           gemiddelde_uitkering_per_dag (and voorgaand_uitkeringspercentage), only
                           in the cases the text of the eerste rechtdag names; drawn last; default 0
  --wazo PROMILLE          ZW only: share of dossiers (eerste rechtdag from 1-7-2015, without
                           ziekengeld_grond) that are a Wazo-uitkering (soort_uitkering wazo, DB art
                           12a sub b); drawn last; default 0
  --geboortedatum PROMILLE ZW only: share of dossiers with a geboortedatum (age 25-70 on the eerste
                           ziektedag; DB art 12b lid 5 of 2016-2017, AOW age); drawn last; default 0
  --loonbegrip PROMILLE    ZW only: share of dossiers with one or two opgaven that carry a part of DB
                           art 12c lid 1 sub a-d (added to the loon) or art 12d lid 2 (vorderbaar loon
                           instead of a paid one; loon already counted in an earlier dagloon); drawn
                           last; default 0
  --samenloop PROMILLE     ZW: share of dossiers with other benefits on the eerste rechtdag (DB art
                           25: samenloop_andere_per_dag 20-250, one in five of 100 %); drawn last;
                           default 0. WW: see below (art25_andere_dagloon ...)
  --art13 PROMILLE         WIA only: share of the dossiers with two or more dienstbetrekkingen where
                           the last one declares the other kind of aangiftetijdvak (DB art 13 lid 1
                           second part; its loonregels keep their tijdvakken); drawn last; default 0
  --art16-lid-5 PROMILLE   WIA only: share of the dossiers with a werkgever whose wage stops at least
                           30 days before the end of the referteperiode that get that end as
                           einde_dienstbetrekking_zonder_opzegtermijn and an einde_opzegtermijn (rights
                           from 1-12-2016) or intreden_arbeidsurenverlies 15-120 days later (DB art 16
                           lid 5); drawn last; default 0
  --art25 PROMILLE         WIA only: share of the dossiers with concurrent benefits (DB art 25): the WIA
                           percentage (70 or 75 %) and one other benefit (a quarter of them two), dagloon
                           20-250 euro at 70 %, 75 % or 100 %; drawn last; default 0
  --art53 PROMILLE, --art63 PROMILLE, --art59-lid-4 PROMILLE, --art61-lid-7 PROMILLE
                           WIA with --uitkering only: share of the IVA dossiers with an
                           iva_hulpbehoevendheid_teller (WIA art 53), of the WGA dossiers without an
                           inkomenseis with a wga_hulpbehoevendheid_teller (art 63), of the WGA dossiers with a right
                           that did not arise (art 59 lid 4), and of the WGA dossiers with a changed
                           degree of incapacity (art 61 lid 7); from the benefit's stream, after its
                           other fields; default 0
  --art18, --opeenvolgend, --art8, --art12, --vergoeding, --art10, --art11, --art4, --samenloop,
  --art24, --opvolgend, --h3a PROMILLE
                           WW only (issue 15 part 2): share of dossiers with uitkering_art18 (WW art
                           18), eerste_verlies_arbeidsuren (DB art 2 lid 7, one tijdvak back, not with
                           art 18), a WAO/WIA benefit (art8_situatie, art8_dagloon, ..., DB art 8-9),
                           from 1-7-2015 a dagloongarantie (art12_grond, art12_dagloon, art12_datum,
                           DB art 12), before 1-12-2016 einde_dienstbetrekking_vergoeding (art 2 lid 2
                           of the 2013/2015 texts), before 1-7-2015 the fields of art 10 and art 11
                           (wage cut at 50-64) of the 2013 text, and loon_al_in_dagloon on one
                           loonregel (art 4 lid 2), another benefit (art 25), a worker of 17-20 (art
                           24), before 1-7-2015 successive dienstbetrekkingen (2013 art 3 lid 2-3),
                           rights of 1-7-2015..30-11-2016 asking for DB hoofdstuk 3a; each from a
                           stream of its own; default 0
  --art24 PROMILLE (ZW)    with --regeling zw: share of dossiers with a geboortedatum of a worker of
                           17-22 on the eerste ziektedag (DB art 24, BDR art 5); drawn last, after the
                           ZW fields above; default 0
  --herzien PROMILLE       WW and ZW: share of dossiers with herzien_tot (0-730 days after the first
                           day, not past the horizon): the revision of a running dagloon; default 0
Without options the output is the legacy WIA population, byte for byte (make voorstellen and
tests/compare depend on it). tools/measure_change.sh uses
  --regeling wia --tot 2027-12-31 --afwijkend 300 --loonloos-afwijkend 400
  --regeling ww|zw --tot 2027-12-31
Every WW and ZW dossier of such a population (dates within the tables) gives a row without error
on rules/ww and rules/zw; the generator avoids three shapes those rule sets turn into error rows
today: WW D = 0 (art 5 lid 6; the output column dagloon_zonder_art6 divides by D), a WW period of
only wage-less months (four-weekly tijdvak wage counted in the next month), and ZW ziekengeld
between contracts with an eerste rechtdag 30-06-2018 .. 03-12-2020 (art 27d, not found).

Why: a policy team compares rule variants (dagloon compare BASE PROPOSAL INPUT) over a
population; the real cases in rules/wia/populatie.jsonl are too few and too special. Every
dossier follows the schema of rules/wia/invoer.rules (no extra fields) and is valid input for
`dagloon run rules/wia`, and a share of the dossiers goes down each rule path: monthly and
four-weekly tijdvakken (the per-week layout of referteperiode.rules), one or two werkgevers,
job changes, starters (DB art 18 lid 1), wage-less months (CRvB 2024:1523), vakantiebijslag
paid in May and, for rights from 2022, opgebouwd bedragen, a benefit counted as wage (art 16
lid 3, percentage as a fraction: "0.70"), tijdvakken with verlof/ziekte/werkstaking (art 17),
nawerking (art 13 lid 3), no wage in the referteperiode (art 18 lid 2 and 3), a later
eerste rechtdag, with and without DB art 21, and wages from the minimum wage of the year up
to about 5.8 times it (some above the maximum dagloon).

Deterministic: the same N and SEED give the same bytes on every machine and Python version.
The PRNG is splitmix64 on Python integers, probabilities are in per mille and amounts in
integer cents (no floats, no `random`). Dossier i depends only on SEED and i, so a smaller N
gives a prefix of a larger one.

Approximations (synthetic, not real data): wage levels scale with a rounded minimum wage per
year (WML below); dagloon_einde_wachttijd (art 21) is given only for simple dossiers (monthly
tijdvakken, a wage in every month, no art 17, no benefit), computed here with the formula of
art 16 lid 1 and the revisions of rules/tables/dagloonherziening.csv (copied into HERZIENING);
it equals the engine's dagloon with einde_wachttijd as eerste rechtdag, and only for an
einde_wachttijd up to HORIZON. No eerste rechtdag after 2026-12-31 (LAST_RECHTDAG) unless --tot.
"""

import argparse
import datetime
import json
import sys
from fractions import Fraction

MASK64 = (1 << 64) - 1

# Approximate full-time monthly minimum wage (euro) on 1 January of a year: the wage scale.
WML = {2011: 1424, 2012: 1447, 2013: 1469, 2014: 1486, 2015: 1502, 2016: 1525, 2017: 1552,
       2018: 1578, 2019: 1616, 2020: 1654, 2021: 1685, 2022: 1725, 2023: 1934, 2024: 2070,
       2025: 2192}

# Dagloon revisions (DB art 23, WIA art 14): copy of rules/tables/dagloonherziening.csv.
HERZIENING = [
    ("2011-01-01", "0.59"), ("2011-07-01", "0.76"), ("2012-01-01", "0.79"), ("2012-07-01", "0.66"),
    ("2013-01-01", "0.91"), ("2013-07-01", "0.57"), ("2014-01-01", "0.53"), ("2014-07-01", "0.65"),
    ("2015-01-01", "0.44"), ("2015-07-01", "0.40"), ("2016-01-01", "1.11"), ("2016-07-01", "0.83"),
    ("2017-01-01", "0.94"), ("2017-07-01", "0.89"), ("2018-01-01", "0.80"), ("2018-07-01", "1.03"),
    ("2019-01-01", "1.35"), ("2019-07-01", "1.23"), ("2020-01-01", "1.10"), ("2020-07-01", "1.60"),
    ("2021-01-01", "0.28"), ("2021-07-01", "0.96"), ("2022-01-01", "1.41"), ("2022-07-01", "1.81"),
    ("2023-01-01", "10.15"), ("2023-07-01", "3.13"), ("2024-01-01", "3.73"), ("2024-07-01", "3.10"),
    ("2025-01-01", "2.73"), ("2025-07-01", "2.46"), ("2026-01-01", "2.16"), ("2026-07-01", "1.86"),
]

# Wage level as a multiple of the WML, in per mille: (weight, low, high), uniform inside a band.
WAGE_BANDS = [(220, 950, 1250), (300, 1250, 1800), (250, 1800, 2500), (120, 2500, 3100),
              (80, 3100, 4200), (30, 4200, 5800)]

# The last eerste rechtdag generated by default: a revision on 1 January 2027 is not in the
# tables yet. HORIZON: the last day the tables of rules/tables cover (the day before the first
# unknown revision); --tot can reach past it on purpose.
LAST_RECHTDAG = datetime.date(2026, 12, 31).toordinal()
HORIZON = LAST_RECHTDAG

BENEFIT_PERCENTAGES = ["0.70", "0.70", "0.70", "0.75", "0.75", "1.00"]


# ---------------------------------------------------------------- PRNG

class Rng:
    """splitmix64: a 64-bit state stepped by a constant and mixed; integers only."""
    __slots__ = ("s",)

    def __init__(self, seed):
        self.s = seed & MASK64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """0 <= x < n (multiply-shift; the bias is below 2**-40 for our n)."""
        return (self.next() * n) >> 64

    def between(self, lo, hi):
        """lo <= x <= hi."""
        return lo + self.below(hi - lo + 1)

    def chance(self, permille):
        return self.below(1000) < permille

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, table):
        """Pick the rest of an entry (weight, ...) of table in proportion to its weight."""
        x = self.below(sum(t[0] for t in table))
        for t in table:
            if x < t[0]:
                return t[1:] if len(t) > 2 else t[1]
            x -= t[0]
        raise AssertionError("unreachable")


def dossier_rng(seed, index):
    """An independent stream per dossier: dossier i depends only on (seed, i)."""
    mixer = Rng((seed * 0xD1B54A32D192ED03 + index) & MASK64)
    mixer.next()
    return Rng(mixer.next())


# ---------------------------------------------------------------- dates and tijdvakken
# Days are proleptic ordinals (datetime.date.toordinal); a tijdvak is a tuple (lo, hi).

def ordinal(y, m, d):
    return datetime.date(y, m, d).toordinal()


def iso(o):
    return datetime.date.fromordinal(o).isoformat()


def period(tv):
    return iso(tv[0]) + "/" + iso(tv[1])


def month_of(o):
    """The calendar month holding day o."""
    d = datetime.date.fromordinal(o)
    lo = ordinal(d.year, d.month, 1)
    hi = ordinal(d.year + 1, 1, 1) - 1 if d.month == 12 else ordinal(d.year, d.month + 1, 1) - 1
    return (lo, hi)


def fourweek_of(o):
    """The four-weekly tijdvak holding day o, per-week layout (runtime/period.c FOURWEEK_BY_WEEK):
    Monday-Sunday weeks, week 1 holding 1 January; the 1st from 1 January to the Sunday of week 4,
    then blocks of 28 days, the 13th to 31 December."""
    y = datetime.date.fromordinal(o).year
    jan1 = ordinal(y, 1, 1)
    base = jan1 - datetime.date.fromordinal(jan1).weekday()  # Monday of week 1
    k = min((o - base) // 28 + 1, 13)
    lo = max(base + 28 * (k - 1), jan1)
    hi = ordinal(y, 12, 31) if k == 13 else base + 28 * k - 1
    return (lo, hi)


def tijdvak_of(kind, o):
    return month_of(o) if kind == "maand" else fourweek_of(o)


def one_year_back(o):
    """The same day one year earlier; 29 February becomes 1 March (maandeinde: doorlopen)."""
    d = datetime.date.fromordinal(o)
    if d.month == 2 and d.day == 29:
        return ordinal(d.year - 1, 3, 1)
    return ordinal(d.year - 1, d.month, d.day)


def workdays(lo, hi):
    """Monday-Friday days in lo..hi (DB art 1 lid 2: dagloondagen)."""
    if hi < lo:
        return 0
    n = hi - lo + 1
    count = (n // 7) * 5
    start = datetime.date.fromordinal(lo + (n // 7) * 7).weekday()
    for i in range(n % 7):
        if (start + i) % 7 < 5:
            count += 1
    return count


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def round_cent(x):
    """Arithmetic rounding of a Fraction of cents (half away from zero; amounts are positive)."""
    return int(x + Fraction(1, 2))


# ---------------------------------------------------------------- employers

class Employer:
    """A dienstbetrekking and how its wage behaves."""

    def __init__(self, name, aanvang, base, reserveert, end=None, pct=None):
        self.name = name
        self.aanvang = aanvang        # first day of the dienstbetrekking
        self.end = end                # last day with wage (job change, nawerking), or None
        self.base = base              # monthly wage in cents at the start of the tijdvak list
        self.reserveert = reserveert
        self.pct = pct                # uitkeringspercentage (a benefit agency), or None
        self.may_payment = False      # vakantiebijslag paid once a year in May
        self.opgebouwd = False        # reports opgebouwd bedragen (rights from 2022)
        self.raises = {}              # year -> raise in per mille on 1 January

    def employed(self, tv):
        """Days of tijdvak tv inside the dienstbetrekking, as (lo, hi), or None."""
        lo = max(tv[0], self.aanvang)
        hi = tv[1] if self.end is None else min(tv[1], self.end)
        return (lo, hi) if lo <= hi else None


# The WML per month (23 and older, 1 January, whole euros) of 2006-2010, for WW and ZW rights under the
# Besluit dagloonregels 2005 (--vanaf before 2013): 1272,60, 1300,80, 1335,00, 1381,20, 1407,60 (the
# first four from the sources in rules/tables/dagloonherziening.csv). A separate table, so that WML
# (and every WIA population, whose years start in 2012) keeps its bytes.
WML_BDR = {2006: 1273, 2007: 1301, 2008: 1335, 2009: 1381, 2010: 1408}


def wml_cents(year):
    if year in WML_BDR:
        return WML_BDR[year] * 100
    return WML[min(max(year, 2011), 2025)] * 100


def wage_multiple(rng):
    lo, hi = rng.weighted(WAGE_BANDS)
    return rng.between(lo, hi)


def tijdvak_wage(rng, emp, tv, kind, first_year):
    """The regular wage of emp over tijdvak tv in cents (prorated, with small variation)."""
    days = emp.employed(tv)
    if days is None:
        return None
    base = emp.base
    for y in range(first_year + 1, datetime.date.fromordinal(tv[1]).year + 1):
        base = base * (1000 + emp.raises.setdefault(y, rng.between(0, 40))) // 1000
    length = tv[1] - tv[0] + 1
    full = base if kind == "maand" else base * 12 * length // (13 * 28)
    amount = full * (days[1] - days[0] + 1) // length
    amount = amount * (1000 + rng.between(-20, 20)) // 1000          # small variation
    if emp.pct is None and rng.chance(40):                              # overtime, a bonus
        amount = amount * (1000 + rng.between(50, 250)) // 1000
    return amount


# ---------------------------------------------------------------- one dossier

def referteperiode(kind, day):
    """DB art 13: the year ending just before the tijdvak holding day (ao or einde verzekering)."""
    end = tijdvak_of(kind, day)[0] - 1
    return (one_year_back(end + 1), end)


def tijdvak_list(kind, first_day, last_day):
    """The tijdvakken from the one before first_day's up to last_day's."""
    tv = tijdvak_of(kind, tijdvak_of(kind, first_day)[0] - 1)
    out = []
    while tv[0] <= last_day:
        out.append(tv)
        tv = tijdvak_of(kind, tv[1] + 1)
    return out


def inside(tv, ref):
    return ref[0] <= tv[0] and tv[1] <= ref[1]


def make_employers(rng, scenario, ref, ao, kind):
    """The dienstbetrekkingen for a scenario, with their wage levels."""
    year = datetime.date.fromordinal(ref[0]).year
    wml = wml_cents(year)
    main_base = wml * wage_multiple(rng) // 1000
    reserveert = rng.chance(780)
    if scenario == "nieuw":                                   # art 18 lid 2/3: in dienst in T
        t = tijdvak_of(kind, ao)
        return [Employer("W1", rng.between(t[0], ao), main_base, reserveert)]
    if scenario == "starter":                                  # art 18 lid 1 (or just late)
        return [Employer("W1", ref[0] + rng.between(1, max(2, ref[1] - ref[0] - 60)),
                         main_base, reserveert)]
    w1 = Employer("W1", ref[0] - rng.between(60, 365 * 15), main_base, reserveert)
    if scenario == "wissel":                                   # job change inside the year
        if rng.chance(150):    # the new job starts in the last weeks of the referteperiode
            switch, gap = ref[1] - rng.between(5, 50), 0
        else:                  # sometimes with weeks without a job in between
            switch = ref[0] + rng.between(45, 300)
            gap = 0 if rng.chance(600) else rng.between(1, min(75, ref[1] - switch - 10))
        w1.end = switch
        w2 = Employer("W2", switch + 1 + gap, main_base * rng.between(900, 1250) // 1000,
                      rng.chance(780))
        return [w1, w2]
    if scenario == "bijbaan":                                  # a second, smaller job
        aanvang = (ref[0] - rng.between(30, 2000) if rng.chance(700)
                   else ref[0] + rng.between(1, 250))
        return [w1, Employer("W2", aanvang, wml * rng.between(250, 900) // 1000, rng.chance(780))]
    if scenario == "uitkering":                                # art 16 lid 3: benefit as wage
        pct = rng.pick(BENEFIT_PERCENTAGES)
        if rng.chance(600):    # a WGA/WAO benefit beside a part-time job, all year
            w1.base = w1.base * rng.between(400, 800) // 1000
            benefit = wml * rng.between(300, 1200) // 1000
            aanvang = ref[0] - rng.between(30, 1500)
        else:                  # wage up to a date, then a benefit (e.g. ziekengeld)
            aanvang = ref[1] - rng.between(30, 150)
            w1.end = aanvang - 1
            benefit = w1.base * int(Fraction(pct) * 100) // 100
        return [w1, Employer("UWV", aanvang, benefit, True, pct=pct)]
    return [w1]


def choose_wageless(rng, tvs, ref):
    """0 to 4 tijdvakken of the referteperiode without wage (a block, or scattered)."""
    n = rng.weighted([(820, 0), (70, 1), (50, 2), (35, 3), (25, 4)])
    candidates = [tv for tv in tvs if inside(tv, ref)]
    if n == 0 or len(candidates) < n + 4:
        return set()
    if rng.chance(600):
        start = rng.below(len(candidates) - n + 1)
        return set(candidates[start:start + n])
    chosen = set()
    while len(chosen) < n:
        chosen.add(rng.pick(candidates))
    return chosen


def vakantiebijslag(emp, tv, amount):
    """The May payment: 8% of a year's wage (prorated for a short dienstbetrekking)."""
    may25 = ordinal(datetime.date.fromordinal(tv[1]).year, 5, 25)
    if not (emp.may_payment and tv[0] <= may25 <= tv[1]) or amount <= 0:
        return 0
    days = min(365, tv[1] - emp.aanvang + 1)
    return emp.base * 12 * 8 // 100 * days // 365


def make_wages(rng, emps, tvs, kind, wageless):
    """One Loonregel per tijdvak per werkgever while employed; wage-less tijdvakken give 0.00
    (or no regel at all)."""
    first_year = datetime.date.fromordinal(tvs[0][0]).year
    rows = []
    omit_wageless = rng.chance(500)
    for emp in emps:
        for tv in tvs:
            amount = tijdvak_wage(rng, emp, tv, kind, first_year)
            if amount is None:
                continue
            if tv in wageless:
                if omit_wageless:
                    continue
                amount = 0
            vb = vakantiebijslag(emp, tv, amount)
            opgebouwd = amount * 8 // 100 if emp.opgebouwd else 0
            row = {"werkgever": emp.name, "tijdvak": tv, "loon": amount + vb,
                   "vakantiebijslag": vb, "opgebouwd": opgebouwd}
            if emp.pct is not None:
                row["uitkeringspercentage"] = emp.pct
            rows.append(row)
    return rows


def bruikbaar(row, emp, ref, afwijkend_tv):
    """A tijdvak art 17 lid 1/2 can use: inside the referteperiode, in dienst all of it."""
    tv = row["tijdvak"]
    return inside(tv, ref) and tv != afwijkend_tv and emp.aanvang <= tv[0]


def art_17_lid(rows, emp, ref, tv):
    """Which lid of DB art 17 would give the replacement wage for tv: 1, 2 or 3."""
    own = [r for r in rows if r["werkgever"] == emp.name]
    if any(r["tijdvak"][1] < tv[0] and bruikbaar(r, emp, ref, tv) for r in own):
        return 1
    after = [r for r in own if r["tijdvak"][0] > tv[1]]
    if after and bruikbaar(min(after, key=lambda r: r["tijdvak"][0]), emp, ref, tv):
        return 2
    return 3


def make_afwijkend(rng, emps, rows, ref, wageless, loonloos=0):
    """One tijdvak with verlof, ziekte or werkstaking (DB art 17); lowers that tijdvak's wage
    (to nothing in `loonloos` per mille of the cases; 0 = the legacy population, no extra draw).
    Half of the time a tijdvak that needs lid 3 (the agreed wage) is taken if there is one."""
    by_name = {e.name: e for e in emps if e.pct is None}
    candidates = [r for r in rows if r["werkgever"] in by_name and inside(r["tijdvak"], ref)
                  and r["tijdvak"] not in wageless and r["loon"] > 0]
    if not candidates:
        return None
    lid_3 = [r for r in candidates
             if art_17_lid(rows, by_name[r["werkgever"]], ref, r["tijdvak"]) == 3]
    row = rng.pick(lid_3) if lid_3 and rng.chance(500) else rng.pick(candidates)
    emp = by_name[row["werkgever"]]
    tv = row["tijdvak"]
    omstandigheid = rng.weighted([(500, "verlof"), (350, "ziekte"), (150, "werkstaking")])
    regular = row["loon"] - row["vakantiebijslag"]
    factor = {"verlof": (0, 800), "ziekte": (700, 1000), "werkstaking": (300, 900)}[omstandigheid]
    reduced = regular * rng.between(*factor) // 1000
    if loonloos and rng.chance(loonloos):                       # no wage at all in the tijdvak
        reduced, row["vakantiebijslag"] = 0, 0
    row["loon"] = reduced + row["vakantiebijslag"]
    if emp.opgebouwd:
        row["opgebouwd"] = reduced * 8 // 100
    a = {"werkgever": emp.name, "tijdvak": period(tv), "omstandigheid": omstandigheid}
    if art_17_lid(rows, emp, ref, tv) == 3 or rng.chance(250):  # lid 3 needs the agreed wage
        a["overeengekomen_loon"] = money(regular)
    a["mede_uitkering"] = rng.chance(300 if omstandigheid == "ziekte" else 40)
    return a


def art_21_dagloon(emps, rows, ref, einde_wachttijd):
    """The dagloon had the right arisen on einde_wachttijd (same referteperiode), for simple
    dossiers: DB art 16 lid 1 (version of that day) with D = 261, then revised (art 23)."""
    reserveert = {e.name: e.reserveert for e in emps}
    in_ref = [r for r in rows if inside(r["tijdvak"], ref)]
    if einde_wachttijd < ordinal(2022, 1, 1):
        a = sum(r["loon"] for r in in_ref if reserveert[r["werkgever"]])
        b = sum(r["vakantiebijslag"] for r in in_ref if reserveert[r["werkgever"]])
        c = sum(r["loon"] for r in in_ref if not reserveert[r["werkgever"]])
        dagloon = round_cent((Fraction(a - b) * Fraction(108, 100) + c) / 261)
    else:
        a = sum(r["loon"] for r in in_ref)
        b = sum(r["vakantiebijslag"] for r in in_ref)
        c = sum(r["opgebouwd"] for r in in_ref)
        dagloon = round_cent(Fraction(a - b + c, 261))
    for day, pct in HERZIENING:
        d = datetime.date.fromisoformat(day).toordinal()
        if ref[1] < d <= einde_wachttijd:
            dagloon = round_cent(dagloon * (1 + Fraction(pct) / 100))
    return dagloon


class WiaOptions:
    """The knobs of a WIA population; the defaults give the legacy population byte for byte."""

    def __init__(self, vanaf=None, tot=None, afwijkend=100, loonloos_afwijkend=0, grenzen=0,
                 art19=0, art22=0, art20=0, hulpbehoevend=0, art13=0, art16_lid_5=0, art25=0):
        # eerste_ao_dag in [ao_lo, ao_hi); eerste rechtdag (ao + 104 weeks, or later) <= last
        self.ao_lo = ordinal(2013, 1, 1) if vanaf is None else vanaf - 728
        self.ao_hi = ordinal(2025, 1, 1) if tot is None else tot - 728 + 1
        self.last = LAST_RECHTDAG if tot is None else tot
        self.afwijkend = afwijkend
        self.loonloos_afwijkend = loonloos_afwijkend
        self.grenzen = grenzen
        self.art19 = art19
        self.art22 = art22
        self.art20 = art20
        self.hulpbehoevend = hulpbehoevend
        self.art13 = art13
        self.art16_lid_5 = art16_lid_5
        self.art25 = art25


def make_dossier(rng, index, opts=None):
    """One dossier as a dict in the field order of invoer.rules."""
    opts = opts or WiaOptions()
    kind = "vier_weken" if rng.chance(120) else "maand"
    ao = opts.ao_lo + rng.below(opts.ao_hi - opts.ao_lo)
    if opts.grenzen and rng.chance(opts.grenzen):              # no draw in the legacy population
        ao = near_boundary(rng, ao + 728, opts.ao_lo + 728, opts.ao_hi - 1 + 728) - 728
    scenario = rng.weighted([(15, "nieuw"), (80, "starter"), (70, "wissel"), (110, "bijbaan"),
                             (20, "uitkering"), (705, "gewoon")])
    einde_verzekering = None
    if scenario in ("gewoon", "bijbaan") and rng.chance(30):      # nawerking (WIA art 10)
        einde_verzekering = ao - rng.between(1, 28)
    ref = referteperiode(kind, einde_verzekering or ao)

    # eerste rechtdag: after 104 weeks; later after a sanction or a later right (art 21)
    # (not after LAST_RECHTDAG: the tables hold no revision after it yet)
    rechtdag, einde_wachttijd = ao + 728, None
    later = rng.weighted([(880, None), (80, "sanctie"), (40, "art21")])
    room = (opts.last - rechtdag) // 7                         # weeks left
    if later == "sanctie" and room >= 4:
        rechtdag += 7 * rng.between(4, min(52, room))
    elif later == "art21" and room >= 8:
        einde_wachttijd = rechtdag
        rechtdag += 7 * rng.between(8, min(150, room))

    emps = make_employers(rng, scenario, ref, ao, kind)
    for emp in emps:
        if einde_verzekering is not None and (emp.end is None or emp.end > einde_verzekering):
            emp.end = einde_verzekering
        emp.may_payment = emp.reserveert and rng.chance(850)
        emp.opgebouwd = emp.reserveert and rechtdag >= ordinal(2022, 1, 1) and rng.chance(600)

    last_day = tijdvak_of(kind, ao)[1] if einde_verzekering is None else einde_verzekering
    tvs = tijdvak_list(kind, ref[0], last_day)
    if scenario == "nieuw":
        tvs = [tijdvak_of(kind, ao)]
    wageless = set()
    if scenario in ("gewoon", "bijbaan", "uitkering"):
        wageless = choose_wageless(rng, tvs, ref)
    rows = make_wages(rng, emps, tvs, kind, wageless)

    dossier_extra = {}
    if scenario == "nieuw":
        # only the wage before the day of intreden counts (art 18 lid 2); D may be 0 (lid 3)
        emp, row = emps[0], rows[0]
        daily = emp.base * 12 // 261
        row["loon"] = daily * workdays(emp.aanvang, ao - 1)
        row["vakantiebijslag"] = 0
        row["opgebouwd"] = row["loon"] * 8 // 100 if emp.opgebouwd else 0
        dossier_extra["overeengekomen_loon"] = money(emp.base if kind == "maand"
                                                     else emp.base * 12 // 13)

    afwijkend = []
    if scenario not in ("nieuw", "uitkering") and rng.chance(opts.afwijkend):
        a = make_afwijkend(rng, emps, rows, ref, wageless, opts.loonloos_afwijkend)
        if a is not None:
            afwijkend.append(a)

    if einde_wachttijd is not None:
        simple = (kind == "maand" and not afwijkend and scenario in ("gewoon", "bijbaan")
                  and not wageless and einde_verzekering is None
                  and einde_wachttijd <= HORIZON)          # no revision known after it
        if simple:
            dossier_extra["einde_wachttijd"] = iso(einde_wachttijd)
            dossier_extra["dagloon_einde_wachttijd"] = money(
                art_21_dagloon(emps, rows, ref, einde_wachttijd))

    d = {
        "id": "G%06d" % (index + 1),
        "eerste_ao_dag": iso(ao),
        "eerste_rechtdag": iso(rechtdag),
        "aangiftetijdvak": kind,
        "dienstbetrekkingen": [{"werkgever": e.name, "aanvang": iso(e.aanvang),
                                "reserveert_vakantiebijslag": e.reserveert} for e in emps],
        "loon": [dict(r, tijdvak=period(r["tijdvak"]), loon=money(r["loon"]),
                      vakantiebijslag=money(r["vakantiebijslag"]), opgebouwd=money(r["opgebouwd"]))
                 for r in rows],
        "afwijkende_tijdvakken": afwijkend,
    }
    if einde_verzekering is not None:
        d["einde_verzekering"] = iso(einde_verzekering)
    d.update(dossier_extra)
    # For grouping in policy reports only (the rules do not read them); drawn last, so the
    # rest of the dossier is the same as without them.
    d["sector"] = pick_weighted(rng, SECTORS)
    age = 20 + rng.below(47)  # 20..66 on the first day of incapacity
    d["geboortedatum"] = iso(ordinal(datetime.date.fromordinal(ao).year - age, 1 + rng.below(12), 1 + rng.below(28)))
    if opts.art19 and rng.chance(opts.art19):                  # no draw in the legacy population
        # DB art 19: an earlier WAO/WIA benefit, ended (with ingang van einde) because the worker
        # started earning by work (aanvang, 0-90 days earlier), 30 days to 5 years before the
        # first day of incapacity: about half of them inside the five years before the eerste
        # rechtdag, and the worker 45 or older at aanvang in about half. Its dagloon: 0.8 to 3
        # times the daily minimum wage of the year of einde (some above the present dagloon).
        einde = ao - rng.between(30, 5 * 365)
        aanvang = einde - rng.between(0, 90)
        year = max(min(datetime.date.fromordinal(einde).year, max(WML)), min(WML))
        d["vorige_dagloon"] = money(WML[year] * 12 * rng.between(800, 3000) // 261 // 10)
        d["einde_vorige_uitkering"] = iso(einde)
        d["aanvang_arbeid_na_uitkering"] = iso(aanvang)
    if opts.art22 and rng.chance(opts.art22):                  # no draw in the legacy population
        # DB art 22: the wage of one werkgever was cut on the first day of one of its tijdvakken;
        # the wages given are the lower ones, and from that tijdvak on the wage without the cut is
        # 1.05 to 1.50 times it (so 9/7 = 1.286 bounds part of them). Whether the worker was 55
        # then follows from the geboortedatum drawn above (about one in five).
        emp = rng.pick(d["dienstbetrekkingen"])
        own = [r for r in d["loon"] if r["werkgever"] == emp["werkgever"]]
        if own:
            cut = rng.pick(own)["tijdvak"].split("/")[0]
            emp["loonsverlaging"] = cut
            factor = rng.between(1050, 1500)
            for r in own:
                if r["tijdvak"].split("/")[0] >= cut:
                    euro, cent = r["loon"].split(".")
                    r["loon_zonder_verlaging"] = money((int(euro) * 100 + int(cent)) * factor // 1000)
    if opts.art20 and rng.chance(opts.art20):                  # no draw in the legacy population
        # DB art 20: a maatmaninkomen per hour of 0.6 to 1.6 times the hourly minimum wage (WML of
        # the year of the first day of incapacity / 173.33 hours) and 12 to 40 hours a week.
        year = max(min(datetime.date.fromordinal(ao).year, max(WML)), min(WML))
        d["maatmaninkomen_per_uur"] = money(WML[year] * 100 * 3 * rng.between(600, 1600) // 520000)
        d["urenomvang_per_week"] = str(rng.between(12, 40))
    if opts.hulpbehoevend:                                     # no draw in the legacy population
        # DB art 16 lid 3 sub c/d: a benefit raised for hulpbehoevendheid (WIA art 53/63) with a
        # factor 76/75 .. 100/75; half of them the full 100/75.
        for r in d["loon"]:
            if "uitkeringspercentage" in r and rng.chance(opts.hulpbehoevend):
                teller = 100 if rng.chance(500) else rng.between(76, 99)
                r["hulpbehoevendheid_teller"] = "%d.%02d" % (teller // 100, teller % 100)
    bdr_toeslag = getattr(opts, "bdr_toeslag", 0)               # set by parse_args (--bdr-toeslag)
    if bdr_toeslag and rechtdag <= ordinal(2013, 6, 30):       # no draw in the legacy population
        # BDR art 2 lid 2 C and D (rights under the Besluit dagloonregels 2005 only): a benefit
        # loonregel with a Toeslagenwet toeslag of 0-15 % and an aanvulling of 0-30 % of the benefit.
        for r in d["loon"]:
            if "uitkeringspercentage" in r and rng.chance(bdr_toeslag):
                euro, cent = r["loon"].split(".")
                cents = int(euro) * 100 + int(cent)
                r["toeslag"] = money(cents * rng.between(0, 150) // 1000)
                r["aanvulling"] = money(cents * rng.between(0, 300) // 1000)
    if opts.art13 and len(d["dienstbetrekkingen"]) >= 2 and rng.chance(opts.art13):
        # DB art 13 lid 1 second part: the last dienstbetrekking (begun on or before the first day of
        # incapacity) reports over the other kind of tijdvak; its loonregels are left as they are, so
        # only the end of the referteperiode moves.
        emp = d["dienstbetrekkingen"][-1]
        if emp["aanvang"] <= d["eerste_ao_dag"]:
            emp["aangiftetijdvak"] = "maand" if kind == "vier_weken" else "vier_weken"
    if opts.art16_lid_5 and rng.chance(opts.art16_lid_5):
        # DB art 16 lid 5: a werkgever whose last tijdvak ends 30 days or more before the end of the
        # referteperiode ended the employment without the notice period; the notice period (text from
        # 1-12-2016) would have ended, or (text before) the arbeidsurenverlies began, 15 to 120 days
        # after that end.
        ref_end = tijdvak_of(kind, ao)[0] - 1
        last = {}
        for r in d["loon"]:
            end = datetime.date.fromisoformat(r["tijdvak"].split("/")[1]).toordinal()
            last[r["werkgever"]] = max(last.get(r["werkgever"], 0), end)
        ended = sorted(w for w, e in last.items() if e <= ref_end - 30)
        if ended:
            einde = last[rng.pick(ended)]
            d["einde_dienstbetrekking_zonder_opzegtermijn"] = iso(einde)
            later = iso(einde + rng.between(15, 120))
            if d["eerste_rechtdag"] >= "2016-12-01":
                d["einde_opzegtermijn"] = later
            else:
                d["intreden_arbeidsurenverlies"] = later
    if opts.art25 and rng.chance(opts.art25):
        # DB art 25: this WIA benefit at 70 or 75 % and one or two other benefits at the same time
        d["samenloop_percentage_wia"] = rng.pick(["0.70", "0.75"])
        for k in (1, 2) if rng.chance(250) else (1,):
            d["samenloop_dagloon_%d" % k] = money(rng.between(2000, 25000))
            d["samenloop_percentage_%d" % k] = rng.pick(["0.70", "0.75", "1"])
    return d


# Sectors with a weight per mille (a rough shape of the WIA inflow, not statistics).
SECTORS = [("zorg", 220), ("industrie", 120), ("handel", 120), ("onderwijs", 90), ("bouw", 80),
           ("overheid", 80), ("zakelijke_diensten", 110), ("uitzendwerk", 70), ("horeca", 40), ("overig", 70)]


def pick_weighted(rng, table):
    """One name from (name, per mille) pairs that add up to 1000."""
    r = rng.below(1000)
    for name, w in table:
        if r < w:
            return name
        r -= w
    return table[-1][0]


# ---------------------------------------------------------------- WW and ZW dossiers
# rules/ww (DB hoofdstuk 2) and rules/zw (DB hoofdstuk 2a): the referteperiode ends with the SECOND
# aangiftetijdvak before the one of the eerste werkloosheidsdag / eerste ziektedag (WIA: the first).
# The shapes are those of the WIA population (monthly and four-weekly tijdvakken, one or two
# werkgevers, job changes, starters, wage-less months) plus what these laws add: an omstandigheid
# (verlof, ziekte, werkstaking; ZW also arbeidsongeschiktheid) with less or no wage and the agreed
# wage, ziekengeld (WW: in the loonregel, (100 x G)/H; ZW: between successive contracts), earlier WW
# rights (art 2 lid 2 and 3), no wage in the year (WW art 2 lid 4; ZW art 12e lid 4, D may be 0:
# E / F), successive contracts at the same werkgever (ZW art 12c lid 2) and nawerking (ZW art 46).

class RegelingOptions:
    """The knobs of a WW or ZW population: the range of the eerste werkloosheidsdag (WW) or the
    eerste rechtdag (ZW), the share of dossiers with an omstandigheid and how often such a tijdvak
    has no wage at all (per mille)."""

    def __init__(self, vanaf, tot, afwijkend, loonloos_afwijkend, grenzen=0):
        self.lo, self.hi = vanaf, tot
        self.afwijkend = afwijkend
        self.loonloos_afwijkend = loonloos_afwijkend
        self.grenzen = grenzen


# The dates on which the texts (or the tables) change what the omstandigheden and wage-less
# months do: the Dagloonbesluit replacing the Besluit dagloonregels 2005 (DB art 26, 1-7-2013; only
# inside a range from --vanaf before it, so the default populations keep their bytes), DB art 27 (1-7-2015), art 27a (1-12-2016), werkstaking (1-9-2017), art 27c
# (1-12-2017), art 27b (29-06-2018), art 27e (1-1-2022), the tables' horizon (1-1-2027).
BOUNDARIES = ["2013-07-01", "2015-07-01", "2016-12-01", "2017-09-01", "2017-12-01", "2018-06-29", "2022-01-01",
              "2027-01-01"]


def near_boundary(rng, day, lo, hi):
    """A day within 60 days before or after a boundary inside lo..hi (else day itself)."""
    inside_range = [datetime.date.fromisoformat(b).toordinal() for b in BOUNDARIES]
    inside_range = [b for b in inside_range if lo <= b <= hi]
    if not inside_range:
        return day
    return min(max(rng.pick(inside_range) + rng.between(-60, 59), lo), hi)


def referteperiode_tweede(kind, day):
    """DB art 2 lid 1 / art 12b lid 1: the year ending with the second tijdvak before day's."""
    t = tijdvak_of(kind, day)
    end = tijdvak_of(kind, t[0] - 1)[0] - 1
    return (one_year_back(end + 1), end)


def agreed_wage(emp, kind):
    """The agreed (regular) wage of a tijdvak, in cents."""
    return emp.base if kind == "maand" else emp.base * 12 // 13


# Wage of a tijdvak with an omstandigheid, per mille of the regular wage (as make_afwijkend).
OMSTANDIGHEID_FACTOR = {"verlof": (0, 800), "ziekte": (0, 1000), "werkstaking": (300, 900),
                        "arbeidsongeschiktheid": (0, 1000)}


def lower_wages(rng, rows, counted, ref, wageless, opts, weights):
    """One or two tijdvakken (of a dienstbetrekking in `counted`, a dict name -> aanvang; the
    whole tijdvak in dienst and inside the referteperiode, with wage) get an omstandigheid and
    less wage, or none at all in opts.loonloos_afwijkend per mille. (A partial first tijdvak is
    left alone, and a dienstbetrekking with fewer than 3 such tijdvakken.) Returns [(row, omstandigheid, regular wage in cents)]."""
    candidates = [r for r in rows if r["werkgever"] in counted and inside(r["tijdvak"], ref)
                  and counted[r["werkgever"]] <= r["tijdvak"][0]
                  and r["tijdvak"] not in wageless and r["loon"] > 0]
    # and a dienstbetrekking keeps a tijdvak with wage: with only strike months left (before
    # 1-9-2017, or the text of 2013) D would be 0, an error row in rules/ww and rules/zw
    per = {}
    for r in candidates:
        per[r["werkgever"]] = per.get(r["werkgever"], 0) + 1
    candidates = [r for r in candidates if per[r["werkgever"]] >= 3]
    out = []
    for _ in range(1 if rng.chance(750) else 2):
        if not candidates:
            break
        row = rng.pick(candidates)
        candidates = [r for r in candidates if r is not row]
        o = rng.weighted(weights)
        regular = row["loon"] - row["vakantiebijslag"]
        if rng.chance(opts.loonloos_afwijkend):
            reduced = 0
            row["vakantiebijslag"] = 0
        else:
            reduced = regular * rng.between(*OMSTANDIGHEID_FACTOR[o]) // 1000
        row["loon"] = reduced + row["vakantiebijslag"]
        if row["opgebouwd"]:
            row["opgebouwd"] = reduced * 8 // 100
        out.append((row, o, regular))
    return out


def ww_employers(rng, scenario, ref, day, kind):
    """The dienstbetrekkingen of a WW dossier and the one the worker became unemployed from."""
    if scenario == "nieuw":                      # art 2 lid 4: in dienst after the year
        # at least one dagloondag before the day (until issue 15 rules/ww divided by D = 0 in its
        # output column dagloon_zonder_art6; D = 0 now gives E / F, art 5 lid 6, but the population
        # keeps its bytes)
        aanvang = rng.between(ref[1] + 1, day - 1)
        if workdays(aanvang, day - 1) == 0:
            aanvang = day - 7
        emp = Employer("W1", aanvang, wml_cents(
            datetime.date.fromordinal(ref[0]).year) * wage_multiple(rng) // 1000, rng.chance(780))
        emps = [emp]
    else:
        emps = make_employers(rng, scenario if scenario != "eerder_recht" else "gewoon",
                              ref, day, kind)
    werkloos = emps[1] if scenario == "wissel" else emps[0]
    werkloos.end = day - 1 if werkloos.end is None else min(werkloos.end, day - 1)
    return emps, werkloos


def make_ww_dossier(rng, index, opts):
    """One rules/ww dossier as a dict in the field order of rules/ww/invoer.rules."""
    kind = "vier_weken" if rng.chance(120) else "maand"
    day = opts.lo + rng.below(opts.hi - opts.lo + 1)          # eerste werkloosheidsdag
    if opts.grenzen and rng.chance(opts.grenzen):
        day = near_boundary(rng, day, opts.lo, opts.hi)
    scenario = rng.weighted([(30, "nieuw"), (80, "starter"), (70, "wissel"), (110, "bijbaan"),
                             (60, "eerder_recht"), (650, "gewoon")])
    if scenario == "nieuw" and kind == "vier_weken":
        # a four-weekly tijdvak's wage goes to the month of its last day (art 5 lid 5): a short
        # period would have only wage-less months, D = 0, an error row in rules/ww today
        scenario = "starter"
    ref = referteperiode_tweede(kind, day)
    emps, werkloos = ww_employers(rng, scenario, ref, day, kind)
    for emp in emps:
        emp.may_payment = emp.reserveert and rng.chance(850)
        # opgebouwd bedragen count from 2022 and under the Besluit dagloonregels 2005 (BDR art 3 lid 1:
        # D + E, rights before 1-7-2013); not drawn for other days, so those dossiers keep their bytes
        emp.opgebouwd = emp.reserveert and (day >= ordinal(2022, 1, 1) or day < ordinal(2013, 7, 1)) \
            and rng.chance(600)
    if emps[0].aanvang > ref[1]:
        tvs = tijdvak_list(kind, emps[0].aanvang, tijdvak_of(kind, day)[1])
    else:
        tvs = tijdvak_list(kind, ref[0], tijdvak_of(kind, day)[1])
    wageless = set()
    if scenario in ("gewoon", "bijbaan"):
        wageless = choose_wageless(rng, tvs, ref)
    rows = make_wages(rng, emps, tvs, kind, wageless)

    lowered = []
    if scenario != "nieuw" and rng.chance(opts.afwijkend):
        lowered = lower_wages(rng, rows, {e.name: e.aanvang for e in emps}, ref, wageless, opts,
                              [(400, "verlof"), (350, "ziekte"), (250, "werkstaking")])
    extra = {id(r): {} for r in rows}
    for row, o, regular in lowered:
        x = extra[id(row)]
        x["omstandigheid"] = o
        x["overeengekomen_loon"] = regular
        if o == "ziekte" and rng.chance(350):                  # ziekengeld as wage (art 5 lid 7)
            pct = rng.pick([70, 70, 70, 80, 100])
            x["ziekengeld"] = (regular - (row["loon"] - row["vakantiebijslag"])) * pct // 100
            x["uitkeringspercentage"] = pct

    rechten = []
    if scenario == "eerder_recht" or rng.chance(20):
        which = rng.weighted([(500, "lid2"), (300, "lid3"), (200, "ouder")])
        if scenario != "eerder_recht" or (which == "lid3" and kind == "vier_weken"):
            which = "ouder"      # a short period with wage-less months only: D = 0, an error row
        # not in the last weeks: a period without dagloondagen (D = 0) is an error row in rules/ww
        if which == "lid2":
            rechten.append(rng.between(ref[0] + 1, ref[1] - 30))
        elif which == "lid3":
            rechten.append(rng.between(ref[1] + 1, day - 14))
        rechten.insert(0, ref[0] - rng.between(30, 2000))     # an older right does not count

    dossier = {
        "id": "W%06d" % (index + 1),
        "eerste_werkloosheidsdag": iso(day),
        "aangiftetijdvak": kind,
        "dienstbetrekkingen": [{"werkgever": e.name, "aanvang": iso(e.aanvang),
                                "reserveert_vakantiebijslag": e.reserveert,
                                "werkloos_uit": e is werkloos} for e in emps],
        "loon": [{"werkgever": r["werkgever"], "tijdvak": period(r["tijdvak"]),
                  "loon": money(r["loon"]), "vakantiebijslag": money(r["vakantiebijslag"]),
                  "opgebouwd": money(r["opgebouwd"]),
                  "ziekengeld": money(extra[id(r)].get("ziekengeld", 0)),
                  "uitkeringspercentage": str(extra[id(r)].get("uitkeringspercentage", 0)),
                  "omstandigheid": extra[id(r)].get("omstandigheid", "geen"),
                  "overeengekomen_loon": money(extra[id(r)].get("overeengekomen_loon", 0))}
                 for r in rows],
        "eerdere_ww_rechten": [{"eerste_werkloosheidsdag": iso(d)} for d in rechten],
        "overeengekomen_loon_e": money(agreed_wage(werkloos, kind)),
    }
    # DB art 2 lid 8 and 9 (issue 15): a worker under 35% arbeidsongeschikt after the WIA wachttijd
    # (or ZW ended after 52 weeks), 4 per cent of the ordinary dossiers from 1-12-2016. Drawn from
    # a generator of its own, seeded from this dossier's state, so every other field and dossier
    # keeps its bytes. The wage history starts with the year of lid 1, so the arbeidsongeschiktheid
    # starts after that year (lid 8's year is then that year or one tijdvak later); in a real
    # dossier it lies some two years earlier, with wage the generator does not write. One in
    # four of them rests on ZW art 46 (lid 9: einde_verzekering_zw46 in the same window).
    sub = Rng(rng.s ^ 0x4C49443839)
    if scenario == "gewoon" and day >= ordinal(2016, 12, 1) and sub.chance(40):
        dossier["arbeidsongeschikt_vanaf"] = iso(sub.between(ref[1] + 1, day - 1))
        if sub.chance(250):
            dossier["einde_verzekering_zw46"] = iso(sub.between(ref[1] + 1, day - 1))
    # DB art 27c lid 2-4 (issue 15), rights from 1-7-2015 to 30-11-2017: 10 per cent asked for a
    # herziening (1-1-2018 .. 30-6-2019; before 1-7-2018 with the answer about the tegemoetkoming),
    # 10 per cent give the date of the beschikking (5 to 40 days after the first day).
    if ordinal(2015, 7, 1) <= day < ordinal(2017, 12, 1):
        if sub.chance(100):
            asked = sub.between(ordinal(2018, 1, 1), ordinal(2019, 6, 30))
            dossier["herziening_27c_gevraagd"] = iso(asked)
            if asked < ordinal(2018, 7, 1):
                dossier["tegemoetkoming_27c"] = sub.chance(300)
        elif sub.chance(111):
            dossier["beschikking_ww_recht"] = iso(day + sub.between(5, 40))
    return dossier


# ZW art 29 / DB art 27d: ziekengeld between successive contracts with an eerste rechtdag in this
# window is an error row in rules/zw (the entry into force of the increase was not found); the
# generator gives no ziekengeld_tussen there.
ZW_ZIEKENGELD_GAP = (ordinal(2018, 6, 30), ordinal(2020, 12, 3))


def make_zw_dossier(rng, index, opts):
    """One rules/zw dossier as a dict in the field order of rules/zw/invoer.rules."""
    kind = "vier_weken" if rng.chance(120) else "maand"
    rechtdag = opts.lo + rng.below(opts.hi - opts.lo + 1)     # eerste rechtdag
    if opts.grenzen and rng.chance(opts.grenzen):
        rechtdag = near_boundary(rng, rechtdag, opts.lo, opts.hi)
    ziek = rechtdag - rng.weighted([(700, 2), (200, 0), (100, 1)])
    scenario = rng.weighted([(30, "nieuw"), (80, "starter"), (70, "wissel"), (110, "bijbaan"),
                             (90, "opvolgend"), (620, "gewoon")])
    einde = None
    if scenario in ("gewoon", "bijbaan") and rng.chance(40):  # nawerking (ZW art 46)
        einde = ziek - rng.between(1, 28)
    ref = referteperiode_tweede(kind, einde or ziek)
    year = datetime.date.fromordinal(ref[0]).year

    zg_rows, opvolgend = [], set()
    if scenario == "nieuw":                      # art 12e lid 4: in dienst after the referteperiode
        emps = [Employer("W1", rng.between(ref[1] + 1, ziek),
                         wml_cents(year) * wage_multiple(rng) // 1000, rng.chance(780))]
        ziek_uit = emps[0]
    elif scenario == "opvolgend":                # art 12c lid 2/4: two contracts, same werkgever
        base = wml_cents(year) * wage_multiple(rng) // 1000
        c1 = Employer("W1", ref[0] - rng.between(30, 1500), base, rng.chance(780))
        c1.end = ref[0] + rng.between(60, 250)
        gap = 0 if rng.chance(400) else rng.between(1, 100)
        c2 = Employer("W1", c1.end + 1 + gap, base * rng.between(950, 1100) // 1000, c1.reserveert)
        emps, ziek_uit = [c1, c2], c2
        if rng.chance(800):
            opvolgend.add(0)                     # else an earlier contract that does not count
        if gap >= 28 and not (ZW_ZIEKENGELD_GAP[0] <= rechtdag <= ZW_ZIEKENGELD_GAP[1]) \
                and rng.chance(600):             # ziek between the contracts (art 12c lid 3)
            pct = rng.pick(["0.70", "0.70", "1.00"])
            tv = tijdvak_of(kind, c1.end + 1)
            while tv[1] < c2.aanvang:
                if tv[0] > c1.end and inside(tv, ref):
                    zg_rows.append((tv, agreed_wage(c1, kind) * int(Fraction(pct) * 100) // 100, pct))
                tv = tijdvak_of(kind, tv[1] + 1)
    else:
        emps = make_employers(rng, scenario, ref, ziek, kind)
        ziek_uit = emps[1] if scenario == "wissel" else emps[0]
    for emp in emps:
        if einde is not None and (emp.end is None or emp.end > einde):
            emp.end = einde
        emp.may_payment = emp.reserveert and rng.chance(850)
        emp.opgebouwd = emp.reserveert and (rechtdag >= ordinal(2022, 1, 1)
                                            or rechtdag < ordinal(2013, 7, 1)) and rng.chance(600)
    ids = ["c%d" % (k + 1) if scenario == "opvolgend" else "d%d" % (k + 1)
           for k in range(len(emps))]
    for k, e in enumerate(emps):                 # make_wages names rows by Employer.name
        e.werkgever, e.name = e.name, ids[k]
    counted = {e.name: e.aanvang for k, e in enumerate(emps) if e is ziek_uit or k in opvolgend}

    start = min(ref[0], emps[0].aanvang) if scenario != "nieuw" else emps[0].aanvang
    tvs = tijdvak_list(kind, max(start, ref[0]), tijdvak_of(kind, einde or ziek)[1])
    wageless = set()
    if scenario in ("gewoon", "bijbaan"):
        wageless = choose_wageless(rng, tvs, ref)
    rows = make_wages(rng, emps, tvs, kind, wageless)

    afwijkend = []
    if scenario != "nieuw" and rng.chance(opts.afwijkend):
        for row, o, regular in lower_wages(
                rng, rows, counted, ref, wageless, opts,
                [(350, "verlof"), (300, "ziekte"), (250, "werkstaking"),
                 (100, "arbeidsongeschiktheid")]):
            afwijkend.append({"dienstbetrekking": row["werkgever"], "tijdvak": period(row["tijdvak"]),
                              "omstandigheid": o, "overeengekomen_loon": money(regular),
                              "mede_ziekengeld": o in ("ziekte", "arbeidsongeschiktheid")
                              and rng.chance(150)})
            if row["loon"] == 0 and rng.chance(500):
                rows.remove(row)                 # no opgave at all for the tijdvak

    dossier = {
        "id": "Z%06d" % (index + 1),
        "eerste_ziektedag": iso(ziek),
        "eerste_rechtdag": iso(rechtdag),
        "aangiftetijdvak": kind,
        "ziek_uit": ziek_uit.name,
        "overeengekomen_loon_tijdvak_ziekte": money(agreed_wage(ziek_uit, kind)),
        "verzekering_geeindigd": [] if einde is None else [{"datum": iso(einde)}],
        "dienstbetrekkingen": [{"id": e.name, "werkgever": e.werkgever, "aanvang": iso(e.aanvang),
                                "reserveert_vakantiebijslag": e.reserveert,
                                "opvolgend": k in opvolgend} for k, e in enumerate(emps)],
        "loon": [{"dienstbetrekking": r["werkgever"], "tijdvak": period(r["tijdvak"]),
                  "loon": money(r["loon"]), "vakantiebijslag": money(r["vakantiebijslag"]),
                  "opgebouwd": money(r["opgebouwd"])} for r in rows],
        "ziekengeld_tussen": [{"tijdvak": period(tv), "ziekengeld": money(c),
                               "uitkeringspercentage": pct} for tv, c, pct in zg_rows],
        "afwijkende_tijdvakken": afwijkend,
    }
    # DB art 12b lid 2 (issue 15): the dienstbetrekking ended before the end of the referteperiode of
    # lid 1 -- 3 per cent of the ordinary dossiers (no nawerking) with an eerste rechtdag from
    # 1-7-2015. Drawn from a generator of its own, seeded from this dossier's state, so every other
    # dossier keeps its bytes; this one loses the opgaven of tijdvakken that begin after the end.
    sub = Rng(rng.s ^ 0x31326232)
    if scenario == "gewoon" and einde is None and rechtdag >= ordinal(2015, 7, 1) and sub.chance(30):
        end = sub.between(ref[0] + 180, ref[1] - 1)

        def gone(x):
            return x["dienstbetrekking"] == ziek_uit.name \
                and datetime.date.fromisoformat(x["tijdvak"].split("/")[0]).toordinal() > end
        dossier["loon"] = [x for x in dossier["loon"] if not gone(x)]
        dossier["afwijkende_tijdvakken"] = [x for x in afwijkend if not gone(x)]
        for d in dossier["dienstbetrekkingen"]:
            if d["id"] == ziek_uit.name:
                d["einde"] = iso(end)
    return dossier



# ---------------------------------------------------------------- the benefit (--uitkering)
# Fields for rules/wia_uitkering (WIA art 51-62, 59) and the ZW ziekengeld_grond, from a stream
# of their own (salt UITKERING_SALT), added after the dossier's own fields.
UITKERING_SALT = 0x55494B5455494B54


def wia_uitkering_fields(rng, dossier):
    """The optional benefit fields of rules/wia/invoer.rules. A WGA's loongerelateerde duration
    (art 59) is kept at 3 months or more, so the second and third month of the right fall inside it
    (rules/wia_uitkering gives an error row after it: art 60 needs the inkomenseis)."""
    year = int(dossier["eerste_rechtdag"][:4])
    soort = "iva" if rng.chance(200) else "wga"
    mate = rng.between(80, 100) if soort == "iva" else rng.between(35, 100)
    f = {"wia_uitkering": soort,
         "mate_arbeidsongeschiktheid": "%d.%02d" % (mate // 100, mate % 100) if mate < 100 else "1",
         "inkomen_per_maand": money(0 if rng.chance(500) else rng.between(5000, 300000)),
         "minimumloon_per_maand": money(wml_cents(year + (1 if year > 2025 else 0))),
         "arbeidsverleden_jaren": rng.between(0, 45)}
    if soort == "wga":
        duur = min(38, 3 + max(0, f["arbeidsverleden_jaren"] - 3))          # art 59 lid 1
        if rng.chance(100):                                                # lid 2
            f["maanden_iva_ervoor"] = rng.between(1, 40)
            duur = max(min(duur, 12), duur - f["maanden_iva_ervoor"])
        if rng.chance(150) and duur > 3:                                   # lid 3
            f["maanden_ww_ervoor"] = rng.between(0, duur - 3)
        # art 60: the inkomenseis (drawn after the fields above, so they stay as they were): a
        # quarter can earn at most 20 % of the maatmaninkomen, the rest has a remaining earning
        # capacity of 0.3 to 1.5 times the minimum wage per month
        f["verdiencapaciteit_ten_hoogste_20_procent"] = rng.chance(250)
        if not f["verdiencapaciteit_ten_hoogste_20_procent"]:
            f["resterende_verdiencapaciteit_per_maand"] = money(
                wml_cents(year + (1 if year > 2025 else 0)) * rng.between(300, 1500) // 1000)
    return f


ZW_GRONDEN = [(600, "gewoon"), (50, "orgaandonatie"), (150, "zwangerschap"), (100, "no_risk"),
              (50, "no_risk_op_verzoek"), (30, "oudere_ww"), (20, "oudere_ww_op_verzoek")]


def with_uitkering(make, regeling, seed, share, art53=0, art59_lid_4=0, art61_lid_7=0, art63=0):
    def make_with(rng, index, opts):
        d = make(rng, index, opts)
        r = dossier_rng(seed ^ UITKERING_SALT, index)
        if r.chance(share):
            if regeling == "wia":
                d.update(wia_uitkering_fields(r, d))
                iva = d["wia_uitkering"] == "iva"
                if art53 and iva and r.chance(art53):
                    # WIA art 53: the IVA raised by teller/75, half of them the full 100/75
                    teller = 100 if r.chance(500) else r.between(76, 99)
                    d["iva_hulpbehoevendheid_teller"] = "%d.%02d" % (teller // 100, teller % 100)
                if art59_lid_4 and not iva and r.chance(art59_lid_4):
                    # art 59 lid 4: a right that did not arise (art 43 sub a 1), its wachttijd begun
                    # 1-6 years before the first day of incapacity, 3 to 38 months of loongerelateerde
                    ao = datetime.date.fromisoformat(d["eerste_ao_dag"]).toordinal()
                    d["eerste_dag_wachttijd_niet_ontstaan_recht"] = iso(ao - r.between(365, 6 * 365))
                    d["duur_loongerelateerd_niet_ontstaan_recht"] = r.between(3, 38)
                if art61_lid_7 and not iva and r.chance(art61_lid_7):
                    # art 61 lid 7: the degree changed 0-150 days after the eerste rechtdag from a
                    # degree of 35-100 %
                    rd = datetime.date.fromisoformat(d["eerste_rechtdag"]).toordinal()
                    vorige = r.between(35, 100)
                    d["vorige_mate_arbeidsongeschiktheid"] = ("%d.%02d" % (vorige // 100, vorige % 100)
                                                              if vorige < 100 else "1")
                    d["mate_gewijzigd_op"] = iso(rd + r.between(0, 150))
                if art63 and not iva and d["verdiencapaciteit_ten_hoogste_20_procent"] and r.chance(art63):
                    # art 63: the WGA of someone who can earn at most 20 % raised by teller/70 (71-100)
                    teller = 100 if r.chance(500) else r.between(71, 99)
                    d["wga_hulpbehoevendheid_teller"] = "%d.%02d" % (teller // 100, teller % 100)
            else:
                grond = r.weighted(ZW_GRONDEN)
                d["ziekengeld_grond"] = grond
                if grond.endswith("_op_verzoek"):
                    # ZW art 29b lid 6, 29d lid 3: the wage owed per day, around the dagloon
                    d["loon_werkgever_per_dag"] = money(r.between(5000, 40000))
        return d
    return make_with


# ---------------------------------------------------------------- issue 15 part 2, rules/ww and rules/zw
# The optional fields of WW art 18 (DB art 2 lid 5-6, art 3 lid 2, art 5 lid 4), DB art 2 lid 7, art 8
# and 9, art 12 and the revision of a running dagloon (WW art 1b lid 7, ZW art 16 lid 1). Each option
# draws from a stream of its own (salt ARTWW2_SALT and the option's number), added after the
# dossier's own fields: without the options the output keeps its bytes, and one option does not move
# the draws of another.
ARTWW2_SALT = 0x4152545757320000
WAO_KLASSE_MIDDEN = ["20", "30", "40", "50", "60", "72.5"]      # WAO classes 15-25 .. 65-80 %


def with_artww2(make, regeling, seed, o):
    def make_with(rng, index, opts):
        d = make(rng, index, opts)
        day_key = "eerste_werkloosheidsdag" if regeling == "ww" else "eerste_rechtdag"
        day = datetime.date.fromisoformat(d[day_key]).toordinal()

        def stream(k):
            return dossier_rng(seed ^ ARTWW2_SALT ^ k, index)
        r = stream(1)
        if o.herzien and r.chance(o.herzien) and day <= HORIZON:
            d["herzien_tot"] = iso(min(HORIZON, day + r.between(0, 730)))
        if regeling != "ww":
            return d
        r = stream(2)
        art18 = o.art18 and r.chance(o.art18)
        if art18:
            d["uitkering_art18"] = True
        r = stream(3)
        if o.opeenvolgend and r.chance(o.opeenvolgend) and not art18:
            # the first loss one tijdvak before the tijdvak of the eerste werkloosheidsdag: the year
            # of DB art 2 lid 7 ends one tijdvak earlier than that of lid 1 (the wage history here
            # starts with the year of lid 1, so its first tijdvak has no opgave)
            tv = tijdvak_of(d["aangiftetijdvak"], day)
            prev = tijdvak_of(d["aangiftetijdvak"], tv[0] - 1)
            d["eerste_verlies_arbeidsuren"] = iso(r.between(prev[0], prev[1]))
        r = stream(4)
        if o.art8 and r.chance(o.art8):
            sit = r.weighted([(300, "wao_ingetrokken"), (400, "wao_lopend_onder_80"),
                              (100, "wao_lopend_onder_80_eu"), (200, "wia")])
            d["art8_situatie"] = sit
            d["art8_dagloon"] = money(r.between(5000, 30000))
            if sit.startswith("wao_lopend"):
                d["art8_klasse_midden"] = r.pick(WAO_KLASSE_MIDDEN)
            if sit == "wao_lopend_onder_80_eu":
                d["art9_verhouding"] = r.pick(["0.25", "0.5", "0.75"])
        r = stream(5)
        if o.art12 and r.chance(o.art12) and day >= ordinal(2015, 7, 1):
            d["art12_grond"] = "lid1" if r.chance(600) else "lid2"
            d["art12_dagloon"] = money(r.between(6000, 25000))
            d["art12_datum"] = iso(day - r.between(30, 420))
        r = stream(7)
        if o.art10 and r.chance(o.art10) and day < ordinal(2015, 7, 1):
            # the 2013 text art 10: an earlier loss 60-400 days before, hours 40-90 % of before
            d["art10_dagloon_voorgaand"] = money(r.between(6000, 25000))
            d["art10_voorgaand_verlies"] = iso(day - r.between(60, 400))
            voor = r.between(16, 40)
            d["art10_uren_na"] = str(voor * r.between(40, 90) // 100)
            d["art10_uren_voor"] = str(voor)
        r = stream(8)
        if o.art4 and r.chance(o.art4) and d["loon"]:
            # DB art 4 lid 2 third sentence: part of one loonregel's wage was already in an earlier dagloon
            row = d["loon"][r.below(len(d["loon"]))]
            cents = int(round(float(row["loon"]) * 100)) - int(round(float(row["vakantiebijslag"]) * 100))
            row["loon_al_in_dagloon"] = money(cents * r.between(10, 100) // 100)
        r = stream(9)
        if o.art11 and r.chance(o.art11) and day < ordinal(2015, 7, 1):
            # the 2013 text art 11: a wage cut at the employer the worker became unemployed from, 1-12
            # months before the first day, at 50-64 (so at or after 55 in most); the wage without it
            # 110-150 % of the lower wage (above 9/7 it is capped)
            emp = next(e for e in d["dienstbetrekkingen"] if e["werkloos_uit"])
            cut = day - r.between(30, 360)
            age = r.between(50, 64)
            d["geboortedatum"] = iso(cut - age * 365 - r.between(0, 364))
            emp["loonsverlaging"] = iso(cut)
            for row in d["loon"]:
                if row["werkgever"] == emp["werkgever"] and row["tijdvak"].split("/")[1] >= iso(cut):
                    cents = int(round(float(row["loon"]) * 100))
                    row["loon_zonder_verlaging"] = money(cents * r.between(110, 150) // 100)
        r = stream(10)
        if o.samenloop and r.chance(o.samenloop) and day <= HORIZON - 120:
            # DB art 25: another benefit (a dagloon of 60-300 euro at 70, 75 or 100 %) from 0-120 days
            # after the first day
            d["art25_andere_dagloon"] = money(r.between(6000, 30000))
            d["art25_andere_percentage"] = r.pick(["70", "70", "75", "100"])
            d["art25_vanaf"] = iso(day + r.between(0, 120))
        r = stream(11)
        if o.art24 and r.chance(o.art24):
            # DB art 24: a geboortedatum that makes the worker 17-20 years old at the start of the year of
            # lid 1 (the percentages and the minimum wage come from the tables)
            tv = tijdvak_of(d["aangiftetijdvak"], day)
            begin = one_year_back(tijdvak_of(d["aangiftetijdvak"], tv[0] - 1)[0] - 1)
            age = r.between(17, 20)
            d["geboortedatum"] = iso(begin - age * 365 - r.between(1, 360))
        r = stream(12)
        if o.opvolgend and r.chance(o.opvolgend) and day < ordinal(2015, 7, 1):
            # the 2013 text art 3 lid 2-3, art 5 lid 6: the generator writes one dienstbetrekking per
            # werkgever, so the first successive one is the one of werkloos_uit (its wage history is all
            # there); ziekengeld between the contracts 0-2000 euro
            emp = next(e for e in d["dienstbetrekkingen"] if e["werkloos_uit"])
            d["aanvang_eerste_opvolgende_2013"] = emp["aanvang"]
            d["ziekengeld_tussen_2013"] = money(r.between(0, 200000))
        r = stream(13)
        if o.h3a and r.chance(o.h3a) and ordinal(2015, 7, 1) <= day < ordinal(2016, 12, 1) and not art18:
            # DB hoofdstuk 3a (2017-2024): asked for; one in five sub b (the wage history here starts with
            # the year of lid 1, so the year of sub b, 25 months back, has no opgaven: it stays below)
            d["hoofdstuk_3a"] = True
            if r.chance(200):
                d["hoofdstuk_3a_sub_b"] = True
        r = stream(6)
        if o.vergoeding and r.chance(o.vergoeding) and day < ordinal(2016, 12, 1) and not art18:
            # the 2013/2015 text art 2 lid 2: the dienstbetrekking ended 1-6 tijdvakken before the end
            # of the year of lid 1 (the wage history here runs on after it)
            tv = tijdvak_of(d["aangiftetijdvak"], day)
            end_lid1 = tijdvak_of(d["aangiftetijdvak"], tv[0] - 1)[0] - 1
            d["einde_dienstbetrekking_vergoeding"] = iso(end_lid1 - r.between(1, 180))
        return d
    return make_with


# DB art 12g/12h, the Wazo and art 12b lid 5 (issue 15, --bijzonder, --wazo, --geboortedatum): fields
# from a stream of their own, added last, so every other field keeps its bytes. Only the shapes the
# text in force on the eerste rechtdag names (the others are error rows in rules/zw).
BIJZONDER_SALT = 0x3132672F3132685A
LOONBEGRIP_FIELDS = ("uitkering_12c_a", "toeslag_12c_b", "toeslag_overig", "eindheffing_12c_c",
                     "levensloop_12c_d", "vorderbaar_12d", "al_in_dagloon_12d")


def money_cents(text):
    euros, cents = text.split(".")
    return int(euros) * 100 + int(cents)


def with_bijzonder(make, seed, bijzonder, wazo, geboorte, loonbegrip=0, samenloop=0, jeugd=0):
    def make_with(rng, index, opts):
        d = make(rng, index, opts)
        r = dossier_rng(seed ^ BIJZONDER_SALT, index)
        recht = datetime.date.fromisoformat(d["eerste_rechtdag"]).toordinal()
        nawerking = bool(d["verzekering_geeindigd"])
        is_wazo = r.chance(wazo) and recht >= ordinal(2015, 7, 1) and "ziekengeld_grond" not in d
        if is_wazo:
            d["soort_uitkering"] = "wazo"
        if r.chance(bijzonder):
            if is_wazo:                                  # art 12h lid 1-4
                keuzes = ["ww", "ziekengeld", "ziekengeld_na_ww", "wia"]
            elif recht >= ordinal(2017, 9, 1):           # art 12g lid 1-3
                keuzes = ["wazo"] + (["ziekengeld"] if nawerking else [])
            elif recht >= ordinal(2015, 7, 1):           # art 12g lid 1-5 (2015-2017)
                keuzes = ["wazo"] + (["ww", "ziekengeld"] if nawerking else [])
            else:                                        # art 7 of the text of 2013
                keuzes = ["wazo", "ww"] + (["ziekengeld"] if nawerking else [])
            vu = r.pick(keuzes)
            d["voorgaande_uitkering"] = vu
            verrekend = vu in ("ww", "ziekengeld", "ziekengeld_na_ww", "wia") and \
                (is_wazo or vu == "ww") and r.chance(300)
            if vu in ("ww", "ziekengeld", "ziekengeld_na_ww", "wia"):
                d["inkomen_verrekend"] = verrekend
            if verrekend:
                d["gemiddelde_uitkering_per_dag"] = money(r.between(2000, 20000))
                if vu in ("ziekengeld", "ziekengeld_na_ww"):
                    d["voorgaand_uitkeringspercentage"] = r.pick(["0.70", "0.70", "1"])
            else:
                d["voorgaand_dagloon"] = money(r.between(4000, 30000))
        if r.chance(geboorte):
            ziek = datetime.date.fromisoformat(d["eerste_ziektedag"]).toordinal()
            d["geboortedatum"] = iso(ziek - r.between(25 * 365, 70 * 365))   # art 24: none under 23
        if loonbegrip and r.chance(loonbegrip):
            # DB art 12c lid 1 sub a-d, 12d lid 2: one or two loonregels of the dienstbetrekking
            # waaruit ziek carry a component; the loon of art 12c stays what it was (an excluded
            # part is added to the opgave, vorderbaar loon replaces a paid one).
            rows = [x for x in d["loon"] if x["dienstbetrekking"] == d["ziek_uit"]
                    and money_cents(x["loon"]) > 0 and not any(k in x for k in LOONBEGRIP_FIELDS)]
            for _ in range(min(len(rows), r.between(1, 2))):
                x = r.pick(rows)
                rows.remove(x)
                loon = money_cents(x["loon"])
                part = loon * r.between(10, 300) // 1000
                soorten = ["uitkering_12c_a", "toeslag_12c_b", "eindheffing_12c_c",
                           "vorderbaar_12d", "al_in_dagloon_12d"]
                if recht < ordinal(2022, 1, 1):
                    soorten.append("levensloop_12c_d")
                if not ordinal(2018, 6, 30) <= recht <= ordinal(2020, 12, 3):
                    soorten.append("toeslag_overig")
                soort = r.pick(soorten)
                if soort == "vorderbaar_12d":
                    x["loon"] = money(0)
                    x[soort] = money(loon)
                else:
                    x["loon"] = money(loon + part)
                    x[soort] = money(part)
        if samenloop and r.chance(samenloop):
            # DB art 25: other benefits on the eerste rechtdag; one in five with a percentage of 100
            d["samenloop_andere_per_dag"] = money(r.between(2000, 25000))
            if r.chance(200):
                d["samenloop_ander_percentage"] = "1"
                d["samenloop_ander_dagloon"] = d["samenloop_andere_per_dag"]
        if jeugd and r.chance(jeugd):
            # DB art 24 and BDR art 5 (--art24 with --regeling zw): a young worker, 17-22 years old on
            # the eerste ziektedag (so 16-22 at the start of the referteperiode, some past the limit);
            # replaces a geboortedatum drawn above
            ziek = datetime.date.fromisoformat(d["eerste_ziektedag"]).toordinal()
            d["geboortedatum"] = iso(ziek - r.between(17, 22) * 365 - r.between(1, 360))
        return d
    return make_with


class Artww2Options:
    def __init__(self, art18=0, opeenvolgend=0, art8=0, art12=0, herzien=0, vergoeding=0, art10=0,
                 art4=0, art11=0, samenloop=0, art24=0, opvolgend=0, h3a=0):
        self.art18, self.opeenvolgend, self.art8, self.art12 = art18, opeenvolgend, art8, art12
        self.herzien, self.vergoeding, self.art10, self.art4 = herzien, vergoeding, art10, art4
        self.art11, self.samenloop, self.art24, self.opvolgend = art11, samenloop, art24, opvolgend
        self.h3a = h3a

    def any(self):
        return (self.art18 or self.opeenvolgend or self.art8 or self.art12 or self.herzien
                or self.vergoeding or self.art10 or self.art4 or self.art11 or self.samenloop
                or self.art24 or self.opvolgend or self.h3a)


def parse_date(text):
    try:
        return datetime.date.fromisoformat(text).toordinal()
    except ValueError:
        raise argparse.ArgumentTypeError("not a date YYYY-MM-DD: %r" % text)


def permille(text):
    if not text.isdigit() or int(text) > 1000:
        raise argparse.ArgumentTypeError("not a number 0..1000: %r" % text)
    return int(text)


# Defaults per regeling: range of the eerste rechtdag (WW: eerste werkloosheidsdag), share of
# dossiers with an omstandigheid, share of those tijdvakken without any wage (per mille).
# WIA without options is the legacy population (eerste_ao_dag 2013-2024, rechtdag <= 2026-12-31).
DEFAULTS = {"wia": (None, None, 100, 0),
            "ww": ("2014-01-01", "2026-12-31", 250, 400),
            "zw": ("2014-01-01", "2026-12-31", 250, 400)}

# Each regeling draws from its own streams: a WW dossier i is not a WIA dossier i in disguise.
SALT = {"wia": 0, "ww": 0x5757575757575757, "zw": 0x5A5A57575A5A5757}


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="gen_population.py",
        description="A deterministic synthetic population of dagloon dossiers as JSON Lines "
                    "(rules/wia by default; rules/ww, rules/zw with --regeling). Without options: "
                    "the legacy WIA population, byte for byte.")
    ap.add_argument("n", metavar="N", type=int, help="number of dossiers")
    ap.add_argument("seed", metavar="SEED", type=int, help="seed (any integer)")
    ap.add_argument("--regeling", choices=["wia", "ww", "zw"], default="wia",
                    help="rule set the dossiers are for (default wia)")
    ap.add_argument("--vanaf", type=parse_date, metavar="DATE",
                    help="earliest eerste rechtdag (WW: eerste werkloosheidsdag); "
                         "default wia 2014-12-31 (eerste_ao_dag from 2013-01-01), ww/zw 2014-01-01; "
                         "ww/zw from 2005-12-29: rights under the Besluit dagloonregels 2005 "
                         "(e.g. --vanaf 2006-01-01 --tot 2013-06-30)")
    ap.add_argument("--tot", type=parse_date, metavar="DATE",
                    help="latest eerste rechtdag, inclusive; may be past the tables' horizon "
                         "(2026-12-31), e.g. 2027-12-31; default 2026-12-31")
    ap.add_argument("--afwijkend", type=permille, metavar="PROMILLE",
                    help="share of dossiers with tijdvakken with verlof/ziekte/werkstaking "
                         "(default wia 100, ww/zw 250)")
    ap.add_argument("--loonloos-afwijkend", type=permille, metavar="PROMILLE",
                    help="share of those tijdvakken without any wage (default wia 0 = less "
                         "wage only, ww/zw 400)")
    ap.add_argument("--rond-grenzen", type=permille, metavar="PROMILLE", default=0,
                    help="share of dossiers whose date lies within 60 days of a boundary of the "
                         "texts (1-7-2013 for ww/zw with --vanaf before it, 1-7-2015, 1-12-2016, 1-9-2017, 1-12-2017, 29-06-2018, 1-1-2022) "
                         "or the horizon (1-1-2027), inside the range (default 0)")
    ap.add_argument("--uitkering", type=permille, metavar="PROMILLE", default=0,
                    help="(wia, zw) share of dossiers with the optional fields of the benefit "
                         "(rules/wia_uitkering: 1000; ZW ziekengeld_grond); default 0")
    ap.add_argument("--art19", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with an earlier WAO/WIA benefit ended by "
                         "work (DB art 19), drawn last (default 0)")
    ap.add_argument("--art22", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with a wage cut at one werkgever (DB art 22), "
                         "drawn last (default 0)")
    ap.add_argument("--art20", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with a maatmaninkomen and urenomvang "
                         "(DB art 20), drawn last (default 0)")
    ap.add_argument("--hulpbehoevend", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of benefit loonregels with a hulpbehoevendheid_teller "
                         "(DB art 16 lid 3 sub c/d), drawn last (default 0)")
    ap.add_argument("--bdr-toeslag", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of benefit loonregels of rights up to 2013-06-30 (Besluit "
                         "dagloonregels 2005) with a toeslag and an aanvulling (BDR art 2 lid 2 C "
                         "and D), drawn last (default 0)")
    ap.add_argument("--bijzonder", type=permille, metavar="PROMILLE", default=0,
                    help="ZW only: share of dossiers with a voorgaande uitkering of DB art 12g/12h "
                         "(drawn last; default 0)")
    ap.add_argument("--wazo", type=permille, metavar="PROMILLE", default=0,
                    help="ZW only: share of dossiers (from 1-7-2015) that are a Wazo-uitkering "
                         "(drawn last; default 0)")
    ap.add_argument("--geboortedatum", type=permille, metavar="PROMILLE", default=0,
                    help="ZW only: share of dossiers with a geboortedatum (DB art 12b lid 5 of "
                         "2016-2017; drawn last; default 0)")
    ap.add_argument("--loonbegrip", type=permille, metavar="PROMILLE", default=0,
                    help="ZW only: share of dossiers whose opgaven carry the parts of DB art 12c "
                         "lid 1 sub a-d or art 12d lid 2 as fields (drawn last; default 0)")
    ap.add_argument("--samenloop", type=permille, metavar="PROMILLE", default=0,
                    help="ZW and WW: share of dossiers with other benefits (DB art 25; ZW on the "
                         "eerste rechtdag, WW from 0-120 days after the first day; drawn last; default 0)")
    ap.add_argument("--art13", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with two or more dienstbetrekkingen where the "
                         "last has the other kind of aangiftetijdvak (DB art 13 lid 1), drawn last")
    ap.add_argument("--art16-lid-5", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with an employment ended without the notice "
                         "period and a later arbeidsurenverlies (DB art 16 lid 5), drawn last")
    ap.add_argument("--art25", type=permille, metavar="PROMILLE", default=0,
                    help="WIA only: share of dossiers with concurrent benefits (DB art 25), drawn last")
    ap.add_argument("--art53", type=permille, metavar="PROMILLE", default=0,
                    help="WIA with --uitkering: share of IVA dossiers raised for hulpbehoevendheid "
                         "(WIA art 53)")
    ap.add_argument("--art63", type=permille, metavar="PROMILLE", default=0,
                    help="WIA with --uitkering: share of the WGA dossiers without inkomenseis raised for "
                         "hulpbehoevendheid (WIA art 63)")
    ap.add_argument("--art59-lid-4", type=permille, metavar="PROMILLE", default=0,
                    help="WIA with --uitkering: share of WGA dossiers with a right that did not "
                         "arise (WIA art 59 lid 4)")
    ap.add_argument("--art61-lid-7", type=permille, metavar="PROMILLE", default=0,
                    help="WIA with --uitkering: share of WGA dossiers with a changed degree of "
                         "incapacity (WIA art 61 lid 7)")
    ap.add_argument("--art18", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers with uitkering_art18 (WW art 18: DB art 2 lid "
                         "5-6, art 3 lid 2, art 5 lid 4), drawn last (default 0)")
    ap.add_argument("--opeenvolgend", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers (not art 18) with eerste_verlies_arbeidsuren one "
                         "tijdvak before the tijdvak of the eerste werkloosheidsdag (DB art 2 lid 7), "
                         "drawn last (default 0)")
    ap.add_argument("--art8", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers with a WAO/WIA benefit (DB art 8 lid 1, 2, 4, 9 "
                         "and art 9), drawn last (default 0)")
    ap.add_argument("--art12", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers from 1-7-2015 with a dagloongarantie (DB art 12 "
                         "lid 1 or 2), drawn last (default 0)")
    ap.add_argument("--vergoeding", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers before 1-12-2016 (not art 18) whose dienstbetrekking "
                         "ended with a vergoeding 1-180 days before the end of the year of lid 1 (DB art "
                         "2 lid 2, texts of 2013 and 2015), drawn last (default 0)")
    ap.add_argument("--art10", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers before 1-7-2015 with the fields of art 10 of the "
                         "2013 text (opeenvolgend arbeidsurenverlies), drawn last (default 0)")
    ap.add_argument("--art11", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers before 1-7-2015 with a wage cut at 50-64 (art 11 of "
                         "the 2013 text: geboortedatum, loonsverlaging, loon_zonder_verlaging), drawn "
                         "last (default 0)")
    ap.add_argument("--art24", type=permille, metavar="PROMILLE", default=0,
                    help="WW: share of dossiers with a geboortedatum of a worker of 17-20 at the start "
                         "of the year (DB art 24, BDR art 5); ZW: of a worker of 17-22 on the eerste "
                         "ziektedag (DB art 24, BDR art 5); drawn last (default 0)")
    ap.add_argument("--opvolgend", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers before 1-7-2015 with successive dienstbetrekkingen of "
                         "the 2013 text (art 3 lid 2-3, art 5 lid 6), drawn last (default 0)")
    ap.add_argument("--h3a", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of the dossiers from 1-7-2015 to 30-11-2016 that ask for DB "
                         "hoofdstuk 3a (hoofdstuk_3a, one in five sub b), drawn last (default 0)")
    ap.add_argument("--art4", type=permille, metavar="PROMILLE", default=0,
                    help="WW only: share of dossiers where part of one loonregel's wage was already in "
                         "an earlier dagloon (DB art 4 lid 2, loon_al_in_dagloon), drawn last (default 0)")
    ap.add_argument("--herzien", type=permille, metavar="PROMILLE", default=0,
                    help="WW, ZW: share of dossiers with herzien_tot, 0-730 days after the first day "
                         "and not past the horizon (WW art 1b lid 7, ZW art 16 lid 1), drawn last "
                         "(default 0)")
    a = ap.parse_args(argv[1:])
    if a.uitkering and a.regeling == "ww":
        ap.error("--uitkering: rules/ww has no optional fields for the benefit")
    if a.n < 0:
        ap.error("N must be 0 or more")
    if a.vanaf is not None and a.vanaf < ordinal(2013, 1, 1) and a.regeling == "wia":
        ap.error("--vanaf before 2013-01-01: the Dagloonbesluit (and the wage scale here) "
                 "start in 2013")
    if a.vanaf is not None and a.vanaf < ordinal(2005, 12, 29):
        ap.error("--vanaf before 2005-12-29: ww and zw start with the Besluit dagloonregels 2005")
    lo, hi, afw, ll = DEFAULTS[a.regeling]
    afw = afw if a.afwijkend is None else a.afwijkend
    ll = ll if a.loonloos_afwijkend is None else a.loonloos_afwijkend
    if (a.art19 or a.art22 or a.art20 or a.hulpbehoevend or a.art13 or a.art16_lid_5 or a.art25) and a.regeling != "wia":
        ap.error("--art19, --art20, --art22, --hulpbehoevend, --art13, --art16-lid-5 and --art25 are "
                 "for --regeling wia only")
    if (a.art53 or a.art59_lid_4 or a.art61_lid_7 or a.art63) and (a.regeling != "wia" or not a.uitkering):
        ap.error("--art53, --art59-lid-4, --art61-lid-7 and --art63 need --regeling wia and --uitkering")
    if a.bdr_toeslag and a.regeling != "wia":
        ap.error("--bdr-toeslag is for --regeling wia only")
    if a.regeling == "wia":
        vanaf = a.vanaf
        tot = a.tot
        if vanaf is not None and tot is None:
            tot = LAST_RECHTDAG
        if tot is not None and vanaf is None:
            vanaf = ordinal(2013, 1, 1) + 728
        if vanaf is not None and vanaf > tot:
            ap.error("--vanaf after --tot")
        if a.rond_grenzen and vanaf is None:
            vanaf, tot = ordinal(2013, 1, 1) + 728, LAST_RECHTDAG
        opts = WiaOptions(vanaf, tot, afw, ll, a.rond_grenzen, a.art19, a.art22, a.art20,
                          a.hulpbehoevend, a.art13, a.art16_lid_5, a.art25)
        opts.bdr_toeslag = a.bdr_toeslag
        make = make_dossier
    else:
        vanaf = parse_date(lo) if a.vanaf is None else a.vanaf
        tot = parse_date(hi) if a.tot is None else a.tot
        if vanaf > tot:
            ap.error("--vanaf after --tot")
        opts = RegelingOptions(vanaf, tot, afw, ll, a.rond_grenzen)
        make = make_ww_dossier if a.regeling == "ww" else make_zw_dossier
    if (a.bijzonder or a.wazo or a.geboortedatum or a.loonbegrip) and a.regeling != "zw":
        ap.error("--bijzonder, --wazo, --geboortedatum and --loonbegrip are for --regeling zw only")
    if a.samenloop and a.regeling == "wia":
        ap.error("--samenloop is for --regeling zw and ww (rules/wia: --art25)")
    if a.uitkering:
        make = with_uitkering(make, a.regeling, a.seed ^ SALT[a.regeling], a.uitkering,
                              a.art53, a.art59_lid_4, a.art61_lid_7, a.art63)
    zw_art24 = a.art24 if a.regeling == "zw" else 0
    if a.bijzonder or a.wazo or a.geboortedatum or a.loonbegrip or (a.samenloop and a.regeling == "zw") \
            or zw_art24:
        make = with_bijzonder(make, a.seed ^ SALT[a.regeling], a.bijzonder, a.wazo, a.geboortedatum,
                              a.loonbegrip, a.samenloop, zw_art24)
    o = Artww2Options(a.art18, a.opeenvolgend, a.art8, a.art12, a.herzien, a.vergoeding, a.art10,
                      a.art4, a.art11, a.samenloop if a.regeling == "ww" else 0,
                      a.art24 if a.regeling == "ww" else 0, a.opvolgend, a.h3a)
    if (a.art18 or a.opeenvolgend or a.art8 or a.art12 or a.vergoeding or a.art10 or a.art4
            or a.art11 or a.opvolgend or a.h3a) and a.regeling != "ww":
        ap.error("--art18, --opeenvolgend, --art8, --art12, --vergoeding, --art10, --art11, --art4, "
                 "--opvolgend and --h3a are for --regeling ww only")
    if a.art24 and a.regeling == "wia":
        ap.error("--art24 is for --regeling ww and zw (rules/wia: --art22)")
    if a.herzien and a.regeling == "wia":
        ap.error("--herzien is for --regeling ww and zw")
    if o.any():
        make = with_artww2(make, a.regeling, a.seed ^ SALT[a.regeling], o)
    return a.n, a.seed ^ SALT[a.regeling], make, opts


def main(argv):
    n, seed, make, opts = parse_args(argv)
    out = sys.stdout
    batch = []
    try:
        for i in range(n):
            batch.append(json.dumps(make(dossier_rng(seed, i), i, opts), ensure_ascii=False))
            if len(batch) == 1000 or i == n - 1:              # write in batches of 1000 lines
                out.write("\n".join(batch) + "\n")
                batch = []
        out.flush()
    except BrokenPipeError:                                    # e.g. piped into head
        sys.stderr.close()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
