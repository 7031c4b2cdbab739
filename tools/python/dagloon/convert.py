"""Values between pandas/Python and the library's JSON, by the rule set's types: exact both ways.

Out: geld -> decimal.Decimal; getal -> decimal.Decimal, or fractions.Fraction when the engine's exact value
has no finite decimal form (it writes "202200/7"); datum -> datetime.date, periode -> Periode (two dates),
geheel/dagen/maanden/jaren -> int, waarheid -> bool, tekst/keuze -> str, gegevens -> dict, lijst -> list.
In: the same types, or the text the reader takes (a decimal string, "YYYY-MM-DD", a list or record as
JSON text). A value the dossier gets wrong (JSON text that is not JSON, a datum with a time of day) is
DagloonError INPUT naming the field -- an error row, like the library's own; a float for geld or getal is
TypeError for the whole call: the caller's column type, not the dossier (binary floating point is not an
amount).
"""
import datetime
import decimal
import fractions
import json
import math
import numbers
from typing import NamedTuple

from .errors import DagloonError

INTEGERS = ("geheel", "dagen", "maanden", "jaren")
DECIMALS = ("geld", "getal")


class Periode(NamedTuple):
    """A periode: begin and eind, both days included; str() is the engine's "YYYY-MM-DD/YYYY-MM-DD"."""
    begin: datetime.date
    eind: datetime.date

    def __str__(self):
        return f"{self.begin.isoformat()}/{self.eind.isoformat()}"


def missing(v):
    """None, NaN, NaT and pd.NA: a cell left empty (an optioneel field left out). Tested by type first:
    it is asked of every value of every dossier."""
    if v is None:
        return True
    t = type(v)
    if t is str or t is dict or t is list or t is int or t is bool or t is decimal.Decimal:
        return False
    if isinstance(v, float):   # also numpy's float64
        return math.isnan(v)
    import pandas
    return v is pandas.NA or v is pandas.NaT


# ---- out: the library's JSON -> Python ----

def from_json(rules, kind, element, type_name, v):
    if v is None:
        return None
    if kind in DECIMALS:
        return fractions.Fraction(v) if "/" in v else decimal.Decimal(v)
    if kind in INTEGERS:
        return int(v)
    if kind == "datum":
        return datetime.date.fromisoformat(v)
    if kind == "periode":
        a, b = v.split("/")
        return Periode(datetime.date.fromisoformat(a), datetime.date.fromisoformat(b))
    if kind == "gegevens":
        fields = {f.name: f for f in rules.record(type_name)}
        return {k: (from_json(rules, fields[k].kind, fields[k].element, fields[k].type_name, x) if k in fields else x)
                for k, x in v.items()}
    if kind == "lijst":
        return [from_json(rules, element, element, type_name, x) for x in v]
    return v   # waarheid, tekst, keuze: JSON's own


def row_values(rules, row_json):
    """An output row's JSON text -> {column: value}, in the row's order."""
    cols = {c.name: c for c in rules.outputs}
    out = {}
    for k, v in json.loads(row_json).items():
        c = cols.get(k)
        out[k] = from_json(rules, c.kind, c.element, c.type_name, v) if c else v   # the key: as given
    return out


def exact(q):
    """A Fraction as the engine writes a getal: a Decimal when it has a finite decimal form, else itself."""
    d = q.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return q
    places = max(twos, fives)
    return decimal.Decimal(q.numerator * 10**places // q.denominator).scaleb(-places)


def subtract(a, b):
    """a - b exactly, for Decimals, ints and Fractions alike."""
    if isinstance(a, fractions.Fraction) or isinstance(b, fractions.Fraction):
        return exact(fractions.Fraction(a) - fractions.Fraction(b))
    return a - b


# ---- in: Python -> the JSON the reader takes ----

def _decimal_text(v, where):
    if isinstance(v, decimal.Decimal):
        if not v.is_finite():
            raise DagloonError("INPUT", f"{v} is not an amount", field=where)
        return format(v, "f")
    if isinstance(v, bool):
        raise TypeError(f"{where}: a truth value where an amount belongs")
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, str):
        return v
    if isinstance(v, fractions.Fraction) and exact(v) is not v:
        return format(exact(v), "f")
    raise TypeError(f"field '{where}': {type(v).__name__} {v!r} is not exact; give a decimal.Decimal or a decimal string "
                    "(read a CSV with dtype=str or converters=decimal.Decimal)")


def to_json(rules, kind, element, type_name, v, where):
    """A Python value for a field of this kind -> its JSON value."""
    if type(v) is str and kind != "gegevens" and kind != "lijst":
        return v   # the reader's own form; the library checks it
    if kind in DECIMALS:
        return _decimal_text(v, where)
    if kind in INTEGERS:
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, float) and v.is_integer():   # pandas makes an integer column with gaps float
            return int(v)
        return v   # the library says what is wrong with it
    if kind == "waarheid":
        return bool(v) if type(v).__name__ in ("bool", "bool_") else v
    if kind == "datum":
        if isinstance(v, datetime.datetime):   # also pandas.Timestamp
            if v.time() != datetime.time(0):
                raise DagloonError("INPUT", f"{v} has a time of day; a datum is a day", field=where)
            return v.date().isoformat()
        return v.isoformat() if isinstance(v, datetime.date) else v
    if kind == "periode":
        if isinstance(v, tuple) and len(v) == 2:
            return f"{to_json(rules, 'datum', 'datum', None, v[0], where)}/{to_json(rules, 'datum', 'datum', None, v[1], where)}"
        return v
    if kind in ("gegevens", "lijst") and isinstance(v, str):
        try:
            v = json.loads(v, parse_float=decimal.Decimal)
        except ValueError as e:
            raise DagloonError("INPUT", f"not JSON: {e}", field=where) from None
    if kind == "gegevens" and isinstance(v, dict):
        fields = {f.name: f for f in rules.record(type_name)}
        return {k: (to_json(rules, fields[k].kind, fields[k].element, fields[k].type_name, x, f"{where}.{k}")
                    if k in fields and not missing(x) else x) for k, x in v.items() if not missing(x) or k not in fields}
    if kind == "lijst" and isinstance(v, (list, tuple)):
        return [to_json(rules, element, element, type_name, x, f"{where}[{i}]") for i, x in enumerate(v)]
    if isinstance(v, decimal.Decimal):
        return _decimal_text(v, where)
    return v


def dossier_json(rules, record):
    """A dossier as {field: value} (a DataFrame row) -> the JSON text of one dossier. Empty cells are left
    out (an optioneel field; for any other field the library then reports it missing, an error row)."""
    fields = {f.name: f for f in rules.inputs}
    out = {}
    for k, v in record.items():
        if missing(v):
            continue
        f = fields.get(k)
        out[k] = to_json(rules, f.kind, f.element, f.type_name, v, k) if f else v
    return json.dumps(out, ensure_ascii=False, default=_unknown)


def _unknown(v):
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if hasattr(v, "item"):   # numpy scalars
        return v.item()
    raise TypeError(f"{type(v).__name__} {v!r} cannot be written as JSON")
