#!/usr/bin/env python3
"""craft.py IN OUT OP...: a receipt (IN) altered by each OP in turn, written to OUT -- the hostile
receipts of tests/replay/run.sh.

  command=JSON          the command line, as given
  prefix-args=JSON      these arguments right after the program's name
  drop-arg=TOKEN:N      the first TOKEN of the command and the N-1 arguments after it left out
  drop-role=ROLE        every file entry of ROLE left out
  add-file=JSON         one more file entry, at the end
  rename=OLD:NEW        OLD for NEW in the command and in every path
  huge-argv=N           a command of N arguments
  set=JSON             these top-level fields set
"""
import json
import sys

rec = json.load(open(sys.argv[1]))
for op in sys.argv[3:]:
    key, _, val = op.partition("=")
    cmd = rec["command"]
    if key == "command":
        rec["command"] = json.loads(val)
    elif key == "prefix-args":
        rec["command"] = cmd[:1] + json.loads(val) + cmd[1:]
    elif key == "drop-arg":
        token, n = val.rsplit(":", 1)
        i = cmd.index(token)
        del cmd[i:i + int(n)]
    elif key == "drop-role":
        rec["files"] = [f for f in rec["files"] if f["role"] != val]
    elif key == "add-file":
        rec["files"].append(json.loads(val))
    elif key == "rename":
        old, new = val.split(":", 1)
        rec["command"] = [new if a == old else a for a in cmd]
        for f in rec["files"]:
            if f["path"] == old:
                f["path"] = new
    elif key == "huge-argv":
        rec["command"] = ["dagloon", "run"] + ["x"] * int(val)
    elif key == "set":
        rec.update(json.loads(val))
    else:
        sys.exit("craft.py: unknown operation " + op)
with open(sys.argv[2], "w") as f:
    json.dump(rec, f, indent=2)
