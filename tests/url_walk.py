"""The project's routes, walked from the URL conf, for the tests that visit every URL."""

from django.urls import URLResolver, get_resolver

# Wagtail's admin and documents, and files: not the portal's own pages.
OUTSIDE_THE_PROJECT = ("admin/", "documents/", "static/", "media/")


def all_routes(resolver=None, prefix=""):
    """Every route of the URL conf, as written (`prescriptions/<int:pk>/`)."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, route)
        else:
            yield route


def project_routes():
    """The portal's own routes, without Wagtail's page catch-all (a regular expression)."""
    return sorted(
        {
            route
            for route in all_routes()
            if not route.startswith(OUTSIDE_THE_PROJECT)
            and not (route.startswith("^") or "(?P" in route)
        }
    )


def body(response):
    """A response's bytes, streamed (files, PDFs) or not."""
    if not response.streaming:
        return response.content
    content = b"".join(response.streaming_content)
    response.close()
    return content
