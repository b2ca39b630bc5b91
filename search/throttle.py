"""A fixed-window limit on the public search API, per client address and minute
(`SEARCH_API_RATE_LIMIT`, 0 = none). The address is the client's behind the trusted proxies
(`config.network`); counted by `config.throttle`."""

import functools

from django.conf import settings
from django.http import JsonResponse

from config import throttle
from config.network import client_address


def rate_limited(view):
    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        limit = settings.SEARCH_API_RATE_LIMIT
        if limit and (wait := throttle.hit("search-api", client_address(request), limit, 60)):
            message = f"Plus de {limit} requêtes par minute : réessayez dans une minute."
            response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return limited
