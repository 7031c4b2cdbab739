"""dagloon: Dagloon rule sets from Python over libdagloon -- run, compare and explain dossiers with pandas.

    import dagloon
    uit = dagloon.run("rules/wia", dossiers)                      # a DataFrame, money as Decimal
    verschil = dagloon.compare("rules/wia", "rules/voorstellen/twaalf_maanden_loon", dossiers)
    uitleg = dagloon.explain("rules/wia", dossiers.iloc[0])       # the explanation dict

See README.md beside this package.
"""
from .compare import compare
from .convert import Periode
from .errors import DagloonError
from .explain import explain
from .rules import RuleSet, clear_cache
from .run import ERROR_COLUMNS, run

__all__ = ["run", "compare", "explain", "RuleSet", "DagloonError", "Periode", "clear_cache", "ERROR_COLUMNS",
           "library_path", "schema", "version"]


def schema(rules):
    """The rule set's fields and columns with their types, labels and sources (RuleSet.schema)."""
    from .rules import rule_set
    return rule_set(rules).schema()


def library_path():
    """The file libdagloon was loaded from."""
    from . import _library
    _library.lib()
    return _library.path


def version():
    """The engine's version ("0.1.0", as `dagloon --version`)."""
    from . import _library
    return _library.lib().dagloon_version().decode()
