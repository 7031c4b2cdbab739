"""Finding libdagloon and declaring its functions for ctypes (tools/api/dagloon.h).

ctypes rather than cffi or an extension: it is in the standard library, so installing needs no
compiler, no header and no package beyond pandas, and the module works with any libdagloon of a
compatible API version. A call costs microseconds beside an evaluation's work.
"""
import ctypes
import os

from .errors import CODES, DagloonError

API_MAJOR, API_MINOR = 0, 3   # the header version this module is written against
SONAME = "libdagloon.so.0"


def _candidates():
    """Where the library is looked for, in order (README.md, "Finding the library")."""
    env = os.environ.get("DAGLOON_LIB")
    if env:
        yield os.path.join(env, SONAME) if os.path.isdir(env) else env
        return   # asked for explicitly: nothing else
    yield SONAME   # the dynamic loader's search: make install (/usr/local/lib), the Debian package
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.normpath(os.path.join(here, "..", "..", "..", "build", SONAME))   # imported from the source tree


def _load():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path}: {e}")
    raise DagloonError("LOAD", "libdagloon not found; set DAGLOON_LIB to libdagloon.so.0 or its folder "
                       "(tried " + "; ".join(tried) + ")")


class Field(ctypes.Structure):
    """dagloon_field"""
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_char_p), ("kind", ctypes.c_int),
                ("element", ctypes.c_int), ("type_name", ctypes.c_char_p), ("optional", ctypes.c_int),
                ("key", ctypes.c_int), ("label", ctypes.c_char_p), ("source", ctypes.c_char_p)]


# dagloon_kind by number
KINDS = ("waarheid", "geheel", "getal", "geld", "datum", "tekst", "keuze", "gegevens", "lijst", "periode",
         "dagen", "maanden", "jaren")

_lib = None
path = None


def lib():
    """The loaded library, its functions declared; loaded on first use."""
    global _lib, path
    if _lib is not None:
        return _lib
    L, where = _load()
    P, S, E = ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)
    sig = {
        "dagloon_version": ([], ctypes.c_char_p),
        "dagloon_api_version": ([], ctypes.c_int),
        "dagloon_error_code": ([P], ctypes.c_int),
        "dagloon_error_message": ([P], ctypes.c_char_p),
        "dagloon_error_record": ([P], ctypes.c_char_p),
        "dagloon_error_field": ([P], ctypes.c_char_p),
        "dagloon_error_rule": ([P], ctypes.c_char_p),
        "dagloon_error_location": ([P], ctypes.c_char_p),
        "dagloon_error_free": ([P], None),
        "dagloon_rules_load": ([ctypes.POINTER(ctypes.c_char_p), S, P, E], P),
        "dagloon_rules_free": ([P], None),
        "dagloon_rules_can_explain": ([P], ctypes.c_int),
        "dagloon_rules_hash": ([P], ctypes.c_char_p),
        "dagloon_input_count": ([P], S),
        "dagloon_input_field": ([P, S], ctypes.POINTER(Field)),
        "dagloon_output_count": ([P], S),
        "dagloon_output_column": ([P, S], ctypes.POINTER(Field)),
        "dagloon_record_count": ([P, ctypes.c_char_p], S),
        "dagloon_record_field": ([P, ctypes.c_char_p, S], ctypes.POINTER(Field)),
        "dagloon_evaluator_new": ([P], P),
        "dagloon_evaluator_free": ([P], None),
        "dagloon_evaluator_set_limits": ([P, ctypes.c_uint64, S], None),
        "dagloon_evaluate": ([P, ctypes.c_char_p, S, E], ctypes.c_char_p),
        "dagloon_explain": ([P, ctypes.c_char_p, S, ctypes.c_char_p, E], ctypes.c_char_p),
    }
    for name, (args, res) in sig.items():
        f = getattr(L, name)
        f.argtypes, f.restype = args, res
    v = L.dagloon_api_version()
    if v >> 16 != API_MAJOR or (v & 0xFFFF) < API_MINOR:
        raise DagloonError("LOAD", f"{where} has API {v >> 16}.{v & 0xFFFF}; this module needs "
                           f"{API_MAJOR}.{API_MINOR} or a later {API_MAJOR}.x")
    _lib, path = L, where
    return L


def _text(b):
    return b.decode("utf-8") if b else ""


def raise_error(errp):
    """Turns the error object *errp into a DagloonError (and frees it)."""
    L = lib()
    e = errp.value
    try:
        code = L.dagloon_error_code(e)
        raise DagloonError(code_name(code), _text(L.dagloon_error_message(e)), _text(L.dagloon_error_record(e)),
                           _text(L.dagloon_error_field(e)), _text(L.dagloon_error_rule(e)),
                           _text(L.dagloon_error_location(e)))
    finally:
        L.dagloon_error_free(e)
        errp.value = None


def code_name(n):
    return CODES[n] if 0 <= n < len(CODES) else str(n)
