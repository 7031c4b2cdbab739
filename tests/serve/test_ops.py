"""dagloon serve's operations side (tests/serve/run.sh): GET /metrics, ?receipt=1, uitleg as the HTML
page (Accept: text/html), and --listen on IPv6.

Servers listen on a free port of 127.0.0.1 (or ::1) picked by the server and read from its stderr;
every wait is bounded; the servers are stopped (SIGTERM, then SIGKILL) whatever happens. /metrics is
parsed with prometheus_client's parser (Debian python3-prometheus-client), so this runs under
/usr/bin/python3. Usage: /usr/bin/python3 tests/serve/test_ops.py build/dagloon
"""
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_serve import BIN, Server, check, failures  # noqa: E402


def samples(text):
    """The page parsed by prometheus_client: {family name: (type, [(sample name, labels, value)])}."""
    out = {}
    for fam in text_string_to_metric_families(text):
        out[fam.name] = (fam.type, [(s.name, s.labels, s.value) for s in fam.samples])
    return out


def compiled_hash(tmp, rules, dossier):
    """The "compiled" sha256 of a receipt of `dagloon run RULES --receipt` (and the "bundle" one, if any)."""
    inp, rec = os.path.join(tmp, 'r.jsonl'), os.path.join(tmp, 'receipt.json')
    open(inp, 'w').write(dossier + '\n')
    subprocess.run([BIN, 'run', rules, inp, '--format', 'jsonl', '--receipt', rec], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    files = json.load(open(rec))['files']
    by_role = {f['role']: f.get('sha256') for f in files if f['role'] in ('compiled', 'bundle')}
    return by_role.get('compiled'), by_role.get('bundle')


def test_metrics(tmp, wia, wrong_eval):
    """After a known sequence of requests the counters are exactly what they must be."""
    sv = Server(tmp, ['rules/wia', 'rules/herstel', 'tests/serve/lus/lus.rules', '--max-steps', '100000'])
    try:
        st, h, body = sv.request('GET', '/metrics')
        check(st == 200 and h.get('content-type') == 'text/plain; version=0.0.4; charset=utf-8',
              'metrics content type: %d %r' % (st, h))
        first = samples(body.decode())
        check(all(v == 0 for n, l, v in first['dagloon_dossiers'][1]), 'a new server counted dossiers')

        seq = [  # (method, path, body, headers, status)
            ('POST', '/v1/wia/bereken', wia[0], {}, 200),
            ('POST', '/v1/wia/bereken', wia[1], {}, 200),
            ('POST', '/v1/wia/bereken', wia[2], {'Content-Type': 'application/json'}, 200),
            ('POST', '/v1/wia/bereken', '{"id": "M1"}', {}, 422),                  # input
            ('POST', '/v1/wia/bereken', wrong_eval, {}, 422),                      # eval
            ('POST', '/v1/lus/bereken', '{"id": "lang", "begin": "1900-01-01", "einde": "2200-12-31"}', {}, 422),
            ('POST', '/v1/wia/bereken', '{"id": ', {}, 400),                       # invalid_json
            ('POST', '/v1/wia/bereken?receipt=ja', wia[0], {}, 400),               # bad_request
            ('POST', '/v1/nergens/bereken', wia[0], {}, 404),                      # not_found, no rule set
            ('GET', '/v1/wia/bereken', None, {}, 405),                             # method_not_allowed
            ('POST', '/v1/wia/uitleg', wia[0], {}, 200),
            ('POST', '/v1/wia/uitleg', wia[0], {'Accept': 'image/png'}, 406),     # not_acceptable
            ('POST', '/v1/wia/uitleg', '{"id": "x"}', {}, 422),                    # input (uitleg)
            ('POST', '/v1/wia/uitleg', wia[0], {'Content-Type': 'application/x-ndjson'}, 415),
            ('GET', '/healthz', None, {}, 200),
            ('GET', '/v1/wia/openapi.json', None, {}, 200),
            # a batch: 3 rows, an unreadable line, a failing rule, a line that is not JSON
            ('POST', '/v1/herstel/bereken', None, {'Content-Type': 'application/x-ndjson'}, 200),
        ]
        herstel = open('rules/herstel/populatie.jsonl').read().splitlines()[:3]
        batch = '\n'.join(herstel + ['{"id": "M2"}', '{"id": "B3", "x": ']) + '\n'
        batch_rows = None
        for method, path, body, headers, want in seq:
            if body is None and method == 'POST':
                body = batch
            st, h, out = sv.request(method, path, body.encode() if body is not None else None, headers)
            check(st == want, '%s %s: %d, not %d: %r' % (method, path, st, want, out[:200]))
            if path == '/v1/herstel/bereken':
                batch_rows = out.decode().splitlines()
        check(batch_rows is not None and len(batch_rows) == 5
              and sum(r.startswith('{"error":') for r in batch_rows) == 2,
              'the batch: 3 rows and 2 error rows: %r' % (batch_rows or [])[:5])

        # the requests are counted as they complete, and leave the in-flight gauge just after (the
        # server counts first, then lets go: a drain must not end under a completing request): wait
        # (bounded) until all have been counted and only this /metrics is in flight
        deadline, page = time.time() + 15, None
        while time.time() < deadline:
            st, h, body = sv.request('GET', '/metrics')
            page = samples(body.decode())
            done = sum(v for name, l, v in page['dagloon_http_requests'][1] if l['endpoint'] != 'metrics')
            if done >= len(seq) and page['dagloon_http_requests_in_flight'][1][0][2] == 1:
                break
            time.sleep(0.05)
        got = {(l['ruleset'], l['endpoint'], l['code']): v for name, l, v in page['dagloon_http_requests'][1]}
        metrics_done = got.pop(('', 'metrics', '200'), 0)
        want = {('wia', 'bereken', '200'): 3, ('wia', 'bereken', '422'): 2, ('lus', 'bereken', '422'): 1,
                ('wia', 'bereken', '400'): 2, ('', 'other', '404'): 1, ('wia', 'bereken', '405'): 1,
                ('wia', 'uitleg', '200'): 1, ('wia', 'uitleg', '406'): 1, ('wia', 'uitleg', '422'): 1,
                ('wia', 'uitleg', '415'): 1, ('', 'healthz', '200'): 1, ('herstel', 'bereken', '200'): 1,
                ('wia', 'openapi', '200'): 1}
        check(got == want, 'requests by rule set, endpoint, code:\n got %r\nwant %r' % (got, want))
        check(metrics_done >= 1, 'the first /metrics was counted: %r' % metrics_done)
        check(page['dagloon_http_requests'][0] == 'counter', 'requests is a counter')

        dossiers = {(l['ruleset'], l['result']): v for name, l, v in page['dagloon_dossiers'][1]}
        check(dossiers == {('wia', 'ok'): 3, ('wia', 'error'): 2, ('herstel', 'ok'): 3, ('herstel', 'error'): 2,
                           ('lus', 'ok'): 0, ('lus', 'error'): 1},
              'dossiers: %r' % dossiers)
        errors = {l['kind']: v for name, l, v in page['dagloon_errors'][1]}
        want_errors = {'input': 4, 'eval': 1, 'limit': 1, 'no_trace': 0, 'invalid_json': 1, 'bad_request': 1,
                       'not_found': 1, 'method_not_allowed': 1, 'not_acceptable': 1, 'too_large': 0,
                       'unsupported_media_type': 1, 'other': 0}
        check(errors == want_errors, 'errors by kind:\n got %r\nwant %r' % (errors, want_errors))

        # the histogram: per endpoint, buckets in order of le, cumulative, ending in +Inf == _count == requests
        typ, hs = page['dagloon_http_request_duration_seconds']
        check(typ == 'histogram', 'duration is a histogram: %r' % typ)
        per_endpoint = {}
        for name, l, v in page['dagloon_http_requests'][1]:
            per_endpoint[l['endpoint']] = per_endpoint.get(l['endpoint'], 0) + v
        for ep in ('bereken', 'uitleg', 'healthz', 'other', 'metrics'):
            buckets = [(l['le'], v) for name, l, v in hs if name.endswith('_bucket') and l['endpoint'] == ep]
            count = [v for name, l, v in hs if name.endswith('_count') and l['endpoint'] == ep]
            total = [v for name, l, v in hs if name.endswith('_sum') and l['endpoint'] == ep]
            les = [float(le) for le, v in buckets]
            values = [v for le, v in buckets]
            check(len(buckets) >= 10 and les == sorted(les) and buckets[-1][0] == '+Inf', '%s: buckets %r' % (ep, buckets))
            check(all(a <= b for a, b in zip(values, values[1:])), '%s: buckets not cumulative %r' % (ep, values))
            check(count and values[-1] == count[0], '%s: +Inf %r != _count %r' % (ep, values[-1:], count))
            if ep != 'metrics':   # (/metrics requests may complete while this one is made)
                check(count and count[0] == per_endpoint.get(ep, 0), '%s: _count %r, requests %r'
                      % (ep, count, per_endpoint.get(ep)))
            check(total and total[0] >= 0 and (total[0] > 0) == (count[0] > 0), '%s: _sum %r' % (ep, total))
        # the sum is printed as exact decimal seconds (nanoseconds)
        check(re.search(rb'dagloon_http_request_duration_seconds_sum\{endpoint="bereken"\} \d+\.\d{9}\n', body),
              'the sum is not seconds with nine decimals')

        inflight = page['dagloon_http_requests_in_flight'][1][0][2]
        check(inflight == 1, 'in flight while only /metrics is asked: %r' % inflight)
        info = page['dagloon_build'][1][0][1] if 'dagloon_build' in page else page['dagloon_build_info'][1][0][1]
        version = subprocess.run([BIN, '--version'], capture_output=True, text=True).stdout.split()[-1]
        check(info.get('version') == version, 'build info %r, version %r' % (info, version))
        check(page['dagloon_rulesets_loaded'][1][0][2] == 3, 'rule sets loaded')
        sets = {l['ruleset']: l['rules_sha256'] for name, l, v in page['dagloon_ruleset_info'][1]}
        wia_hash, _ = compiled_hash(tmp, 'rules/wia', wia[0])
        check(sorted(sets) == ['herstel', 'lus', 'wia'] and sets['wia'] == wia_hash,
              'rule set info %r (wia compiled %s)' % (sets, wia_hash))
        # counts only: no dossier's content on the page
        check(b'art-18' not in body and b'M1' not in body, 'the metrics page shows a dossier')
        st, h, body = sv.request('POST', '/metrics', b'x')
        check(st == 405 and h.get('allow') == 'GET, HEAD', 'POST /metrics: %d %r' % (st, h))
    finally:
        check(sv.stop() == 0, 'the metrics server did not stop cleanly')


def test_receipts(tmp, wia):
    bundle = os.path.join(tmp, 'wiab.dlb')
    subprocess.run([BIN, 'compile', 'rules/wia', '--trace', '-o', bundle], stderr=subprocess.DEVNULL, check=True)
    sv = Server(tmp, ['rules/wia', bundle])
    try:
        api = open('tools/api/dagloon.h').read()
        api_version = '%s.%s' % (re.search(r'DAGLOON_API_VERSION_MAJOR (\d+)', api).group(1),
                                 re.search(r'DAGLOON_API_VERSION_MINOR (\d+)', api).group(1))
        version = subprocess.run([BIN, '--version'], capture_output=True, text=True).stdout.split()[-1]
        wia_hash, _ = compiled_hash(tmp, 'rules/wia', wia[0])
        bundle_compiled, bundle_file = compiled_hash(tmp, bundle, wia[0])
        check(bundle_file == hashlib.sha256(open(bundle, 'rb').read()).hexdigest(), 'the run receipt hashes the bundle')
        check(wia_hash and bundle_compiled == wia_hash, 'rule files and their bundle: one compiled hash')

        def receipt_ok(r, rs, body):
            check(r == {'schema': 'dagloon-http-receipt/1', 'ruleset': rs, 'rules_sha256': wia_hash,
                        'input_sha256': hashlib.sha256(body).hexdigest(), 'input_bytes': len(body),
                        'engine': version, 'api_version': api_version}, 'receipt %r' % r)

        body = wia[0].encode()
        st, h, plain = sv.request('POST', '/v1/wia/bereken', body)
        check(st == 200 and plain.startswith(b'{"id":'), 'plain bereken: %d %r' % (st, plain[:100]))
        for rs in ('wia', 'wiab'):
            st, h, out = sv.request('POST', '/v1/%s/bereken?receipt=1' % rs, body)
            prefix = b'{"uitvoer":' + plain + b',"receipt":'
            check(st == 200 and out.startswith(prefix) and out.endswith(b'}'), 'bereken receipt: %r' % out[:300])
            if st == 200:
                receipt_ok(json.loads(out[len(prefix):-1]), rs, body)
        for q in ('', '?receipt=0'):
            st, h, out = sv.request('POST', '/v1/wia/bereken' + q, body)
            check(st == 200 and out == plain, 'bereken%s differs from the plain answer' % q)
        for q in ('?receipt=2', '?receipt=', '?receipt', '?receipt=true', '?receipt=1&receipt=0'):
            st, h, out = sv.request('POST', '/v1/wia/bereken' + q, body)
            check(st == 400 and json.loads(out).get('type') == 'urn:dagloon:problem:bad-request',
                  'bereken%s: %d %r' % (q, st, out[:200]))
        # a problem stays a problem (no receipt)
        st, h, out = sv.request('POST', '/v1/wia/bereken?receipt=1', b'{"id": "M1"}')
        check(st == 422 and 'receipt' not in json.loads(out), 'a 422 with receipt=1: %r' % out[:200])

        # NDJSON: every row as without a receipt, then one line {"receipt": ...} over the whole body
        batch = ('\n'.join(wia[:4] + ['{"id": "M1"}']) + '\n').encode()
        hdr = {'Content-Type': 'application/x-ndjson'}
        st, h, rows = sv.request('POST', '/v1/wia/bereken', batch, hdr)
        st2, h2, out = sv.request('POST', '/v1/wia/bereken?receipt=1', batch, hdr)
        lines = out.split(b'\n')
        check(st == st2 == 200 and out.startswith(rows) and lines[-1] == b'' and len(lines) == 7,
              'the receipted batch: %r' % out[-400:])
        last = json.loads(lines[-2]) if len(lines) > 1 else {}
        check(list(last) == ['receipt'], 'the batch ends in {"receipt":...}: %r' % lines[-2:])
        receipt_ok(last.get('receipt'), 'wia', batch)

        # uitleg: {"uitleg": the explanation, "receipt": ...}
        st, h, plain = sv.request('POST', '/v1/wia/uitleg', body)
        st2, h2, out = sv.request('POST', '/v1/wia/uitleg?receipt=1', body)
        prefix = b'{"uitleg":' + plain + b',"receipt":'
        check(st == st2 == 200 and out.startswith(prefix), 'uitleg receipt: %r' % out[:200])
        if out.startswith(prefix):
            receipt_ok(json.loads(out[len(prefix):-1]), 'wia', body)
        # the page: unchanged, the receipt in a header
        st, h, page = sv.request('POST', '/v1/wia/uitleg', body, {'Accept': 'text/html'})
        st2, h2, page2 = sv.request('POST', '/v1/wia/uitleg?receipt=1', body, {'Accept': 'text/html'})
        check(st == st2 == 200 and page == page2 and 'dagloon-receipt' in h2 and 'dagloon-receipt' not in h,
              'the page with a receipt: %r' % h2)
        if 'dagloon-receipt' in h2:
            receipt_ok(json.loads(h2['dagloon-receipt']), 'wia', body)
    finally:
        check(sv.stop() == 0, 'the receipt server did not stop cleanly')


def png_size_and_colours(path):
    """(width, height, distinct byte values of the decoded scanlines) of a PNG, with the stdlib."""
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        return 0, 0, 0
    pos, idat, w, h = 8, b'', 0, 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h = struct.unpack('>II', chunk[:8])
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + n
    return w, h, len(set(zlib.decompress(idat)))


def test_html(tmp, wia):
    sv = Server(tmp, ['rules/wia'])
    try:
        body = wia[0].encode()
        st, h, page = sv.request('POST', '/v1/wia/uitleg', body, {'Accept': 'text/html'})
        cmd = subprocess.run([BIN, 'explain', 'rules/wia', '-', '--id', 'art-18-lid-2-oud', '--format', 'html'],
                             input=body + b'\n', capture_output=True)
        check(st == 200 and h.get('content-type') == 'text/html; charset=utf-8', 'uitleg html: %d %r' % (st, h))
        check(cmd.returncode == 0 and page == cmd.stdout and page.startswith(b'<!DOCTYPE html>'),
              'the page differs from dagloon explain --format html (%d bytes, %d)' % (len(page), len(cmd.stdout)))
        st, h, js = sv.request('POST', '/v1/wia/uitleg', body)
        check(st == 200 and h.get('content-type') == 'application/json' and js.startswith(b'{'), 'uitleg json')
        # negotiation: HTML only when it is preferred, JSON on a tie, 406 when neither is acceptable
        cases = [('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'),   # a browser
                 ('text/html;q=0.9, application/json;q=0.5', 'html'), ('text/*', 'html'),
                 ('application/json, text/html;q=0.5', 'json'), ('text/html;q=0.5, application/json;q=0.9', 'json'),
                 ('*/*', 'json'), ('text/html, application/json', 'json'), ('', 'json'),
                 ('text/html;q=0, */*', 'json'), ('application/*;q=0.2, text/html;q=0.3', 'html'),
                 ('image/png', 406), ('application/json;q=0, text/html;q=0', 406), ('text/plain', 406)]
        for accept, want in cases:
            st, h, out = sv.request('POST', '/v1/wia/uitleg', body, {'Accept': accept} if accept else {})
            got = st if st != 200 else 'html' if out == page else 'json' if out == js else 'other'
            check(got == want, 'Accept %r: %r, not %r' % (accept, got, want))
            if st == 406:
                check(h.get('content-type') == 'application/problem+json'
                      and json.loads(out).get('type') == 'urn:dagloon:problem:not-acceptable', '406 problem: %r' % out)
        # bereken answers JSON whatever the client accepts
        st, h, out = sv.request('POST', '/v1/wia/bereken', body, {'Accept': 'text/html'})
        check(st == 200 and h.get('content-type') == 'application/json', 'bereken with Accept: text/html')
    finally:
        check(sv.stop() == 0, 'the html server did not stop cleanly')

    # the page as served renders in headless Chromium (once): a screenshot of the window's size, not blank
    if not shutil.which('chromium'):
        check(False, 'chromium is installed (make test installs it)')
        return
    html, png = os.path.join(tmp, 'uitleg.html'), os.path.join(tmp, 'uitleg.png')
    open(html, 'wb').write(page)
    subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                    '--disable-background-networking', '--disable-component-update', '--disable-sync',
                    '--user-data-dir=' + os.path.join(tmp, 'profile'), '--window-size=1100,1400',
                    '--screenshot=' + png, 'file://' + html], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120)
    w, h, colours = png_size_and_colours(png) if os.path.exists(png) else (0, 0, 0)
    check((w, h) == (1100, 1400) and colours > 16, 'the screenshot of the page: %dx%d, %d byte values' % (w, h, colours))


def ipv6_loopback():
    """'' when ::1 can be bound here, else why not."""
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(('::1', 0))
        s.close()
        return ''
    except OSError as e:
        return str(e)


def test_listen(tmp, wia):
    # bad forms: a usage error (exit 2), before any rule set is loaded
    for bad in ('[::1]', '::1:8080', '[::1:8080', '[::1]:', '[::1]:65536', '[]:80', '[127.0.0.1]:80',
                '[fe80::1%lo]:80', 'example.org:80', '[::1]:-1', '[::1]:+80', '::1'):
        r = subprocess.run([BIN, 'serve', 'rules/wia', '--listen', bad], capture_output=True, text=True, timeout=60)
        check(r.returncode == 2 and 'is not HOST:PORT' in r.stderr, '--listen %r: %d %r' % (bad, r.returncode, r.stderr))
    why = ipv6_loopback()
    if why:
        print('serve ops: IPv6 skipped: this machine cannot bind ::1 (%s)' % why)
        return
    for listen in ('[::1]:0', '[::]:0'):
        sv = Server(tmp, ['rules/wia'], host='::1', listen=listen)
        try:
            check(sv.shown == listen.rsplit(':', 1)[0], 'listening on %r for %r' % (sv.shown, listen))
            st, h, out = sv.request('GET', '/healthz')
            check(st == 200 and json.loads(out)['rulesets'] == ['wia'], 'healthz over ::1: %d' % st)
            st, h, out = sv.request('POST', '/v1/wia/bereken', wia[0].encode())
            check(st == 200 and out.startswith(b'{"id":"art-18-lid-2-oud"'), 'bereken over ::1: %d' % st)
        finally:
            check(sv.stop() == 0, 'the IPv6 server did not stop cleanly')


def main():
    tmp = tempfile.mkdtemp(prefix='serve-ops.')
    try:
        wia = open('rules/wia/populatie.jsonl').read().splitlines()
        gen = subprocess.run(['python3', 'tools/gen_population.py', '1', '7'], capture_output=True, text=True,
                             check=True).stdout.splitlines()
        wrong_eval = gen[0].replace('{"id": "G', '{"einde_opzegtermijn": "2019-05-01", "id": "F', 1)
        test_metrics(tmp, wia, wrong_eval)
        test_receipts(tmp, wia)
        test_html(tmp, wia)
        test_listen(tmp, wia)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print('serve ops: %d failures' % len(failures))
        sys.exit(1)
    print('serve ops: ok (/metrics exact after known requests, receipts, uitleg as HTML, IPv6 --listen)')


main()
