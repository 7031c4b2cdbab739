"""A minimal LSP client for the tests (python3 standard library only): it
starts `dagloon lsp`, writes framed JSON-RPC messages to its standard input
and reads framed messages from its standard output in a thread, so a test
can wait for a response or a notification with a timeout."""

import json
import os
import queue
import subprocess
import threading
import time


class Server:
    def __init__(self, argv, stderr_path, cwd=None):
        self.stderr = open(stderr_path, "wb")
        # English unless the client asks for another language (initialize's locale): the tests read the log
        env = dict(os.environ, LC_ALL="C.UTF-8")
        env.pop("LANGUAGE", None)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, cwd=cwd, env=env)
        self.messages = queue.Queue()
        self.raw_out = bytearray()      # every byte the server wrote, to check it is only protocol
        self.framing_errors = []
        self.next_id = 1
        self.notes = []                 # notifications from the server, in order
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    self.messages.put(None)
                    return
                header += c
                self.raw_out += c
            length = None
            for line in header.decode("ascii", "replace").split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            if length is None:
                self.framing_errors.append(header)
                self.messages.put(None)
                return
            body = out.read(length)
            self.raw_out += body
            try:
                self.messages.put(json.loads(body))
            except ValueError:
                self.framing_errors.append(body)

    def write_raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    @staticmethod
    def frame(msg):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def notify(self, method, params):
        return self.write_raw(self.frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def send_request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.write_raw(self.frame(msg))
        return rid

    def wait_for(self, pred, timeout=20):
        """The first message (a response or notification) for which pred holds; notifications seen on the way are kept."""
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                raise TimeoutError("no such message within %ss" % timeout)
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no such message within %ss" % timeout)
            if m is None:
                self.messages.put(None)
                raise EOFError("the server closed its output")
            if "method" in m and "id" not in m:
                self.notes.append(m)
            if pred(m):
                return m

    def request(self, method, params=None, timeout=20):
        rid = self.send_request(method, params)
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def drain(self, seconds):
        """Take every message arriving within `seconds` (notifications are kept)."""
        end = time.time() + seconds
        while time.time() < end:
            try:
                m = self.messages.get(timeout=max(0.01, end - time.time()))
            except queue.Empty:
                return
            if m is None:
                self.messages.put(None)
                return
            if "method" in m and "id" not in m:
                self.notes.append(m)

    def close_input(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def wait_exit(self, timeout=20):
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.stderr.close()
