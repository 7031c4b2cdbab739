"""Drives `dagloon lsp` over stdio on the fixture rule sets (tests/lsp/fixtures):
a session whose requests and answers are compared with a golden transcript
(session.golden; UPDATE=1 writes it), plain assertions on what the server
itself does (diagnostics, positions in UTF-16, the debounce, the lifecycle),
and the protocol's failure cases, each on a server of its own.

usage: python3 tests/lsp/test_lsp.py build/dagloon"""

import faulthandler
import json
import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.realpath(os.path.join(HERE, "fixtures"))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dagloon")
TMP = tempfile.mkdtemp(prefix="lsptest.")
failures = []
faulthandler.dump_traceback_later(int(os.environ.get("LSP_TEST_HANG", "0")) or 10**6, exit=True)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def uri(rel):
    return "file://" + FIX + "/" + rel


def text(rel):
    with open(os.path.join(FIX, rel), encoding="utf-8") as f:
        return f.read()


def start(name):
    return Server([BIN, "lsp"], os.path.join(TMP, name + ".err"), cwd=TMP)


def stderr_of(name):
    with open(os.path.join(TMP, name + ".err"), encoding="utf-8", errors="replace") as f:
        return f.read()


# ---- the transcript: requests and answers, JSON with sorted keys, paths relative to the fixtures ----

transcript = []


def norm(x):
    if isinstance(x, str):
        return x.replace("file://" + FIX, "file://ROOT").replace(FIX, "ROOT")
    if isinstance(x, list):
        return [norm(v) for v in x]
    if isinstance(x, dict):
        return {norm(k): ("<%d characters>" % len(v) if k == "text" and isinstance(v, str) and len(v) > 60 else norm(v))
                for k, v in x.items()}
    return x


def record(kind, method, body):
    transcript.append("%s %s\n%s\n" % (kind, method, json.dumps(norm(body), sort_keys=True, indent=1,
                                                                 ensure_ascii=False)))


def ask(srv, method, params):
    record("-->", method, params)
    r = srv.request(method, params)
    record("<--", method, r.get("result") if "error" not in r else {"error": r["error"]})
    return r


def tell(srv, method, params):
    record("-->", method, params)
    srv.notify(method, params)


def diagnostics_now(srv, u):
    """The last diagnostics published for u, or None."""
    last = None
    for n in srv.notes:
        if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == u:
            last = n["params"]["diagnostics"]
    return last


def await_diagnostics(srv, u, pred, what, timeout=20):
    """Wait until the diagnostics published for u satisfy pred; record them."""
    now = diagnostics_now(srv, u)
    if now is None or not pred(now):
        try:
            m = srv.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == u
                             and pred(m["params"]["diagnostics"]), timeout)
            now = m["params"]["diagnostics"]
        except (TimeoutError, EOFError) as e:
            check(False, "%s: %s (last: %s)" % (what, e, json.dumps(diagnostics_now(srv, u))))
            return diagnostics_now(srv, u) or []
    record("<==", "publishDiagnostics " + norm(u), now)
    return now


def codes(diags):
    return sorted(d.get("code") for d in diags)


def utf16_units(s):
    return len(s.encode("utf-16-le")) // 2


# ---- the session ----

LOON = "rules/loon/loon.rules"
CSV = "rules/tabellen/maximum.csv"
BASIS = "rules/basis/basis.rules"
CASE = "cases/loon/een.case"

loon = text(LOON)
# line 11 (LSP line 10): an unknown name after '€', 'één' and a character outside the BMP ('𝄞', two UTF-16 units),
# and a second declaration of 'omschrijving' (E010, whose note points at the first)
BROKEN_LINE = '  = als omschrijving = "€ één 𝄞" dan dagloonn anders min(basis.dagloon_basis, maximum(begin))'
broken = loon.replace("  = min(basis.dagloon_basis, maximum(begin))", BROKEN_LINE) + \
    "\nregel omschrijving: tekst\n  bron DB art 1\n  = \"x\"\n"
assert broken != loon

srv = start("session")
r = ask(srv, "initialize", {"processId": None, "rootUri": "file://" + FIX, "locale": "en",
                            "capabilities": {}, "initializationOptions": {"datum": "2024-03-01"}})
caps = r["result"]["capabilities"]
for cap in ("hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider"):
    check(caps.get(cap) is True, "capability " + cap)
check(caps.get("renameProvider") == {"prepareProvider": True}, "rename with prepareProvider")
check(caps.get("completionProvider", {}).get("triggerCharacters") == ["."], "completion triggered by '.'")
check("legend" in caps.get("semanticTokensProvider", {}) and caps["semanticTokensProvider"].get("full") is True,
      "semantic tokens, full, with a legend")
check(caps.get("textDocumentSync", {}).get("openClose") is True and caps["textDocumentSync"].get("change") in (1, 2),
      "text document sync")
check("codeActionProvider" in caps, "code actions")
tell(srv, "initialized", {})

# open the rule file: its set is checked; the table CSV's broken row is reported in the CSV
tell(srv, "textDocument/didOpen", {"textDocument": {"uri": uri(LOON), "languageId": "dagloon", "version": 1,
                                                    "text": loon}})
csv_diags = await_diagnostics(srv, uri(CSV), lambda d: len(d) > 0, "the CSV's broken row is reported")
check(codes(csv_diags) == ["E052"], "the CSV diagnostic is E052: %s" % codes(csv_diags))
if csv_diags:
    d = csv_diags[0]
    # maximum.csv line 3 (LSP 2) '2024-07-01,geen bedrag,...': the cell starts after 11 characters, 11 long
    check(d["range"] == {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 22}},
          "the CSV diagnostic's range is the cell: %s" % d["range"])
    check(d.get("severity") == 1 and d.get("source") == "dagloon", "CSV diagnostic: an error from dagloon")
loon_diags = await_diagnostics(srv, uri(LOON), lambda d: True, "the open rule file gets its (empty) list")
check(loon_diags == [], "the rule file has no diagnostics: %s" % loon_diags)

# type an error: the unknown name and the duplicate are reported with UTF-16 ranges and the related place
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 2},
                                     "contentChanges": [{"text": broken}]})
bd = await_diagnostics(srv, uri(LOON), lambda d: len(d) == 2, "the typed errors are reported")
check(codes(bd) == ["E010", "E012"], "E010 and E012: %s" % codes(bd))
e012 = [d for d in bd if d["code"] == "E012"]
if e012:
    e = e012[0]
    # by hand: '  = als omschrijving = "€ één 𝄞" dan ' is 2+1+1+3+1+12+1+1+1+1 (the quote) +1 (€) +1 +3 (één) +1
    # +2 (𝄞: a surrogate pair) +1 (quote) +1 +3 (dan) +1 = 38 UTF-16 units (37 characters, 44 bytes)
    check(e["range"] == {"start": {"line": 10, "character": 38}, "end": {"line": 10, "character": 46}},
          "E012 range in UTF-16 units: %s" % e["range"])
    check(BROKEN_LINE.index("dagloonn") == 37 and utf16_units(BROKEN_LINE[:37]) == 38, "the hand count itself")
    check("did you mean 'dagloon'?" in e["message"], "the note's text in the message: %r" % e["message"])
e010 = [d for d in bd if d["code"] == "E010"]
if e010:
    rel = e010[0].get("relatedInformation", [])
    check(len(rel) == 1 and rel[0]["location"]["uri"] == uri(LOON) and
          rel[0]["location"]["range"] == {"start": {"line": 12, "character": 6}, "end": {"line": 12, "character": 18}},
          "E010's related information points at the first 'omschrijving' (line 13, columns 7-18): %s" % rel)

# the quick fix of the E012 just published, from the same analysis (features.h's code actions)
r = ask(srv, "textDocument/codeAction", {"textDocument": {"uri": uri(LOON)},
                                         "range": {"start": {"line": 10, "character": 38}, "end": {"line": 10, "character": 46}},
                                         "context": {"diagnostics": e012}})
check(isinstance(r.get("result"), list), "codeAction on the typed error answers CodeAction[]")
fixes = json.dumps(r.get("result"))
check('"newText": "dagloon"' in fixes, "the quick fix replaces 'dagloonn' by 'dagloon': %s" % fixes[:300])

# fix it again: the list is cleared
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 3},
                                     "contentChanges": [{"text": loon}]})
fixed = await_diagnostics(srv, uri(LOON), lambda d: d == [], "the fixed file's diagnostics are cleared")
check(fixed == [], "cleared")

# an incremental change: 'dagloon_basis' -> 'dagloon_basiss' typed as one character
line = loon.split("\n").index("  = min(basis.dagloon_basis, maximum(begin))")
col = len("  = min(basis.dagloon_basis")
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 4}, "contentChanges": [
    {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "s"}]})
inc = await_diagnostics(srv, uri(LOON), lambda d: len(d) > 0, "an incremental change is applied")
check(codes(inc) == ["E012"] and inc and inc[0]["range"]["start"] == {"line": line, "character": len("  = min(")},
      "the incremental change made 'basis.dagloon_basiss' unknown: %s" % inc)
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 5}, "contentChanges": [
    {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ""}]})
await_diagnostics(srv, uri(LOON), lambda d: d == [], "the incremental change taken back")

# the table CSV as the editor has it: the broken row repaired in the buffer (not on disk) clears it
tell(srv, "textDocument/didOpen", {"textDocument": {"uri": uri(CSV), "languageId": "csv", "version": 1,
                                                    "text": text(CSV)}})
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(CSV), "version": 2}, "contentChanges": [
    {"text": text(CSV).replace("geen bedrag", "290.67")}]})
csv_now = await_diagnostics(srv, uri(CSV), lambda d: d == [], "the CSV's buffer is read, not the disk")
check(csv_now == [], "the CSV repaired in the editor has no diagnostics")

# the used set as the editor has it: renaming its rule breaks the name the using set reads
tell(srv, "textDocument/didOpen", {"textDocument": {"uri": uri(BASIS), "languageId": "dagloon", "version": 1,
                                                    "text": text(BASIS)}})
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(BASIS), "version": 2}, "contentChanges": [
    {"text": text(BASIS).replace("regel dagloon_basis", "regel dagloon_grond")}]})
used = await_diagnostics(srv, uri(LOON), lambda d: len(d) > 0, "a change in the used set reaches the using set")
check(codes(used) == ["E012"], "basis.dagloon_basis is unknown once the used set's buffer renames it: %s" % used)
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(BASIS), "version": 3},
                                     "contentChanges": [{"text": text(BASIS)}]})
await_diagnostics(srv, uri(LOON), lambda d: d == [], "the used set restored")

# the queries (features.h): answered through the server's positions
pos_dagloon = {"line": 8, "character": 8}          # 'regel dagloon: geld' (line 9), inside 'dagloon'
pos_use = {"line": 10, "character": 16}            # '  = min(basis.dagloon_basis, ...': inside the used rule's name
td = {"uri": uri(LOON)}
r = ask(srv, "textDocument/hover", {"textDocument": td, "position": pos_dagloon})
check("result" in r and (r["result"] is None or "contents" in r["result"]), "hover answers Hover or null")
r = ask(srv, "textDocument/definition", {"textDocument": td, "position": pos_use})
check(isinstance(r.get("result"), list), "definition answers Location[]")
r = ask(srv, "textDocument/references", {"textDocument": td, "position": pos_dagloon,
                                         "context": {"includeDeclaration": True}})
check(isinstance(r.get("result"), list), "references answers Location[]")
r = ask(srv, "textDocument/completion", {"textDocument": td, "position": {"line": 10, "character": 14},   # after 'basis.'
                                         "context": {"triggerKind": 2, "triggerCharacter": "."}})
check(isinstance(r.get("result"), (list, dict)), "completion answers CompletionItem[]")
r = ask(srv, "textDocument/prepareRename", {"textDocument": td, "position": pos_dagloon})
check("result" in r, "prepareRename answers")
r = ask(srv, "textDocument/rename", {"textDocument": td, "position": pos_dagloon, "newName": "dagloon_per_dag"})
check("result" in r or r.get("error", {}).get("code") == -32803, "rename answers a WorkspaceEdit or RequestFailed")
r = ask(srv, "textDocument/rename", {"textDocument": td, "position": pos_dagloon})
check(r.get("error", {}).get("code") == -32602, "rename without newName: InvalidParams")
r = ask(srv, "textDocument/codeAction", {"textDocument": td, "range": {"start": {"line": 10, "character": 0},
                                                                       "end": {"line": 10, "character": 40}},
                                         "context": {"diagnostics": []}})
check(isinstance(r.get("result"), list), "codeAction answers CodeAction[]")
r = ask(srv, "textDocument/documentSymbol", {"textDocument": td})
check(isinstance(r.get("result"), list), "documentSymbol answers DocumentSymbol[]")
r = ask(srv, "textDocument/semanticTokens/full", {"textDocument": td})
check(isinstance(r.get("result", {}).get("data"), list), "semanticTokens/full answers {data}")

# formatting: the buffer as typed, in dagloon fmt's layout (one edit over the whole buffer), nothing when
# it is in that layout already, an error answer (and no edit) on a lexical error
r = ask(srv, "textDocument/formatting", {"textDocument": td, "options": {"tabSize": 2, "insertSpaces": True}})
check(r.get("result") == [], "formatting a formatted file: no edit")
deformed = loon.replace("\n\n", "\n\n\n", 1).replace("regel dagloon: geld", "regel   dagloon:geld   ", 1)
check(deformed != loon, "the deformed text differs")
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 101}, "contentChanges": [{"text": deformed}]})
r = ask(srv, "textDocument/formatting", {"textDocument": td, "options": {"tabSize": 2, "insertSpaces": True}})
edits = r.get("result") or []
lines = deformed.split("\n")
check(len(edits) == 1 and edits[0]["range"]["start"] == {"line": 0, "character": 0}
      and edits[0]["range"]["end"] == {"line": len(lines) - 1, "character": utf16_units(lines[-1])}
      and edits[0]["newText"] == loon, "formatting: one edit over the whole buffer giving the canonical text")
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 102},
                                     "contentChanges": [{"text": loon + "\nregel x: geld = \"open\n"}]})
r = ask(srv, "textDocument/formatting", {"textDocument": td, "options": {"tabSize": 2, "insertSpaces": True}})
check(r.get("error", {}).get("code") == -32803 and "result" not in r, "formatting a file with a lexical error: RequestFailed")
tell(srv, "textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 103}, "contentChanges": [{"text": loon}]})
await_diagnostics(srv, uri(LOON), lambda d: d == [], "the rule file restored after formatting")

# a case file: its rule set is rules/loon (the folder it is in, found above it)
case_text = text(CASE)
tell(srv, "textDocument/didOpen", {"textDocument": {"uri": uri(CASE), "languageId": "yaml", "version": 1,
                                                    "text": case_text}})
case_line = case_text.split("\n").index("  dagloon: \"100.00\"")
r = ask(srv, "textDocument/definition", {"textDocument": {"uri": uri(CASE)},
                                         "position": {"line": case_line, "character": 4}})
check(isinstance(r.get("result"), list), "definition in a case file answers Location[]")
r = ask(srv, "textDocument/hover", {"textDocument": {"uri": uri(CASE)}, "position": {"line": case_line, "character": 4}})
check(r.get("result", 0) is None, "hover in a case file: null")

# documents not open, not files, not in a rule set: null or [], never an error
for u in (uri("rules/loon/invoer.rules"), "untitled:Untitled-1", "file:///nonexistent/x.rules"):
    r = ask(srv, "textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}})
    check(r.get("result", 0) is None, "hover on %s: null" % u)
    r = ask(srv, "textDocument/definition", {"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}})
    check(r.get("result") == [], "definition on %s: []" % u)
tell(srv, "textDocument/didOpen", {"textDocument": {"uri": uri("README-not-rules.txt"), "languageId": "text",
                                                    "version": 1, "text": "hallo"}})
r = ask(srv, "textDocument/documentSymbol", {"textDocument": {"uri": uri("README-not-rules.txt")}})
check(r.get("result") == [], "a document in no rule set: []")
r = ask(srv, "textDocument/hover", {"textDocument": td, "position": {"line": 9999, "character": 9999}})
check("result" in r, "a position past the end answers")
r = ask(srv, "textDocument/hover", {"textDocument": td, "position": {"line": -1, "character": "x"}})
check("result" in r or "error" in r, "a malformed position answers")

# the debounce: 20 changes written at once give one check of the rule set, of the last text
def builds(name):
    return sum(1 for l in stderr_of(name).splitlines() if "checked " + FIX + "/rules/loon:" in l)


srv.drain(0.5)
before = builds("session")
burst = b""
for i in range(20):
    body = loon + "\n" + "-- " + "x" * i + "\n"
    if i == 19:
        body = broken
    burst += Server.frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                           "params": {"textDocument": {"uri": uri(LOON), "version": 10 + i},
                                      "contentChanges": [{"text": body}]}})
t0 = time.time()
srv.write_raw(burst)
record("-->", "textDocument/didChange x20", {"versions": "10..29", "last": "the broken text"})
bd = await_diagnostics(srv, uri(LOON), lambda d: len(d) == 2, "the last of 20 changes is checked")
waited = time.time() - t0
srv.drain(0.6)
after = builds("session")
check(after - before == 1, "20 rapid changes gave %d checks of the rule set, not 1" % (after - before))
check(waited >= 0.195, "diagnostics came after the debounce (%.3f s; the server counts whole ms)" % waited)
pub = [n for n in srv.notes if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri(LOON)]
check(pub and pub[-1]["params"].get("version") == 29, "published for version 29: %s" % (pub and pub[-1]["params"].get("version")))
print("debounce: 20 changes -> %d check(s); diagnostics %.0f ms after the burst" % (after - before, waited * 1000))

# closing the buffer: the disk's text again (no errors there)
tell(srv, "textDocument/didClose", {"textDocument": {"uri": uri(LOON)}})
await_diagnostics(srv, uri(LOON), lambda d: d == [], "closed: the file on disk is checked again")
tell(srv, "workspace/didChangeConfiguration", {"settings": {"dagloon": {"datum": "2024-08-01"}}})
tell(srv, "$/cancelRequest", {"id": 999})

r = ask(srv, "shutdown", None)
check("result" in r and r["result"] is None, "shutdown answers null")
r = ask(srv, "textDocument/hover", {"textDocument": td, "position": pos_dagloon})
check(r.get("error", {}).get("code") == -32600, "a request after shutdown: InvalidRequest")
tell(srv, "exit", None)
rc = srv.wait_exit()
check(rc == 0, "exit after shutdown: status 0, not %s" % rc)
check(not srv.framing_errors, "only framed JSON-RPC on standard output")

golden = os.path.join(HERE, "session.golden")
got = "\n".join(transcript)
if os.environ.get("UPDATE") == "1":
    with open(golden, "w", encoding="utf-8") as f:
        f.write(got)
    print("wrote", golden)
else:
    with open(golden, encoding="utf-8") as f:
        want = f.read()
    if want != got:
        with open(os.path.join(TMP, "session.got"), "w", encoding="utf-8") as f:
            f.write(got)
        check(False, "the transcript differs from tests/lsp/session.golden (diff -u %s %s)"
              % (golden, os.path.join(TMP, "session.got")))

# ---- what the server itself decides, on a server of its own (assertions only) ----

s = start("extras")
s.request("initialize", {"processId": None, "rootUri": "file://" + FIX, "capabilities": {}})
s.notify("initialized", {})
# a table CSV opened first: the rule sets that read it are found among its folder's siblings
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(CSV), "languageId": "csv", "version": 1, "text": text(CSV)}})
d = await_diagnostics(s, uri(CSV), lambda d: len(d) > 0, "a CSV opened on its own finds the rule set reading it")
check(codes(d) == ["E052"], "the CSV opened first: E052 %s" % codes(d))
s.drain(0.5)
n_loon = sum(1 for l in stderr_of("extras").splitlines() if "checked " + FIX + "/rules/loon:" in l)
check(n_loon == 1, "rules/loon was found as the reader of the CSV, and checked once: %d" % n_loon)
# more messages of one code than DIAG_MAX_PER_CODE (10): ten shown, and one more saying how many were not
many = loon + "".join("\nregel r%d: geld\n  bron DB art 1\n  = onbekend%d\n" % (i, i) for i in range(13))
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(LOON), "languageId": "dagloon", "version": 1, "text": many}})
d = await_diagnostics(s, uri(LOON), lambda d: len(d) > 0, "thirteen unknown names")
e = [x for x in d if x["code"] == "E012"]
check(len([x for x in e if x["severity"] == 1]) == 10, "ten E012 errors shown: %d" % len(e))
capped = [x for x in e if x["severity"] == 3]
check(len(capped) == 1 and "3 more" in capped[0]["message"], "the three past the cap are counted: %s" % capped)
# the sandbox still decides for a path an open buffer stands in for: a table outside the tree is refused
outside = os.path.join(TMP, "outside.csv")
with open(outside, "w") as f:
    f.write(text(CSV))
s.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + outside, "languageId": "csv", "version": 1,
                                                   "text": text(CSV).replace("geen bedrag", "1.00")}})
s.notify("textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 2}, "contentChanges": [
    {"text": loon.replace("../tabellen/maximum.csv", outside)}]})
d = await_diagnostics(s, uri(LOON), lambda d: "E083" in codes(d), "a table outside the tree is refused (E083)")
check(codes(d) == ["E083"], "only E083: %s" % codes(d))
# a case file whose rule set does not exist: no answers, no error
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri("cases/geen/x.case"), "languageId": "yaml", "version": 1,
                                                   "text": "naam: x\n"}})
r = s.request("textDocument/definition", {"textDocument": {"uri": uri("cases/geen/x.case")},
                                          "position": {"line": 0, "character": 1}})
check(r.get("result") == [], "a case file of no rule set: []")
s.request("shutdown")
s.notify("exit", None)
check(s.wait_exit() == 0, "extras: exit 0")

# ---- the protocol's failure cases ----

def protocol_case(name, data, want_rc, init=True, close=True, wait=20):
    s = start(name)
    if init:
        s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    s.write_raw(data)
    if close:
        s.close_input()
    try:
        rc = s.wait_exit(wait)
    except Exception:
        s.proc.kill()
        rc = "hung"
    check(rc == want_rc, "%s: exit status %s, want %s (stderr: %s)" % (name, rc, want_rc, stderr_of(name)[-300:]))
    return s


# invalid JSON -> ParseError, and the server goes on
s = start("parse_error")
s.write_raw(b"Content-Length: 9\r\n\r\n{not json")
r = s.wait_for(lambda m: "error" in m)
check(r["error"]["code"] == -32700 and r["id"] is None, "invalid JSON: ParseError with id null: %s" % r)
r = s.request("initialize", {"processId": None, "capabilities": {}})
check("result" in r, "the server goes on after a ParseError")
r = s.request("no/such/method", {})
check(r.get("error", {}).get("code") == -32601, "unknown method: MethodNotFound: %s" % r)
r = s.request("initialize", {"processId": None, "capabilities": {}})
check(r.get("error", {}).get("code") == -32600, "initialize twice: InvalidRequest")
s.write_raw(Server.frame([1, 2, 3]))
r = s.wait_for(lambda m: "error" in m and m.get("id") is None)
check(r["error"]["code"] == -32600, "a JSON array is not a request: InvalidRequest")
s.write_raw(Server.frame({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"}))
r = s.wait_for(lambda m: "error" in m and m.get("id") is None)
check(r["error"]["code"] == -32600, "an id that is an object: InvalidRequest")
s.notify("no/such/notification", {})
s.notify("textDocument/didOpen", {"textDocument": 5})
s.notify("textDocument/didChange", {"textDocument": {"uri": uri(LOON)}, "contentChanges": "x"})
r = s.request("shutdown")
check("result" in r, "shutdown after the bad messages")
s.notify("exit", None)
check(s.wait_exit() == 0, "parse_error session ends with 0")

# a request before initialize -> ServerNotInitialized; a notification then is dropped
s = start("not_initialized")
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(LOON), "version": 1, "text": loon}})
r = s.request("textDocument/hover", {"textDocument": {"uri": uri(LOON)}, "position": {"line": 0, "character": 0}})
check(r.get("error", {}).get("code") == -32002, "before initialize: ServerNotInitialized: %s" % r)
s.notify("exit", None)
check(s.wait_exit() == 1, "exit without shutdown: 1")

# EOF without exit -> 1
protocol_case("eof", b"", 1)
# a 70 MiB Content-Length is refused before its body is read or allocated
t0 = time.time()
s = protocol_case("too_large", b"Content-Length: %d\r\n\r\n{" % (70 * 1024 * 1024), 1, close=False)
check("larger than" in stderr_of("too_large"), "the oversized message is named on stderr")
check(time.time() - t0 < 10, "refused at once")
# a header section that never ends, a header without a colon, a length that is not a number
protocol_case("long_header", b"X-Junk: " + b"a" * 10000, 1, close=False)
protocol_case("bad_header", b"Content-Length 5\r\n\r\nhello", 1)
protocol_case("bad_length", b"Content-Length: 5x\r\n\r\nhello", 1)
protocol_case("no_length", b"Content-Type: x\r\n\r\n{}", 1)
protocol_case("cut_body", b"Content-Length: 100\r\n\r\n{\"jsonrpc\"", 1)

# garbage: seeded random bytes, and random bodies in valid frames: no crash, only protocol on stdout
rng = random.Random(17)
for i in range(8):
    junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
    s = protocol_case("garbage%d" % i, junk, 1)
    check(not s.framing_errors, "garbage%d: stdout stays framed JSON-RPC" % i)
for i in range(8):
    data = b""
    for _ in range(20):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        if rng.random() < 0.5:   # JSON-ish: a request with random members
            body = json.dumps({"jsonrpc": "2.0", "id": rng.choice([1, "a", None, 2.5, [1]]),
                               "method": rng.choice(["textDocument/hover", "textDocument/didOpen", "initialize",
                                                     "textDocument/rename", "textDocument/codeAction", "shutdown"]),
                               "params": rng.choice([None, 1, "x", {}, {"textDocument": {"uri": uri(LOON)},
                                                                       "position": {"line": 1, "character": 2}},
                                                     {"textDocument": {"uri": uri(LOON), "text": "regel", "version": "v"}}])
                               }).encode()
        data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    s = protocol_case("frames%d" % i, data, 1)
    check(not s.framing_errors, "frames%d: stdout stays framed JSON-RPC" % i)

# random incremental edits (ranges past the end, reversed, inside a surrogate pair, text with é, € and 𝄞)
# and requests at random positions: every request answered, then a range over everything restores the
# file and its diagnostics are empty again
s = start("random_edits")
s.request("initialize", {"processId": None, "capabilities": {}})
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(LOON), "version": 1, "text": loon}})
pieces = ["", "x", "é", "€", "𝄞", "\n", "\r\n", "regel ", "= (", ")", "\"", "--", " 1.5 ", "basis."]
methods = ["textDocument/hover", "textDocument/definition", "textDocument/references", "textDocument/completion",
           "textDocument/prepareRename", "textDocument/documentSymbol", "textDocument/semanticTokens/full",
           "textDocument/codeAction", "textDocument/formatting"]
answered = 0
for i in range(60):
    p0 = {"line": rng.randrange(25), "character": rng.randrange(120)}
    p1 = {"line": rng.randrange(25), "character": rng.randrange(120)}
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 2 + i}, "contentChanges": [
        {"range": {"start": p0, "end": p1}, "text": "".join(rng.choice(pieces) for _ in range(rng.randrange(4)))}]})
    if i % 3 == 0:
        m = rng.choice(methods)
        r = s.request(m, {"textDocument": {"uri": uri(LOON)}, "position": p0, "range": {"start": p0, "end": p1},
                          "context": {"includeDeclaration": True, "diagnostics": []}})
        # (formatting answers an error, not a result, when the edits made a lexical error)
        answered += "result" in r or (m == "textDocument/formatting" and r.get("error", {}).get("code") == -32803)
s.notify("textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 99},
                                   "contentChanges": [{"text": broken}]})
s.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(LOON)}})   # checks the broken text now
s.notify("textDocument/didChange", {"textDocument": {"uri": uri(LOON), "version": 100}, "contentChanges": [
    {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}}, "text": loon}]})
check(answered == 20, "every request among the random edits answered: %d of 20" % answered)
try:
    m = s.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri(LOON)
                   and m["params"].get("version") == 100)
    check(m["params"]["diagnostics"] == [], "a range over the whole text replaces it all: %s" % m["params"])
except (TimeoutError, EOFError) as e:
    check(False, "random_edits: no diagnostics for version 100 (%s)" % e)
s.request("shutdown")
s.notify("exit", None)
check(s.wait_exit() == 0, "random_edits: exit 0")

# the client's locale chooses the language of the messages (i18n_use): Dutch for "nl-NL"
s = start("locale_nl")
s.request("initialize", {"processId": None, "capabilities": {}, "locale": "nl-NL"})
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri(LOON), "version": 1, "text": broken}})
d = await_diagnostics(s, uri(LOON), lambda d: len(d) > 0, "diagnostics with the locale nl-NL")
msgs = " | ".join(x["message"] for x in d)
check("onbekende naam 'dagloonn'" in msgs, "the messages in Dutch for the locale nl-NL: %s" % msgs)
s.request("shutdown")
s.notify("exit", None)
check(s.wait_exit() == 0, "locale_nl: exit 0")

# the client goes away: writes fail with EPIPE and the server stops cleanly (status 1, not killed by SIGPIPE)
import subprocess  # noqa: E402
with open(os.path.join(TMP, "closed_pipe.err"), "wb") as err:
    p = subprocess.Popen([BIN, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=TMP)
    p.stdout.close()   # nobody reads the answers
    try:
        p.stdin.write(Server.frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                    "params": {"processId": None, "capabilities": {}}}))
        for k in range(50):
            p.stdin.write(Server.frame({"jsonrpc": "2.0", "id": k + 2, "method": "textDocument/hover",
                                        "params": {"textDocument": {"uri": "untitled:x"},
                                                   "position": {"line": 0, "character": 0}}}))
        p.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    rc = p.wait(20)
check(rc == 1, "a closed output pipe ends the server with 1, not %s" % rc)
check("cannot write" in stderr_of("closed_pipe"), "the closed pipe is said on stderr")

# under the sanitizers (build-san/dagloon) a report in any server's stderr is a failure
for name in sorted(os.listdir(TMP)):
    if name.endswith(".err"):
        err = stderr_of(name[:-4])
        check("Sanitizer" not in err and "runtime error:" not in err, "sanitizer report in %s: %s" % (name, err[:2000]))

if failures:
    print("lsp: %d failure(s); the servers' standard error is in %s" % (len(failures), TMP))
    sys.exit(1)
shutil.rmtree(TMP, ignore_errors=True)
print("lsp: the session (transcript and assertions) and the protocol cases pass")
