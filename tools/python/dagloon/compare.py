"""dagloon.compare: the per-dossier rows of `dagloon compare BASE PROPOSAL INPUT` as a DataFrame.

libdagloon has no compare: both rule sets run through the library here and the differences are
Decimal (or int) subtractions in Python -- exact, and without a second process or a file in between.
The columns, the value column and the outcome follow tools/compare.c and tools/compare_eval.c.
"""
import fractions

import pandas

from .convert import dossier_json, row_values, subtract
from .errors import DagloonError
from .rules import rule_set
from .run import dtype, records

NUMERIC = ("geld", "geheel", "getal")   # the kinds compare compares
INT64 = (-2**63, 2**63 - 1)


def columns_of(base, proposal, asked=None):
    """The compared columns as (name, kind): asked ones, or every geld, geheel or getal output both have."""
    prop = {c.name: c for c in proposal.outputs}
    cols = []
    for c in base.outputs:
        if asked is not None and c.name not in asked:
            continue
        p = prop.get(c.name)
        if asked is None and (p is None or c.kind not in NUMERIC):
            continue
        if p is None or c.kind not in NUMERIC or p.kind != c.kind:
            raise DagloonError("ARGUMENT", f"column '{c.name}' cannot be compared: " +
                               ("the proposal has no such output column" if p is None
                                else "it is not geld, getal or geheel of the same type in both"))
        cols.append((c.name, c.kind))
    for a in asked or ():
        if a not in [n for n, _ in cols]:
            raise DagloonError("ARGUMENT", f"the base has no output column '{a}'")
    return cols


def value_column(cols, value=None):
    """compare's --value: as asked, else 'dagloon' (geld), else the first geld, geheel, getal column."""
    names = [n for n, _ in cols]
    if value is not None:
        if value not in names:
            raise DagloonError("ARGUMENT", "no column to summarise: value must name a compared column")
        return value
    if ("dagloon", "geld") in cols:
        return "dagloon"
    for kind in NUMERIC:
        for n, k in cols:
            if k == kind:
                return n
    raise DagloonError("ARGUMENT", "no column to summarise: the rule sets share no geld, geheel or getal output column")


def _cents_exact(v):
    c = fractions.Fraction(v) * 100
    return c.denominator == 1 and INT64[0] <= c <= INT64[1]


def compare(base, proposal, df, columns=None, value=None):
    """Every dossier of df through base and proposal (paths or RuleSets): one row per dossier with id,
    uitkomst (beter, slechter, gelijk on the value column; fout for an error row on either side),
    COLUMN_basis, COLUMN_voorstel, COLUMN_verschil (proposal - base, exact) per compared column, and fout
    (the reason, naming the side: invoer, basis or voorstel). columns, value: as --column, --value."""
    rb, rp = rule_set(base), rule_set(proposal)
    if [(c.name, c.type) for c in rb.inputs] != [(c.name, c.type) for c in rp.inputs]:
        raise DagloonError("ARGUMENT", "the base and the proposal do not read the same dossiers")
    cols = columns_of(rb, rp, None if columns is None else list(columns))
    vname = value_column(cols, value)
    names = ["id", "uitkomst"] + [f"{n}_{s}" for n, _ in cols for s in ("basis", "voorstel", "verschil")] + ["fout"]
    index, rows = [], []
    seen = {}
    for n, (idx, rec) in enumerate(records(df), start=1):
        index.append(idx)
        ident = rec.get(rb.key) if rb.key else None
        ident = None if ident is None else str(ident)
        reason, vb, vp = None, None, None
        if ident is not None and ident in seen:
            reason = f"invoer: {rb.key}: id '{ident}' was already used by record {seen[ident]}: every dossier needs its own"
        else:
            if ident is not None:
                seen[ident] = n
            try:
                text = dossier_json(rb, rec)
                vb = row_values(rb, rb.evaluate_json(text))
                vp = row_values(rp, rp.evaluate_json(text))
            except DagloonError as e:
                side = "basis" if vb is None else "voorstel"
                reason = (f"invoer: {e.field + ': ' if e.field else ''}{e.reason}" if e.code == "INPUT"
                          else f"{side}: {e.message}")
        row = [ident, None]
        if reason is None:
            diffs = {}
            for c, kind in cols:
                d = subtract(vp[c], vb[c])
                if kind == "geheel" and not INT64[0] <= d <= INT64[1]:
                    reason = "the difference overflows"
                diffs[c] = d
            if reason is None and not (_cents_exact(vb[vname]) and _cents_exact(vp[vname])
                                       and _cents_exact(diffs[vname])):
                reason = f"'{vname}' has more than two decimals or overflows: not summarised exactly"
        if reason is None:
            d = diffs[vname]
            row[1] = "beter" if d > 0 else "slechter" if d < 0 else "gelijk"
            for c, _ in cols:
                row += [vb[c], vp[c], diffs[c]]
            row.append(None)
        else:
            row[1] = "fout"
            row += [None] * (3 * len(cols)) + [reason]
        rows.append(row)
    out = pandas.DataFrame(rows, columns=names, index=pandas.Index(index), dtype=object)
    for c, kind in cols:
        if dtype(kind) is not object:
            for s in ("basis", "voorstel", "verschil"):
                out[f"{c}_{s}"] = out[f"{c}_{s}"].astype(dtype(kind))
    return out
