"""dagloon serve over HTTP (tests/serve/run.sh): answers equal to `dagloon run --format jsonl`,
problem bodies (RFC 9457), limits, concurrent clients and the graceful stop on SIGTERM.

Only 127.0.0.1, a free port chosen by the server (--listen 127.0.0.1:0, read from its stderr);
every wait is bounded and the servers are stopped (SIGTERM, then SIGKILL) whatever happens.
Usage: python3 tests/serve/test_serve.py build/dagloon
"""
import csv
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else 'build/dagloon'
STEPS = '100000'
TIMEOUT = 3        # seconds a connection may stay idle (the first server's --timeout)   # small enough that tests/serve/lus stops quickly, plenty for wia and herstel
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what, file=sys.stderr)


class Server:
    """dagloon serve ARGS --listen HOST:0 (a free port; host '::1' for IPv6, or LISTEN as given), its
    stderr in a file. tests/serve/test_ops.py, test_reload.py and test_load.py use it too."""

    def __init__(self, tmp, args, host='127.0.0.1', listen=None):
        self.host = host
        # O_APPEND: the server's stderr shares this file's offset with the test, which seeks to 0
        # to read it; without O_APPEND a line the server writes meanwhile would land at 0 over the log
        path = os.path.join(tmp, 'serve%d.log' % id(self))
        open(path, 'w').close()   # a new file: id() of a freed Server comes back
        self.log = open(path, 'a+')
        listen = listen or ('[%s]:0' % host if ':' in host else '%s:0' % host)
        self.p = subprocess.Popen([BIN, 'serve', *args, '--listen', listen],
                                  stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline and self.p.poll() is None:
            self.log.seek(0)
            m = re.search(r'listening on http://(\S+):(\d+)/', self.log.read())
            if m:
                self.shown, self.port = m.group(1), int(m.group(2))
                break
            time.sleep(0.05)
        if not self.port:
            self.stop()
            self.log.seek(0)
            sys.exit('error: dagloon serve did not start:\n' + self.log.read())

    def request(self, method, path, body=None, headers=None, conn=None):
        c = conn or http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
        finally:
            if not conn:
                c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def stop(self, wait=60):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if self.p.returncode != 0:   # (a sanitizer's report, say)
            self.log.seek(0)
            print(self.log.read()[-4000:], file=sys.stderr)
        return self.p.returncode


def expected(tmp, rules, lines, name):
    """What dagloon run --format jsonl writes for these dossier lines: rows, and error rows by record."""
    inp = os.path.join(tmp, name + '.in.jsonl')
    with open(inp, 'w') as f:
        f.write(''.join(l + '\n' for l in lines))
    out, errs = os.path.join(tmp, name + '.out.jsonl'), os.path.join(tmp, name + '.errors.csv')
    st = subprocess.run([BIN, 'run', rules, inp, '--format', 'jsonl', '-o', out, '--errors', errs,
                         '--threads', '1', '--max-steps', STEPS], stderr=subprocess.DEVNULL).returncode
    assert st in (0, 3), 'dagloon run %s exited %d' % (rules, st)
    rows = open(out, 'rb').read().splitlines()
    errors = {int(r['record']): r for r in csv.DictReader(open(errs, newline=''))}
    # the answer per input line: ('row', bytes) or ('error', csv row), in order
    answers, it = [], iter(rows)
    for i in range(1, len(lines) + 1):
        answers.append(('error', errors[i]) if i in errors else ('row', next(it)))
    assert next(it, None) is None
    return answers


def same_error(p, want):
    """A problem (or error line) says what run's error row says: the id, field and rule; the rule's
    location (a dossier that cannot be read has none: run names its input file's line there); the
    reason, which the library prefixes with the field."""
    loc = want['location'] if want['rule'] else ''
    return (p.get('record', '') == want['id'] and p.get('field', '') == want['field']
            and p.get('rule', '') == want['rule'] and p.get('location', '') == loc
            and p.get('detail', '').endswith(want['reason']))


def problem(status, headers, body, want_status, want_type):
    check(status == want_status, 'status %d, not %d: %r' % (status, want_status, body[:200]))
    check(headers.get('content-type') == 'application/problem+json', 'problem content type: %r' % headers)
    try:
        p = json.loads(body)
    except ValueError:
        check(False, 'a problem body that is not JSON: %r' % body[:200])
        return {}
    check(p.get('type') == 'urn:dagloon:problem:' + want_type and p.get('status') == want_status
          and p.get('title') and p.get('detail'), 'problem fields: %r' % p)
    return p


def main():
    tmp = tempfile.mkdtemp(prefix='serve-test.')
    wia = open('rules/wia/populatie.jsonl').read().splitlines()
    gen = subprocess.run(['python3', 'tools/gen_population.py', '300', '7'], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    # two that fail in a rule, one that misses a field, one that is not JSON
    wrong = [g.replace('{"id": "G', '{"einde_opzegtermijn": "2019-05-01", "id": "F', 1) for g in gen[:2]]
    wia_lines = wia + gen + wrong + ['{"id": "M1"}', '{"id": "B2", "eerste_ao_dag": ']
    herstel = open('rules/herstel/populatie.jsonl').read().splitlines()
    herstel += subprocess.run(['python3', 'tools/gen_herstel.py', '100', '3'], capture_output=True,
                              text=True, check=True).stdout.splitlines()
    exp = {'wia': (wia_lines, expected(tmp, 'rules/wia', wia_lines, 'wia')),
           'herstel': (herstel, expected(tmp, 'rules/herstel', herstel, 'herstel'))}
    check(sum(a[0] == 'error' for a in exp['wia'][1]) == 4, 'the wia sample has 4 error rows')

    sv = Server(tmp, ['rules/wia', 'rules/herstel/', 'tests/serve/lus/lus.rules', '--threads', '4',
                      '--max-body', '1', '--max-steps', STEPS, '--timeout', str(TIMEOUT)])
    try:
        # /healthz names the rule sets by their folder's (or file's) base name
        st, h, body = sv.request('GET', '/healthz')
        check(st == 200 and json.loads(body)['rulesets'] == ['wia', 'herstel', 'lus'], 'healthz: %r' % body)

        # 1. one dossier per request: the run line, byte for byte; an error row: 422 naming it
        conn = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=30)
        for name, (lines, answers) in exp.items():
            for line, (kind, want) in zip(lines, answers):
                st, h, body = sv.request('POST', '/v1/%s/bereken' % name, line.encode(),
                                         {'Content-Type': 'application/json'}, conn)
                if kind == 'row':
                    check(st == 200 and body == want and h.get('content-type') == 'application/json',
                          '%s: %d %r' % (name, st, body[:120]))
                elif line.startswith('{"id": "B2"'):
                    p = problem(st, h, body, 400, 'invalid-json')
                    check('line 1, column' in p.get('detail', ''), 'bad JSON names where: %r' % p)
                else:
                    p = problem(st, h, body, 422, 'invalid-dossier' if want['field'] else 'computation-failed')
                    check(same_error(p, want), 'problem vs error row: %r vs %r' % (p, want))
        conn.close()

        # 2. one NDJSON batch: the run lines in order, error rows as {"error": {...}} with the CSV's columns
        for name, (lines, answers) in exp.items():
            st, h, body = sv.request('POST', '/v1/%s/bereken' % name, '\n'.join(lines).encode() + b'\n',
                                     {'Content-Type': 'application/x-ndjson'})
            got = body.split(b'\n')
            check(st == 200 and h.get('content-type') == 'application/x-ndjson' and got[-1] == b''
                  and len(got) - 1 == len(answers), 'ndjson %s: %d, %d lines' % (name, st, len(got) - 1))
            for g, (kind, want) in zip(got, answers):
                if kind == 'row':
                    check(g == want, 'ndjson %s row: %r vs %r' % (name, g[:80], want[:80]))
                else:
                    e = json.loads(g)['error']
                    check(str(e['record']) == want['record'] and str(e['line']) == want['line']
                          and same_error(dict(e, record=e['id'], detail=e['reason']), want),
                          'ndjson error row: %r vs %r' % (e, want))

        # 3. problems: unknown rule set and path, wrong method, too large, not an object
        problem(*sv.request('POST', '/v1/ww/bereken', b'{}'), 404, 'not-found')
        problem(*sv.request('GET', '/v2/wia'), 404, 'not-found')
        st, h, body = sv.request('GET', '/v1/wia/bereken')
        problem(st, h, body, 405, 'method-not-allowed')
        check(h.get('allow') == 'POST', 'Allow on 405: %r' % h)
        st, h, body = sv.request('DELETE', '/healthz')
        problem(st, h, body, 405, 'method-not-allowed')
        check(h.get('allow') == 'GET, HEAD', 'Allow on /healthz: %r' % h)
        # (refused on its Content-Length, before the body: only the headers are sent)
        c = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=30)
        c.putrequest('POST', '/v1/wia/bereken')
        c.putheader('Content-Length', str((1 << 20) + 1))
        c.endheaders()
        r = c.getresponse()
        p = problem(r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read(), 413, 'too-large')
        check('1048576 bytes' in p.get('detail', ''), 'the limit named: %r' % p)
        c.close()
        # a body of exactly the limit is read (and is not JSON)
        problem(*sv.request('POST', '/v1/wia/bereken', b'{' + b' ' * ((1 << 20) - 1)), 400, 'invalid-json')
        problem(*sv.request('POST', '/v1/wia/bereken', b'[1, 2]'), 400, 'invalid-json')
        problem(*sv.request('POST', '/v1/wia/bereken', b''), 400, 'invalid-json')
        # a body sent in chunks past the limit (no Content-Length to refuse it by)
        c = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=30)
        c.request('POST', '/v1/wia/bereken', body=iter([b'{' + b' ' * 65536] * 20), encode_chunked=True,
                  headers={'Transfer-Encoding': 'chunked'})
        r = c.getresponse()
        problem(r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read(), 413, 'too-large')
        c.close()

        # 4. a runaway rule is stopped at --max-steps, naming the rule; the short dossier is computed
        p = problem(*sv.request('POST', '/v1/lus/bereken', b'{"id": "lang", "begin": "1900-01-01", "einde": "2200-12-31"}'),
                    422, 'limit')
        check(p.get('rule') == 'n' and p.get('code') == 'limit' and 'stopped after 100000 steps' in p.get('detail', ''),
              'runaway: %r' % p)
        st, h, body = sv.request('POST', '/v1/lus/bereken', b'{"id": "kort", "begin": "2024-01-15", "einde": "2024-07-10"}')
        check(st == 200 and body == b'{"id":"kort","n":49}', 'the short lus dossier: %r' % body)

        # 5. uitleg: the explanation JSON of the dossier (dagloon explain --format json's, for input "-")
        st, h, body = sv.request('POST', '/v1/wia/uitleg', wia[0].encode())
        x = json.loads(body) if st == 200 else {}
        check(st == 200 and x.get('schema') == 'dagloon-explain/1' and x.get('dossier') == 'art-18-lid-2-oud',
              'uitleg: %d %r' % (st, body[:200]))
        one = os.path.join(tmp, 'one.jsonl')
        open(one, 'w').write(wia[0] + '\n')
        cmd = subprocess.run([BIN, 'explain', 'rules/wia', '-', '--id', 'art-18-lid-2-oud', '--format', 'json'],
                             input=open(one, 'rb').read(), capture_output=True)
        check(cmd.returncode == 0 and cmd.stdout.rstrip(b'\n') == body.rstrip(b'\n'),
              'uitleg differs from dagloon explain --format json')
        p = problem(*sv.request('POST', '/v1/wia/uitleg', b'{"id": "x"}'), 422, 'invalid-dossier')
        check(p.get('field') == 'eerste_ao_dag', 'uitleg names the missing field: %r' % p)

        # 6. 16 clients x 200 requests at once, each on its own keep-alive connection: all equal
        rows = [(l, w) for l, (k, w) in zip(*exp['wia']) if k == 'row']
        bad = []

        def client(t):
            c = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=60)
            for i in range(200):
                line, want = rows[(t * 200 + i * 7) % len(rows)]
                st, h, body = sv.request('POST', '/v1/wia/bereken', line.encode(), None, c)
                if st != 200 or body != want:
                    bad.append((t, i, st))
            c.close()
        ts = [threading.Thread(target=client, args=(t,)) for t in range(16)]
        start = time.time()
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        check(not bad and not any(t.is_alive() for t in ts), 'concurrent answers differ: %r' % bad[:5])
        print('serve: 3200 concurrent requests in %.2f s' % (time.time() - start))

        # 7. a slow client (half a body, then nothing) is closed after --timeout, others answered
        #    meanwhile; a client that drops its connection mid-body leaves nothing behind
        slow = socket.create_connection(('127.0.0.1', sv.port), timeout=TIMEOUT + 10)
        slow.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"id": ')
        for _ in range(5):
            drop = socket.create_connection(('127.0.0.1', sv.port), timeout=10)
            drop.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"id": ')
            drop.close()
        st, h, body = sv.request('POST', '/v1/wia/bereken', rows[0][0].encode())
        check(st == 200 and body == rows[0][1], 'an answer while a slow client waits: %d' % st)
        start = time.time()
        try:
            closed = slow.recv(4096) == b''
        except OSError:
            closed = True
        waited = time.time() - start
        slow.close()
        check(closed and TIMEOUT - 1 <= waited <= TIMEOUT + 8, 'the slow client closed after %.1f s' % waited)
    finally:
        start = time.time()
        rc = sv.stop()
    # nothing was left in flight (the dropped and timed-out requests completed): no wait for --timeout
    check(rc == 0 and time.time() - start < TIMEOUT - 0.5,
          'dagloon serve exited %r %.1f s after SIGTERM' % (rc, time.time() - start))

    # 8. SIGTERM while batches are being computed: each finishes whole, then exit 0, nothing listens
    big = subprocess.run(['python3', 'tools/gen_population.py', '6000', '11'], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    want = [w for k, w in expected(tmp, 'rules/wia', big, 'big') if k == 'row']
    sv = Server(tmp, ['rules/wia', '--threads', '2', '--max-steps', STEPS])
    results = []
    try:
        begun = threading.Event()

        def batch():
            c = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=60)
            try:
                c.request('POST', '/v1/wia/bereken', '\n'.join(big).encode(), {'Content-Type': 'application/x-ndjson'})
                r = c.getresponse()
                first = r.readline()
                begun.set()
                results.append((r.status, dict(r.getheaders()), first + r.read()))
            finally:
                begun.set()   # (on a failure too: the main thread never hangs)
                c.close()
        ts = [threading.Thread(target=batch) for _ in range(3)]
        for t in ts:
            t.start()
        # SIGTERM once the server answers a batch (the three connections are open and sending):
        # a request that arrived, even one its worker has not begun yet, is answered whole
        begun.wait(60)
        time.sleep(0.05)
        check(len(results) < 3, 'the batches were done before SIGTERM: make them longer')
        sv.p.send_signal(signal.SIGTERM)
        for t in ts:
            t.join(60)
        rc = sv.p.wait(timeout=60)
    finally:
        sv.stop()
    check(rc == 0, 'exit %r after SIGTERM during requests' % rc)
    check(len(results) == 3 and all(st == 200 and body.split(b'\n')[:-1] == want for st, h, body in results),
          'a batch in flight at SIGTERM did not finish whole: %r' % [(st, len(body)) for st, h, body in results])
    try:
        sv.request('GET', '/healthz')
        check(False, 'the server still answers after SIGTERM')
    except OSError:
        pass

    # 9. usage errors: two rule sets of one name; an address that is not one
    for args, text in ((['rules/wia', 'tests/serve/lus/../../../rules/wia/'], "two rule sets would be served as 'wia'"),
                       (['rules/wia', '--listen', 'nergens'], 'is not HOST:PORT')):
        r = subprocess.run([BIN, 'serve', *args], capture_output=True, text=True, timeout=60)
        check(r.returncode == 2 and text in r.stderr, 'serve %r: %d %r' % (args, r.returncode, r.stderr))

    if failures:
        print('serve: %d failures' % len(failures))
        sys.exit(1)
    print('serve: ok (answers equal run --format jsonl, problems, limits, concurrency, SIGTERM)')


if __name__ == '__main__':   # (test_reload.py imports the client from here)
    main()
