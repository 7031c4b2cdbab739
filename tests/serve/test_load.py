"""dagloon serve under load and under malformed HTTP (tests/serve/run.sh), with build/loadgen.

1. the load generator itself against small stand-in servers of this file (a keep-alive connection
   closed before an answer: sent again and counted; answers in odd chunks; an answer cut off or
   wrong: exit 1), so that its zero below means something;
2. REQUESTS single-dossier requests (100,000 in the plain pass) over 64 keep-alive connections,
   cycling over wia and a share of herstel dossiers, every answer byte-equal to the line of
   `dagloon run --format jsonl`; NDJSON batches; partial reads and writes with EINTR;
3. faults: malformed request lines and headers, bad Content-Length, chunked with Content-Length,
   a body exactly at --max-body and one byte over, a batch near the limit, idle connections held open
   while loadgen is answered, clients that send and close before the answer — after each the
   server still answers correctly, and at the end it stops on SIGTERM with exit 0 (under the
   sanitizers: no leak, no error).
The error rows (422 problems, NDJSON error lines) are tested in test_serve.py: the population
here is the dossiers that run computes without an error.

Only 127.0.0.1, free ports; every wait bounded; the server stopped (SIGTERM, then SIGKILL) whatever happens.
Usage: python3 tests/serve/test_load.py build/dagloon build/loadgen [REQUESTS]
"""
import csv
import os
import re
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

BIN, LOADGEN = sys.argv[1], sys.argv[2]
REQUESTS = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
MAX_BODY = 1 << 20          # the server's --max-body 1 (MiB)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_serve import Server, check, failures  # noqa: E402


def loadgen(port, sets, *args, limit=240):
    """build/loadgen against 127.0.0.1:port: (exit status, its summary line and stderr)."""
    cmd = [LOADGEN, '--port', str(port), '--time-limit', str(limit)]
    for path, inp, want in sets:
        cmd += ['--set', path, inp, want]
    r = subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=limit + 30)
    return r.returncode, r.stdout + r.stderr


def counted(out, what):
    m = re.search(r'(\d+) ' + what, out)
    return int(m.group(1)) if m else -1


# ---- 1. the load generator against stand-ins ----

class Stand(socketserver.ThreadingTCPServer):
    """An HTTP/1.1 server that answers each request with its own body (so the expected answer of a
    dossier is the dossier), in the manner given: 'close-every-3' closes a keep-alive connection
    silently after reading its 4th request, 'chunks' answers chunked in pieces of 1 to 7 bytes,
    'cut' ends the connection midway through the 5th answer, 'wrong' answers the 5th with other bytes."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, manner):
        self.manner, self.count, self.lock = manner, 0, threading.Lock()
        super().__init__(('127.0.0.1', 0), StandHandler)


class StandHandler(socketserver.StreamRequestHandler):
    def handle(self):
        served = 0
        while True:
            line = self.rfile.readline()
            if not line:
                return
            length = 0
            while True:
                h = self.rfile.readline()
                if h in (b'\r\n', b''):
                    break
                if h.lower().startswith(b'content-length:'):
                    length = int(h.split(b':')[1])
            body = self.rfile.read(length)
            with self.server.lock:
                self.server.count += 1
                n = self.server.count
            m = self.server.manner
            if m == 'close-every-3' and served == 3:
                return                                  # (the request read, no answer, closed)
            if m == 'chunks':
                out = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
                i = 0
                while i < len(body):
                    k = 1 + (i * 7 + n) % 7
                    out += b'%x;ext=1\r\n' % len(body[i:i + k]) + body[i:i + k] + b'\r\n'
                    i += k
                out += b'0\r\nX-Trailer: y\r\n\r\n'
            elif m == 'wrong' and n == 5:
                out = b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(body) + body[::-1]
            else:
                out = b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(body) + body
            if m == 'cut' and n == 5:
                self.wfile.write(out[:len(out) // 2])
                return
            for i in range(0, len(out), 5):             # in small writes: the client reads partial answers
                self.wfile.write(out[i:i + 5])
            served += 1


def stand_ins(tmp, dossiers):
    echo = [(p, dossiers, dossiers) for p in ('/v1/a/bereken',)]
    for manner, want_rc, what in (('close-every-3', 0, 'resent'), ('chunks', 0, None),
                                  ('cut', 1, 'closed mid-answer'), ('wrong', 1, 'the answer differs')):
        sv = Stand(manner)
        t = threading.Thread(target=sv.serve_forever, daemon=True)
        t.start()
        try:
            rc, out = loadgen(sv.server_address[1], echo, '--requests', 200, '--connections', 4, limit=60)
        finally:
            sv.shutdown()
            sv.server_close()
        check(rc == want_rc, 'loadgen against a stand-in that does %s: exit %d\n%s' % (manner, rc, out[-1500:]))
        if manner == 'close-every-3':
            # each connection answers 3, then is closed on the 4th request, which is sent again: one
            # resend per connection but the (at most 4) still open at the end
            resent, opened = counted(out, 'resent'), counted(out, 'connections opened')
            check(resent >= (200 - 4 * 3) // 3 and 1 <= opened - resent <= 4 and counted(out, 'mismatches') == 0,
                  'resent after keep-alive closes: %s' % out)
        elif what:
            check(what in out, 'loadgen names the fault %r: %s' % (what, out[-800:]))
    # a server that is not there: a failure, not a hang
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    rc, out = loadgen(port, echo, '--requests', 10, '--connections', 2, limit=30)
    check(rc == 1 and 'could not connect' in out, 'loadgen with nothing listening: %d %s' % (rc, out[-300:]))


# ---- the population and the server ----

def population(tmp, rules, gen, n, seed, name):
    """Generated dossiers (and the rule set's own) that run computes without an error, and the
    file of run --format jsonl's lines for them: (input path, expected path, lines, expected lines)."""
    lines = open(os.path.join(rules, 'populatie.jsonl')).read().splitlines()
    lines += subprocess.run(['python3', gen, str(n), str(seed)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    first = os.path.join(tmp, name + '.all.jsonl')
    open(first, 'w').write(''.join(l + '\n' for l in lines))
    errs = os.path.join(tmp, name + '.errors.csv')
    subprocess.run([BIN, 'run', rules, first, '--format', 'jsonl', '-o', os.devnull, '--errors', errs],
                   stderr=subprocess.DEVNULL)
    bad = {int(r['record']) for r in csv.DictReader(open(errs, newline=''))}
    lines = [l for i, l in enumerate(lines, 1) if i not in bad]
    inp, want = os.path.join(tmp, name + '.jsonl'), os.path.join(tmp, name + '.want.jsonl')
    open(inp, 'w').write(''.join(l + '\n' for l in lines))
    st = subprocess.run([BIN, 'run', rules, inp, '--format', 'jsonl', '-o', want, '--threads', '1'],
                        stderr=subprocess.DEVNULL).returncode
    assert st == 0, 'dagloon run %s exited %d on the dossiers without error rows' % (rules, st)
    rows = open(want, 'rb').read().splitlines()
    assert len(rows) == len(lines)
    return inp, want, lines, rows


def exchange(port, data, read=True, wait=10):
    """Send raw bytes on a new connection; what comes back until the server closes it or wait passes
    (b'' for a connection closed without an answer)."""
    s = socket.create_connection(('127.0.0.1', port), timeout=wait)
    out = b''
    try:
        s.sendall(data)
        while read:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        out += b'<still open>'
    except OSError:
        pass
    s.close()
    return out


def answer(port, body, ctype='application/json', path='/v1/wia/bereken', chunked=False):
    """One request on a connection of its own: (status, body) with the body read whole."""
    if chunked:
        parts = b''.join(b'%x\r\n' % len(body[i:i + 65536]) + body[i:i + 65536] + b'\r\n'
                         for i in range(0, len(body), 65536)) + b'0\r\n\r\n'
        head = b'Transfer-Encoding: chunked'
    else:
        parts, head = body, b'Content-Length: %d' % len(body)
    raw = exchange(port, b'POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: %s\r\n%s\r\n\r\n'
                   % (path.encode(), ctype.encode(), head) + parts, wait=60)
    m = re.match(rb'HTTP/1\.1 (\d{3}) [^\r]*\r\n(.*?)\r\n\r\n(.*)', raw, re.S)
    if not m:
        return 0, raw
    st, headers, rest = int(m.group(1)), m.group(2).lower(), m.group(3)
    if b'transfer-encoding: chunked' in headers:
        data = b''
        while True:
            size, _, rest = rest.partition(b'\r\n')
            n = int(size.split(b';')[0], 16)
            if n == 0:
                break
            data, rest = data + rest[:n], rest[n + 2:]
        rest = data
    return st, rest


def faults(sv, wia_lines, wia_rows, wia_in, wia_want, tmp):
    port = sv.port
    one, one_row = wia_lines[0].encode(), wia_rows[0]

    def still_right(what):
        st, body = answer(port, one)
        check(st == 200 and body == one_row, 'after %s the server answers wrongly: %d %r' % (what, st, body[:200]))

    # malformed requests: an answer of 4xx and the connection closed, or closed without one
    for what, raw, want in (
            ('a garbage request line', b'GARBAGE\r\n\r\n', (None, 400)),
            ('a request line of four words', b'GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n', (400,)),
            ('a header line without a colon', b'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n', (400,)),
            ('a header of 100 KB', b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 100000
             + b'\r\n\r\n', (431,)),
            ('Content-Length: abc', b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', (400,)),
            ('Content-Length: -1', b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', (400,)),
            ('a Content-Length of 23 digits', b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: '
             + b'9' * 23 + b'\r\n\r\n', (413,)),
            ('a bad chunk size', b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
             (400,))):
        got = exchange(port, raw)
        m = re.match(rb'HTTP/1\.1 (\d{3}) ', got)
        status = int(m.group(1)) if m else None
        check(status in want and not got.endswith(b'<still open>'),
              '%s: answered %r' % (what, got[:120]))
        still_right(what)
    # bytes that are not HTTP, the connection dropped at once
    exchange(port, b'\x00\x01\x02\xff\r\n\r\n' * 10, read=False)
    still_right('binary junk')

    # chunked and Content-Length both, or two Content-Lengths: a proxy in front could frame the
    # request otherwise (RFC 9112 6.3): 400, and the connection closed (nothing after it is read)
    chunks = b'%x\r\n' % len(one) + one + b'\r\n0\r\n\r\n'
    for what, head, body in (
            ('chunked and Content-Length', b'Content-Length: %d\r\nTransfer-Encoding: chunked' % (len(one) + 5), chunks),
            ('two Content-Lengths', b'Content-Length: %d\r\nContent-Length: %d' % (len(one), len(one) + 5), one + b'xxxxx')):
        got = exchange(port, b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' % head + body
                       + b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
        check(got.startswith(b'HTTP/1.1 400 ') and b'urn:dagloon:problem:ambiguous-length' in got
              and got.count(b'HTTP/1.1') == 1 and not got.endswith(b'<still open>'), '%s: %r' % (what, got[:300]))
        still_right(what)

    # a body of exactly --max-body (a dossier and trailing spaces) is computed, one byte more is 413:
    # chunked (read up to the limit), and by Content-Length with Expect: 100-continue (refused
    # before the body is sent; sent whole, the client would meet a reset while still sending)
    exact = one + b' ' * (MAX_BODY - len(one))
    st, body = answer(port, exact, chunked=True)
    check(st == 200 and body == one_row, 'a chunked body of exactly --max-body: %d %r' % (st, body[:100]))
    st, body = answer(port, exact + b' ', chunked=True)
    check(st == 413 and b'too-large' in body, 'a chunked body one byte over --max-body: %d %r' % (st, body[:100]))
    for size in (MAX_BODY, MAX_BODY + 1):
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        s.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n'
                  b'Content-Length: %d\r\n\r\n' % size)
        first = s.recv(65536)
        if first.startswith(b'HTTP/1.1 100 '):
            s.sendall((exact + b' ')[:size])
        got = first
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
        s.close()
        want = (b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ', one_row) if size == MAX_BODY else (b'HTTP/1.1 413 ', b'too-large')
        check(got.startswith(want[0]) and want[1] in got, 'a body of %d bytes by Content-Length: %r' % (size, got[:200]))
    # an NDJSON batch just under the limit: every line as run's
    batch, rows, i = b'', [], 0
    while len(batch) + len(wia_lines[i % len(wia_lines)]) + 1 <= MAX_BODY:
        batch += wia_lines[i % len(wia_lines)].encode() + b'\n'
        rows.append(wia_rows[i % len(wia_rows)])
        i += 1
    st, body = answer(port, batch, 'application/x-ndjson')
    check(st == 200 and body == b''.join(r + b'\n' for r in rows),
          'a batch of %d dossiers, %d bytes: %d, %d lines' % (len(rows), len(batch), st, body.count(b'\n')))
    still_right('the batch near the limit')

    # many idle connections held open (some silent, some with half a request line) while loadgen's
    # 4 connections are all answered
    idle = []
    for k in range(200):
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        if k % 2:
            s.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\n')
        idle.append(s)
    rc, out = loadgen(port, [('/v1/wia/bereken', wia_in, wia_want)], '--requests', 2000, '--connections', 4, limit=60)
    check(rc == 0, 'answers while 200 connections idle: %d %s' % (rc, out[-600:]))
    for s in idle:
        s.close()

    # clients that send a request and close before reading the answer: single dossiers (a plain
    # close, and a reset) and whole batches
    for k in range(20):
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        if k % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
        s.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n' % len(one) + one)
        s.close()
    for k in range(3):
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        s.sendall(b'POST /v1/wia/bereken HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n'
                  b'Content-Length: %d\r\n\r\n' % len(batch) + batch)
        s.recv(100)                    # (the answer has begun: the batch is being computed)
        s.close()
    still_right('clients gone before their answers')


def main():
    tmp = tempfile.mkdtemp(prefix='load-test.')
    w_in, w_want, w_lines, w_rows = population(tmp, 'rules/wia', 'tools/gen_population.py', 3000, 13, 'wia')
    h_in, h_want, _, _ = population(tmp, 'rules/herstel', 'tools/gen_herstel.py', 300, 17, 'herstel')
    sets = [('/v1/wia/bereken', w_in, w_want), ('/v1/herstel/bereken', h_in, h_want)]

    stand_ins(tmp, w_in)

    sv = Server(tmp, ['rules/wia', 'rules/herstel', '--threads', '2', '--max-body', '1', '--timeout', '20'])
    try:
        # 2. the load: every answer byte-equal to run's line, none lost
        rc, out = loadgen(sv.port, sets, '--requests', REQUESTS, '--connections', 64, limit=600)
        print(out.strip())
        check(rc == 0 and counted(out, 'requests') == REQUESTS and counted(out, 'mismatches') == 0,
              '%d requests over 64 connections: exit %d' % (REQUESTS, rc))
        rc, out = loadgen(sv.port, sets, '--requests', 200, '--connections', 8, '--batch', 100, limit=300)
        print(out.strip())
        check(rc == 0 and '20000 dossiers, in NDJSON batches' in out, 'NDJSON batches: exit %d' % rc)
        rc, out = loadgen(sv.port, sets, '--requests', 500, '--connections', 8, '--max-io', 7, '--signals', limit=300)
        check(rc == 0 and 'interrupted by signals' in out, 'partial reads and writes, EINTR: exit %d %s' % (rc, out))
        rc, out = loadgen(sv.port, sets, '--requests', 10, '--connections', 2, '--batch', 150, '--max-io', 13,
                          '--signals', limit=300)
        check(rc == 0, 'batches read and written in 13-byte pieces: exit %d %s' % (rc, out))
        # 3. faults
        faults(sv, w_lines, w_rows, w_in, w_want, tmp)
    finally:
        rc = sv.stop()
    check(rc == 0, 'dagloon serve exited %r after the load and the faults' % rc)

    if failures:
        print('load: %d failures' % len(failures))
        sys.exit(1)
    print('load: ok (%d requests over 64 connections equal to run --format jsonl, batches, malformed HTTP, '
          'limits, idle and vanishing clients)' % REQUESTS)


main()
