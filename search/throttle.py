"""A fixed-window limit on the public search API, per client address and minute
(`SEARCH_API_RATE_LIMIT`, 0 = none), counted by `config.ratelimit`."""

import functools

from django.conf import settings
from django.http import JsonResponse

from config.ratelimit import retry_after


def rate_limited(view):
    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        limit = settings.SEARCH_API_RATE_LIMIT
        wait = retry_after("search-api", request, limit, 60)
        if wait is not None:
            message = f"Plus de {limit} requêtes par minute : réessayez dans une minute."
            response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return limited
