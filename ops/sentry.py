"""Error tracking (Sentry, `SENTRY_DSN`) without personal data: what reaches Sentry says where
and what kind of failure, never who. Removed from each event before it leaves: exception
messages, local variables, request bodies, cookies, query strings and headers but a few,
log messages' arguments, breadcrumbs' messages and data, extra context, the user but their id."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

REMOVED = "[retiré]"
# Request headers that say nothing about a person.
KEPT_HEADERS = {"Accept", "Content-Type", "Content-Length", "Host", "X-Request-Id"}


def init(dsn, environment, release="", transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), LoggingIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=scrub,
        before_breadcrumb=scrub_breadcrumb,
        transport=transport,
    )


def scrub(event, hint=None):
    """The event without personal data (see the module's docstring); the same dict."""
    for exception in event.get("exception", {}).get("values", []):
        exception["value"] = REMOVED
        for frame in exception.get("stacktrace", {}).get("frames", []):
            frame.pop("vars", None)
    for thread in event.get("threads", {}).get("values", []):
        for frame in thread.get("stacktrace", {}).get("frames", []):
            frame.pop("vars", None)
    if "logentry" in event:  # the format string stays (this code never formats data into it)
        event["logentry"] = {"message": event["logentry"].get("message", ""), "params": []}
    if "message" in event:
        event["message"] = REMOVED
    event.pop("extra", None)
    if "user" in event:
        event["user"] = {key: value for key, value in event["user"].items() if key == "id"}
    if "request" in event:
        event["request"] = _request(event["request"])
    for crumb in event.get("breadcrumbs", {}).get("values", []):
        scrub_breadcrumb(crumb)
    return event


def _request(request):
    headers = {k: v for k, v in request.get("headers", {}).items() if k.title() in KEPT_HEADERS}
    return {"method": request.get("method"), "url": request.get("url"), "headers": headers}


def scrub_breadcrumb(crumb, hint=None):
    crumb.pop("data", None)
    if "message" in crumb:
        crumb["message"] = REMOVED
    return crumb
