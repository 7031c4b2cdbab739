"""A loaded rule set (RuleSet): its schema, one evaluator, and the cache that loads each rule set once."""
import ctypes
import os
import threading

from . import _library
from ._library import KINDS, lib, raise_error


class Column:
    """A field of the invoer or a column of the uitvoer, as dagloon_field describes it."""

    def __init__(self, f):
        t = lambda b: b.decode("utf-8") if b else None
        self.name, self.type = t(f.name), t(f.type)
        self.kind, self.element = KINDS[f.kind], KINDS[f.element]
        self.type_name, self.optional, self.key = t(f.type_name), bool(f.optional), bool(f.key)
        self.label, self.source = t(f.label), t(f.source)

    def __repr__(self):
        return f"Column({self.name!r}, {self.type!r})"


class RuleSet:
    """Rule files (a .rules file or folders of them, read as one rule set) or a bundle, loaded once.

    The evaluator is used by one thread at a time (a lock): the library's evaluator is
    [one thread per object]; the rule set itself is read-only.
    """

    def __init__(self, paths):
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        self.paths = [os.fspath(p) for p in paths]
        L = lib()
        arr = (ctypes.c_char_p * len(self.paths))(*[p.encode("utf-8") for p in self.paths])
        err = ctypes.c_void_p()
        self._rules = L.dagloon_rules_load(arr, len(self.paths), None, ctypes.byref(err))
        if not self._rules:
            raise_error(err)
        self._ev = L.dagloon_evaluator_new(self._rules)
        self._lock = threading.Lock()
        self.inputs = [Column(L.dagloon_input_field(self._rules, i).contents)
                       for i in range(L.dagloon_input_count(self._rules))]
        self.outputs = [Column(L.dagloon_output_column(self._rules, i).contents)
                        for i in range(L.dagloon_output_count(self._rules))]
        self.key = next((c.name for c in self.inputs if c.key), None)
        self.hash = (L.dagloon_rules_hash(self._rules) or b"").decode()
        self._records = {}

    def record(self, name):
        """The fields of the gegevens type `name`."""
        if name not in self._records:
            L, n = lib(), name.encode("utf-8")
            self._records[name] = [Column(L.dagloon_record_field(self._rules, n, i).contents)
                                   for i in range(L.dagloon_record_count(self._rules, n))]
        return self._records[name]

    def schema(self):
        """The invoer's fields and the uitvoer's columns as a DataFrame: kant (invoer, uitvoer), naam, type,
        label (the human label the rules give, or None), bron (an output's citations), optioneel, sleutel.
        For renaming a result for readers: dict(zip(s.naam, s.label.fillna(s.naam)))."""
        import pandas
        rows = [(side, c.name, c.type, c.label, c.source, c.optional, c.key)
                for side, cols in (("invoer", self.inputs), ("uitvoer", self.outputs)) for c in cols]
        return pandas.DataFrame(rows, columns=["kant", "naam", "type", "label", "bron", "optioneel", "sleutel"])

    def set_limits(self, max_steps=0, max_memory_bytes=0):
        """As `dagloon run --max-steps N --max-memory MIB` (0: the defaults)."""
        with self._lock:
            lib().dagloon_evaluator_set_limits(self._ev, max_steps, max_memory_bytes)

    def evaluate_json(self, dossier_json):
        """One dossier (JSON text) -> the output row's JSON text, or DagloonError."""
        b = dossier_json.encode("utf-8")
        err = ctypes.c_void_p()
        with self._lock:
            row = lib().dagloon_evaluate(self._ev, b, len(b), ctypes.byref(err))
            if row is None:
                raise_error(err)
            return row.decode("utf-8")

    def explain_json(self, dossier_json, input_name=None):
        """dagloon_explain: the explanation JSON text of one dossier."""
        b = dossier_json.encode("utf-8")
        err = ctypes.c_void_p()
        with self._lock:
            out = lib().dagloon_explain(self._ev, b, len(b), input_name.encode("utf-8") if input_name else None,
                                        ctypes.byref(err))
            if out is None:
                raise_error(err)
            return out.decode("utf-8")

    def close(self):
        L = _library._lib
        if L is not None and getattr(self, "_rules", None):
            L.dagloon_evaluator_free(self._ev)
            L.dagloon_rules_free(self._rules)
            self._rules = self._ev = None

    def __del__(self):
        self.close()

    def __repr__(self):
        return f"RuleSet({self.paths!r}, {len(self.inputs)} invoer fields, {len(self.outputs)} uitvoer columns)"


_cache = {}
_cache_lock = threading.Lock()


def _signature(paths):
    """What the cache compares: each path, and every file under it with its size and modification time.
    Files outside the paths (a proposal's base, a table named with ../) are not looked at: clear_cache()."""
    sig = []
    for p in paths:
        p = os.path.abspath(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    st = os.stat(os.path.join(root, f))
                    sig.append((os.path.join(root, f), st.st_size, st.st_mtime_ns))
        else:
            st = os.stat(p)
            sig.append((p, st.st_size, st.st_mtime_ns))
    return tuple(sig)


def rule_set(rules):
    """A RuleSet as given, or the cached one for these paths (loaded again when a file under them changed)."""
    if isinstance(rules, RuleSet):
        return rules
    paths = [rules] if isinstance(rules, (str, os.PathLike)) else list(rules)
    paths = [os.fspath(p) for p in paths]
    key = tuple(os.path.abspath(p) for p in paths)
    sig = _signature(paths)
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == sig:
            return hit[1]
        rs = RuleSet(paths)
        _cache[key] = (sig, rs)
        return rs


def clear_cache():
    """Forgets every cached rule set (the next call loads them again)."""
    with _cache_lock:
        _cache.clear()

