#!/usr/bin/env python3
"""A stand-in language server for the Neovim client test (tools/editors/test.sh), so the client's
side is tested even where 'dagloon lsp' is not built: it answers initialize, writes the initialize
params it received to the file named by its argument, and on didOpen publishes one error diagnostic
on line 2 of the document; hover answers with a fixed text."""
import json
import sys


def read():
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length))


def send(msg):
    body = json.dumps(msg).encode()
    sys.stdout.buffer.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
    sys.stdout.buffer.flush()


def main():
    record = sys.argv[1]
    while True:
        msg = read()
        if msg is None:
            return
        method = msg.get('method')
        if method == 'initialize':
            with open(record, 'w') as f:
                json.dump(msg['params'], f)
            send({'jsonrpc': '2.0', 'id': msg['id'],
                  'result': {'capabilities': {'textDocumentSync': 1, 'hoverProvider': True}}})
        elif method == 'textDocument/didOpen':
            doc = msg['params']['textDocument']
            send({'jsonrpc': '2.0', 'method': 'textDocument/publishDiagnostics',
                  'params': {'uri': doc['uri'], 'diagnostics': [{
                      'range': {'start': {'line': 1, 'character': 18}, 'end': {'line': 1, 'character': 19}},
                      'severity': 1, 'code': 'E001', 'source': 'dagloon', 'message': 'unknown name b'}]}})
        elif method == 'textDocument/hover':
            send({'jsonrpc': '2.0', 'id': msg['id'], 'result': {'contents': {
                'kind': 'markdown', 'value': '(stand-in server) **regel deler**: geheel'}}})
        elif method == 'shutdown':
            send({'jsonrpc': '2.0', 'id': msg['id'], 'result': None})
        elif method == 'exit':
            return
        elif 'id' in msg and method:
            send({'jsonrpc': '2.0', 'id': msg['id'], 'result': None})


if __name__ == '__main__':
    main()
