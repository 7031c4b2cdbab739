"""dagloon.run: a DataFrame of dossiers through a rule set, a DataFrame of outputs; error rows kept."""
import pandas

from .convert import INTEGERS, dossier_json, row_values
from .errors import DagloonError
from .rules import rule_set

# The error columns every result has (None on a row that was computed): the library's error, field by field.
ERROR_COLUMNS = ("fout", "fout_code", "fout_veld", "fout_regel", "fout_plaats")


def dtype(kind):
    """The pandas type of a column: nullable integers and truth values (an error row has none), else objects
    (Decimal, date, str: exact, never float)."""
    return "Int64" if kind in INTEGERS else "boolean" if kind == "waarheid" else object


def records(df):
    """The dossiers of a DataFrame (or of an iterable of dicts), as (index, {field: value})."""
    if isinstance(df, pandas.DataFrame):
        cols = list(df.columns)
        for idx, row in zip(df.index, df.itertuples(index=False, name=None)):
            yield idx, dict(zip(cols, row))
    else:
        for i, rec in enumerate(df):
            yield i, dict(rec)


def evaluate_all(rs, df, on_row):
    """Every dossier once: on_row(index, id, values or None, DagloonError or None). A second dossier with an id
    seen before is an error row, as `dagloon run` makes it (the reader's message)."""
    seen = {}
    for n, (idx, rec) in enumerate(records(df), start=1):
        ident = rec.get(rs.key) if rs.key else None
        ident = None if ident is None else str(ident)
        try:
            if ident is not None and ident in seen:
                raise DagloonError("INPUT", f"id '{ident}' was already used by record {seen[ident]}: "
                                   "every dossier needs its own", ident, rs.key)
            if ident is not None:
                seen[ident] = n
            text = dossier_json(rs, rec)
            on_row(idx, ident, row_values(rs, rs.evaluate_json(text)), None)
        except DagloonError as e:
            on_row(idx, ident if ident is not None else e.record, None, e)


def run(rules, df, max_steps=0, max_memory_bytes=0):
    """The outputs of every dossier of df, one row per dossier, in df's order and with its index.

    rules: a path, a list of paths or a RuleSet (loaded once and cached). df: a DataFrame whose columns are
    the invoer's fields (lists and records as Python lists/dicts or as the JSON text the reader takes).
    Returns the key column, every uitvoer column (geld and getal as Decimal, datum as date, ...) and the
    error columns: fout (the reason, as in `dagloon run --errors`; None when computed), fout_code ("INPUT", "EVAL", "LIMIT", ...),
    fout_veld, fout_regel, fout_plaats. An error row has no outputs (None/NA) and its error.
    """
    rs = rule_set(rules)
    if max_steps or max_memory_bytes:
        rs.set_limits(max_steps, max_memory_bytes)
    outputs = [c.name for c in rs.outputs]
    names = ([rs.key] if rs.key and rs.key not in outputs else []) + outputs   # the row's columns
    index, rows = [], []

    def on_row(idx, ident, values, err):
        index.append(idx)
        if err is None:
            rows.append([values.get(k) for k in names] + [None] * len(ERROR_COLUMNS))
        else:
            rows.append([ident if k == rs.key else None for k in names] +
                        [err.reason, err.code, err.field, err.rule, err.location])

    try:
        evaluate_all(rs, df, on_row)
    finally:
        if max_steps or max_memory_bytes:
            rs.set_limits(0, 0)
    out = pandas.DataFrame(rows, columns=names + list(ERROR_COLUMNS), index=pandas.Index(index), dtype=object)
    for c in rs.outputs:
        if dtype(c.kind) is not object:
            out[c.name] = out[c.name].astype(dtype(c.kind))
    return out
