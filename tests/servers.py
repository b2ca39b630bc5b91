"""Fake HTTP services for the tests (the free port and the wait: `ops.servers`)."""

import json
from http.server import BaseHTTPRequestHandler


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
