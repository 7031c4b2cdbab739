#!/usr/bin/python3
"""dagloon serve on a native bundle (tests/native/run.sh): the server loads it through the library
(dagloon_rules_load) only under --allow-native FILE=SHA256, and answers every dossier of the sample
population with the same bytes as a server on the rule files (the VM).

    python3 tests/native/serve_native.py BIN RULES NATIVE.so POPULATION.jsonl
"""
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'serve'))
import test_serve  # noqa: E402  (its Server: a free port, the log, a clean stop)

BIN, RULES, SO, POP = sys.argv[1:5]


def answers(tmp, args, name):
    """Every dossier of POP posted to /v1/NAME/bereken: the status and body of each."""
    sv = test_serve.Server(tmp, args)
    try:
        out = []
        with open(POP, 'rb') as f:
            for line in f:
                st, _, body = sv.request('POST', '/v1/%s/bereken' % name, line)
                out.append((st, body))
        return out
    finally:
        sv.stop()


def main():
    sha = hashlib.sha256(open(SO, 'rb').read()).hexdigest()
    name = os.path.basename(SO).rsplit('.', 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        vm = answers(tmp, [RULES], os.path.basename(RULES.rstrip('/')))
        nat = answers(tmp, ['--allow-native', '%s=%s' % (SO, sha), SO], name)
        refused = subprocess.run([BIN, 'serve', SO, '--listen', '127.0.0.1:0'], capture_output=True, text=True,
                                 timeout=60)
    fails = 0
    if not all(st == 200 and b'"' in body for st, body in vm):
        print('FAIL: serve on the rules did not answer every dossier with a result: the test tests nothing')
        fails += 1
    if len(vm) != len(nat) or not vm:
        print('FAIL: serve on the native bundle answered %d dossiers, on the rules %d' % (len(nat), len(vm)))
        fails += 1
    for i, (a, b) in enumerate(zip(vm, nat)):
        if a != b:
            print('FAIL: dossier %d: serve on the native bundle answers %r, on the rules %r' % (i + 1, b, a))
            fails += 1
    if refused.returncode == 0 or 'not allowed' not in refused.stderr:
        print('FAIL: serve loaded a native bundle without --allow-native (exit %d): %s'
              % (refused.returncode, refused.stderr))
        fails += 1
    print('serve native: %d dossiers, %d failures' % (len(vm), fails))
    sys.exit(1 if fails else 0)


main()
