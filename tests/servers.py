"""Helpers for the servers tests start themselves (gunicorn, S3…): a free port, a wait."""

import json
import socket
import time
from http.server import BaseHTTPRequestHandler


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now (int)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port, process, seconds=120):
    """Returns once `port` accepts connections; raises if `process` (a Popen) died first or
    after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur du port {port} s'est arrêté ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"le serveur du port {port} ne répond pas après {seconds} s")


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler for fake HTTP services: `answer(payload, **headers)` sends JSON."""

    def answer(self, payload, status=200, **headers):
        body = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers | {"Content-Type": "application/json"}).items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
