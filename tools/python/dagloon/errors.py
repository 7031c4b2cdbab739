"""The one exception of the module: what libdagloon said went wrong, every field of its error."""

# dagloon_status in tools/api/dagloon.h, by number.
CODES = ("OK", "ARGUMENT", "LOAD", "RULES", "INPUT", "EVAL", "LIMIT", "NO_TRACE", "INTERRUPTED", "WRITE")


class DagloonError(Exception):
    """An error of libdagloon (or of the module, in the library's terms).

    code: the status name ("RULES", "INPUT", "EVAL", ...; see dagloon_status), status: its number;
    message: the library's message (every diagnostic, for RULES); record: the dossier's id or "";
    field: the field path for INPUT ("loon[2].loon"); rule: the rule for EVAL and LIMIT;
    location: "file:line:col" in the rule files, or "".
    """

    def __init__(self, code, message, record="", field="", rule="", location=""):
        super().__init__(message)
        self.code = code
        self.status = CODES.index(code) if code in CODES else -1
        self.message = message
        self.record = record
        self.field = field
        self.rule = rule
        self.location = location

    @property
    def reason(self):
        """The message without the field in front (the field is in .field): the reason column of
        `dagloon run --errors`."""
        lead = self.field + ": "
        return self.message[len(lead):] if self.field and self.message.startswith(lead) else self.message

    def __str__(self):
        where = [f"{k} {v!r}" for k, v in (("record", self.record), ("field", self.field),
                                           ("rule", self.rule), ("at", self.location)) if v]
        return f"{self.code}: {self.message}" + (f" ({', '.join(where)})" if where else "")
