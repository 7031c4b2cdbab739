"""dagloon serve's reload on SIGHUP (tests/serve/run.sh): requests during reloads, nothing lost,
nothing crashes.

1. Two rule sets copied to a temporary folder are changed eight times (an output changes) while
   six client threads send single dossiers and NDJSON batches over kept-alive connections: every
   answer equals the `dagloon run --format jsonl` line of a version written so far, a client never
   sees an older version after a newer one, each batch is wholly one version, never a 5xx, never a
   dropped connection. SIGHUP once or twice in a row per change; after each, both sets serve the
   new version. Then one set is broken: the reload fails as a whole (the other set's change is not
   taken either: all or nothing), stderr names file:line:col, the old generation serves; fixed,
   the new one serves. SIGTERM at the end: exit 0.
2. A reload held half-way: a rule set read from a FIFO, so a reload waits until the test feeds it.
   While it waits the old generation answers; two more SIGHUPs are queued as one reload (not
   lost); a batch begun before a reload finishes wholly on the old rules; SIGTERM during a reload
   ends with exit 0 once the reload under way is done.

Only 127.0.0.1, a free port; every wait bounded; servers stopped whatever happens.
Usage: python3 tests/serve/test_reload.py build/dagloon
"""
import errno
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_serve import BIN, Server, check, failures  # noqa: E402

WAIT = 30          # seconds any one wait may take (generous for SAN=1 on a shared machine)
DOSSIERS = [json.dumps({'id': 'd%d' % x, 'x': x}, separators=(',', ':')) for x in range(1, 31)]
BAD = '{"id":"bad","x":"geen getal"}'   # an error row, the same in every version
RULES = {   # one rule set per name; K is the version: the output changes with it
    'a': 'invoer D sleutel id {\n  id: tekst\n  x:  geheel\n}\n\nregel y: geheel = x * K\n\nuitvoer { id, y }\n',
    'b': 'invoer D sleutel id {\n  id: tekst\n  x:  geheel\n}\n\nregel z: geheel = x + K\n\nuitvoer { id, z }\n',
}
BROKEN = 'regel y: geheel = x * K + onbekend'   # E012 on line 6


def text(name, k, broken=False):
    t = RULES[name].replace('K', str(k))
    return t.replace('regel y: geheel = x * %d' % k, BROKEN.replace('K', str(k))) if broken else t


def write_atomically(path, content):
    tmp = path + '.tmp'   # not a .rules file: the folder's loader never reads it
    with open(tmp, 'w') as f:
        f.write(content)
    os.replace(tmp, path)


def run_lines(tmp, name, k):
    """dagloon run --format jsonl's lines for DOSSIERS under version k of rule set name."""
    d = os.path.join(tmp, 'expected', '%s%d' % (name, k))
    os.makedirs(d, exist_ok=True)   # (the same text for the same name and version)
    with open(os.path.join(d, name + '.rules'), 'w') as f:
        f.write(text(name, k))
    inp = os.path.join(d, 'in.jsonl')
    with open(inp, 'w') as f:
        f.write(''.join(l + '\n' for l in DOSSIERS))
    out = subprocess.run([BIN, 'run', d, inp, '--format', 'jsonl'], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout
    rows = out.splitlines()
    assert len(rows) == len(DOSSIERS)
    return rows


def wait_for(what, cond):
    deadline = time.time() + WAIT
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    check(False, 'waited %d s in vain for %s' % (WAIT, what))
    return False


def log_of(sv):
    sv.log.flush()
    sv.log.seek(0)
    return sv.log.read()


class Versions:
    """The versions of each rule set written so far, and which version an answer is."""

    def __init__(self, tmp, names, ks):
        self.lines = {(n, k): run_lines(tmp, n, k) for n in names for k in ks}
        self.written = {n: [] for n in names}
        self.lock = threading.Lock()

    def allow(self, name, k):
        with self.lock:
            self.written[name].append(k)

    def single(self, name, i, body):
        """The version whose run line for dossier i is body (of those written so far), or None."""
        with self.lock:
            ks = list(self.written[name])
        return next((k for k in ks if self.lines[(name, k)][i] == body), None)

    def batch(self, name, lines):
        """The version whose run lines are the batch's answer (DOSSIERS with BAD amid), or None."""
        with self.lock:
            ks = list(self.written[name])
        rows = [l for l in lines if not l.startswith(b'{"error":')]
        errs = [l for l in lines if l.startswith(b'{"error":')]
        if len(errs) != 1 or b'"id":"bad"' not in errs[0] or lines[len(DOSSIERS) // 2] != errs[0]:
            return None
        return next((k for k in ks if self.lines[(name, k)] == rows), None)


def batch_body():
    half = len(DOSSIERS) // 2
    return '\n'.join(DOSSIERS[:half] + [BAD] + DOSSIERS[half:]) + '\n'


def client(sv, vs, stop, seed, seen, errors, answered):
    """Requests until stop; each answer judged; the versions seen must never go back."""
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=WAIT)
    last = {'a': 0, 'b': 0}
    n = 0
    try:
        while not stop.is_set() and n < 100000:
            n += 1
            name = rnd.choice('ab')
            if rnd.random() < 0.3:
                conn.request('POST', '/v1/%s/bereken' % name, body=batch_body(),
                             headers={'Content-Type': 'application/x-ndjson'})
                r = conn.getresponse()
                body = r.read()
                k = vs.batch(name, body.splitlines()) if r.status == 200 else None
                what = 'batch'
            else:
                i = rnd.randrange(len(DOSSIERS))
                conn.request('POST', '/v1/%s/bereken' % name, body=DOSSIERS[i],
                             headers={'Content-Type': 'application/json'})
                r = conn.getresponse()
                body = r.read()
                k = vs.single(name, i, body) if r.status == 200 else None
                what = 'dossier %d' % i
            if k is None:
                errors.append('%s of %s: status %d, an answer of no version written: %r'
                              % (what, name, r.status, body[:300]))
                return
            if k < last[name]:
                errors.append('%s of %s: version %d after version %d' % (what, name, k, last[name]))
                return
            last[name] = k
            seen.add((name, k, what == 'batch'))
    except (OSError, http.client.HTTPException) as e:
        errors.append('client %d: connection lost: %r' % (seed, e))
    finally:
        conn.close()
        answered.append(n)


def served(sv, name, vs, k):
    """Rule set name answers every dossier with version k (a connection of its own)."""
    for i in (0, len(DOSSIERS) - 1):
        st, h, body = sv.request('POST', '/v1/%s/bereken' % name, DOSSIERS[i], {'Content-Type': 'application/json'})
        if st != 200 or body != vs.lines[(name, k)][i]:
            return False
    return True


def generation(sv):
    st, h, body = sv.request('GET', '/healthz')
    j = json.loads(body)
    check(st == 200 and set(j['loaded']) == set(j['rulesets'])
          and all(v['generation'] == j['generation'] and re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', v['loaded_at'])
                  for v in j['loaded'].values()), 'healthz: %r' % body)
    return j['generation']


def hashes(sv):
    """Each rule set's rules hash in /healthz (dagloon_rules_hash: what the set compiles to)."""
    st, h, body = sv.request('GET', '/healthz')
    j = json.loads(body)
    check(all(re.fullmatch(r'[0-9a-f]{64}', v.get('hash', '')) for v in j['loaded'].values()), 'healthz hashes: %r' % body)
    return {n: v.get('hash') for n, v in j['loaded'].items()}


def reloads_under_load(tmp):
    folder = {n: os.path.join(tmp, 'served', n) for n in 'ab'}
    ks = list(range(2, 12))
    vs = Versions(tmp, 'ab', ks)
    for n in 'ab':
        os.makedirs(folder[n])
        write_atomically(os.path.join(folder[n], n + '.rules'), text(n, ks[0]))
        vs.allow(n, ks[0])
    sv = Server(tmp, [folder['a'], folder['b'], '--threads', '4', '--timeout', str(WAIT)])
    try:
        check(generation(sv) == 1, 'the first generation is 1')
        stop, seen, errors, answered = threading.Event(), set(), [], []
        clients = [threading.Thread(target=client, args=(sv, vs, stop, s, seen, errors, answered)) for s in range(6)]
        for t in clients:
            t.start()
        met = lambda k: {('a', k), ('b', k)} <= {(m, v) for (m, v, b) in set(seen)}   # noqa: E731
        wait_for('the clients to be answered with the first version', lambda: met(ks[0]))
        gen = 1
        hs = hashes(sv)
        # eight changes, each of both sets; every other one with two SIGHUPs in a row
        for step, k in enumerate(ks[1:-1]):
            for n in 'ab':
                vs.allow(n, k)
                write_atomically(os.path.join(folder[n], n + '.rules'), text(n, k))
            sv.p.send_signal(signal.SIGHUP)
            if step % 2:
                sv.p.send_signal(signal.SIGHUP)
            wait_for('version %d served' % k, lambda: served(sv, 'a', vs, k) and served(sv, 'b', vs, k))
            g = generation(sv)
            check(g > gen, 'healthz generation %d after %d, after a reload' % (g, gen))
            h2 = hashes(sv)
            check(all(h2[n] != hs[n] for n in 'ab'), 'healthz: each changed set has a new hash')
            gen, hs = g, h2
            time.sleep(0.1)   # the clients meet this version too
        # broken: a gets an unknown name, b a valid change; nothing is replaced (all or nothing)
        k = ks[-1]
        wait_for('the reloads to settle', lambda: log_of(sv).count('reloading the rule sets')
                 == log_of(sv).count('reloaded: generation') + log_of(sv).count('reload failed'))
        failed = log_of(sv).count('reload failed')
        write_atomically(os.path.join(folder['a'], 'a.rules'), text('a', k, broken=True))
        write_atomically(os.path.join(folder['b'], 'b.rules'), text('b', k))
        sv.p.send_signal(signal.SIGHUP)
        wait_for('the failed reload', lambda: log_of(sv).count('reload failed') > failed)
        log = log_of(sv)
        check(re.search(r'a\.rules:6:\d+: error: .*onbekend', log), 'the failed reload names file:line:col: %s' % log[-800:])
        check(re.search(r'reload failed: generation %d still serves' % gen, log), 'the log says the old one serves')
        check(served(sv, 'a', vs, ks[-2]) and served(sv, 'b', vs, ks[-2]),
              'after a failed reload both sets serve the old version (b not replaced alone)')
        check(generation(sv) == gen, 'a failed reload leaves the generation')
        check(hashes(sv) == hs, 'a failed reload leaves the hashes')
        time.sleep(0.1)
        # fixed: both serve the new version
        for n in 'ab':
            vs.allow(n, k)
        write_atomically(os.path.join(folder['a'], 'a.rules'), text('a', k))
        sv.p.send_signal(signal.SIGHUP)
        wait_for('version %d served after the fix' % k, lambda: served(sv, 'a', vs, k) and served(sv, 'b', vs, k))
        check(generation(sv) == gen + 1, 'the fixed reload is the next generation')
        wait_for('the clients to be answered with the last version', lambda: met(k) or errors)
        stop.set()
        for t in clients:
            t.join(WAIT)
        check(not any(t.is_alive() for t in clients), 'the clients ended')
        for e in errors[:10]:
            check(False, e)
        for n in 'ab':
            check({ks[0], ks[-1]} <= {v for (m, v, b) in seen if m == n},
                  'the clients saw the first and the last version of %s: %r' % (n, sorted(seen)))
        check(any(b for (m, v, b) in seen), 'batches were answered')
        print('serve reload: %d requests from 6 clients during %d reloads (%d failed)'
              % (sum(answered), log_of(sv).count('reloading the rule sets'), log_of(sv).count('reload failed')))
    finally:
        rc = sv.stop()
    check(rc == 0, 'exit %r after the reloads' % rc)
    check('stopped' in log_of(sv), 'the server says it stopped')


class Gate:
    """A FIFO in place of a rule file, so that a reload waits until the test lets it go on: give()
    feeds a text to the next `times` opens of the server (a load opens its file twice), each when a
    thread of the server waits in open() of it (Linux /proc), and waits until that thread has read
    it all before the next (so two texts never go into one open)."""

    def __init__(self, path):
        self.path, self.tickets, self.done = path, [], False
        self.lock = threading.Lock()
        os.mkfifo(path)
        self.t = threading.Thread(target=self.feed)
        self.t.start()

    def give(self, content, times=2):
        with self.lock:
            self.tickets += [content] * times

    def pending(self):
        with self.lock:
            return len(self.tickets)

    def server_threads(self):
        for pid in os.listdir('/proc'):
            try:
                with open('/proc/%s/cmdline' % pid, 'rb') as f:
                    argv = f.read().split(b'\0')
                if b'serve' in argv and self.path.encode() in argv:
                    return ['/proc/%s/task/%s' % (pid, t) for t in os.listdir('/proc/%s/task' % pid)]
            except OSError:
                pass
        return []

    def opener(self):
        """The server's thread waiting in open() of the FIFO, or None."""
        for t in self.server_threads():
            try:
                with open(t + '/wchan') as f:
                    if f.read().strip() == 'wait_for_partner':   # fs/pipe.c: a FIFO's open waiting for the other end
                        return t
            except OSError:
                pass
        return None

    @staticmethod
    def bytes_read(t):
        try:
            with open(t + '/io') as f:
                return int(re.search(r'rchar: (\d+)', f.read()).group(1))
        except OSError:
            return float('inf')   # the thread has ended (the last reload before the stop)

    def feed(self):
        while not self.done:
            t = self.opener() if self.pending() else None
            if not t:
                time.sleep(0.01)
                continue
            content = self.tickets[0].encode()
            before = self.bytes_read(t)
            fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)   # the reader waits: this opens
            os.set_blocking(fd, True)
            os.write(fd, content)
            os.close(fd)
            with self.lock:
                self.tickets.pop(0)
            deadline = time.time() + WAIT
            while self.bytes_read(t) < before + len(content) and time.time() < deadline:
                time.sleep(0.005)

    def close(self):
        self.done = True
        self.t.join(WAIT)


def held_reload(tmp):
    d = os.path.join(tmp, 'held')
    os.makedirs(d)
    ks = [1, 2, 3, 4]
    vs = Versions(tmp, 'a', ks)
    gate = Gate(os.path.join(d, 'a.rules'))
    gate.give(text('a', 1))
    vs.allow('a', 1)
    sv = None
    try:
        sv = Server(tmp, [gate.path, '--threads', '2', '--timeout', str(WAIT)])
        check(served(sv, 'a', vs, 1), 'the FIFO rule set serves')
        reloading = lambda: log_of(sv).count('reloading the rule sets')   # noqa: E731
        # a batch begun before the reload: its first line read, the rest after the reload
        big = '\n'.join([DOSSIERS[i % len(DOSSIERS)] for i in range(20000)]) + '\n'
        conn = http.client.HTTPConnection('127.0.0.1', sv.port, timeout=WAIT)
        conn.request('POST', '/v1/a/bereken', body=big, headers={'Content-Type': 'application/x-ndjson'})
        r = conn.getresponse()
        first = r.readline()
        # the reload waits at the FIFO: the old generation answers meanwhile
        sv.p.send_signal(signal.SIGHUP)
        wait_for('the reload to begin', lambda: reloading() == 1)
        check(served(sv, 'a', vs, 1), 'during a reload the old generation answers')
        check(generation(sv) == 1, 'healthz during a reload: still generation 1')
        # two more SIGHUPs during it: queued, as one reload
        sv.p.send_signal(signal.SIGHUP)
        wait_for('the first queued SIGHUP', lambda: 'queued, another reload follows' in log_of(sv))
        sv.p.send_signal(signal.SIGHUP)
        wait_for('the second queued SIGHUP', lambda: 'queued already' in log_of(sv))
        vs.allow('a', 2)
        gate.give(text('a', 2))
        wait_for('version 2', lambda: 'reloaded: generation 2 serves' in log_of(sv))
        wait_for('the queued reload to begin', lambda: reloading() == 2)
        check(served(sv, 'a', vs, 2), 'version 2 serves while the queued reload waits')
        vs.allow('a', 3)
        gate.give(text('a', 3))
        wait_for('version 3', lambda: 'reloaded: generation 3 serves' in log_of(sv))
        check(served(sv, 'a', vs, 3), 'the queued reload was not lost: version 3 serves')
        time.sleep(0.2)
        check(reloading() == 2, 'three SIGHUPs during one reload gave one more reload, not %d' % (reloading() - 1))
        rest = r.read()
        conn.close()
        lines = [first.rstrip(b'\n')] + rest.splitlines()
        check(len(lines) == 20000 and all(l == vs.lines[('a', 1)][i % len(DOSSIERS)] for i, l in enumerate(lines)),
              'the batch begun before the reloads is wholly on version 1')
        # SIGTERM during a reload: the reload under way ends (fed a version), then exit 0
        sv.p.send_signal(signal.SIGHUP)
        wait_for('a third reload to begin', lambda: reloading() == 3)
        sv.p.send_signal(signal.SIGTERM)
        wait_for('the stop to begin', lambda: 'stopping (SIGTERM)' in log_of(sv))
        check(sv.p.poll() is None, 'the server waits for the reload under way')
        gate.give(text('a', 4))
        try:
            rc = sv.p.wait(WAIT)
        except subprocess.TimeoutExpired:
            rc = 'still running'
        check(rc == 0, 'exit %r after SIGTERM during a reload' % rc)
        check('stopped' in log_of(sv), 'the server says it stopped')
    finally:
        if sv:
            sv.stop()
        gate.close()


def main():
    tmp = tempfile.mkdtemp(prefix='serve-reload.')
    reloads_under_load(tmp)
    held_reload(tmp)
    subprocess.run(['rm', '-rf', tmp])
    if failures:
        sys.exit('serve reload: %d failure(s)' % len(failures))
    print('serve reload: ok (answers of an old or the new version during reloads, all or nothing, '
          'queued SIGHUPs, batches on their generation, SIGTERM during a reload)')


if __name__ == '__main__':
    main()
