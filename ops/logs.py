"""Logs a machine can read: one JSON object a line (`LOG_FORMAT=json`, production) with the
time, the level, the logger, the message and the request's id — the one the proxy gave in
`X-Request-ID`, else a new one; sent back in the same response header."""

import contextvars
import logging
import re
import uuid

request_id = contextvars.ContextVar("request_id", default="-")

HEADER = "X-Request-ID"
# What we accept from the proxy (anything else is replaced): letters, digits, - _ . up to 64.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        token = request_id.set(given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Gives every record the current request's id ("-" outside a request)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


def formatter(kind):
    """The `formatters` entry of LOGGING for `kind`: "json" or "text"."""
    if kind == "json":
        return {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FORMAT,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    return {"format": TEXT_FORMAT}
