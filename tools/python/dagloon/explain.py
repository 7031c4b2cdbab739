"""dagloon.explain: one dossier's explanation, the dict of `dagloon explain RULES INPUT --id ID --format json`."""
import json

from .convert import dossier_json
from .rules import rule_set


def explain(rules, dossier, input_name=None):
    """rules: paths or a RuleSet; dossier: a dict (or a DataFrame row, a pandas Series) of the invoer's fields,
    or the dossier's JSON text. input_name: the INPUT named in the explanation (None: "-"); with the file the
    dossier is the first line of, the dict equals the command's JSON. Raises DagloonError (INPUT when the
    dossier cannot be read; a failing computation is explained up to the failure, as the command does)."""
    rs = rule_set(rules)
    if not isinstance(dossier, str):
        dossier = dossier_json(rs, dict(dossier))
    return json.loads(rs.explain_json(dossier, input_name))
