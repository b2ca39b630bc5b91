"""A fixed-window limit on the public search API, per client address and minute
(`SEARCH_API_RATE_LIMIT`, 0 = none). The address is the client's behind the trusted proxies
(`config.network`); counts live in the default cache, shared by every worker (the database's
table, or Redis: `CACHES`). The database cache's increment is a read then a write: two
workers counting the same request at the same instant may let one extra request through."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

from config.network import client_address


def rate_limited(view):
    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        limit = settings.SEARCH_API_RATE_LIMIT
        if limit:
            minute = int(time.time() // 60)
            key = f"search-api:{client_address(request)}:{minute}"
            cache.add(key, 0, timeout=60)
            if cache.incr(key) > limit:
                message = f"Plus de {limit} requêtes par minute : réessayez dans une minute."
                response = JsonResponse({"errors": {"__all__": [message]}}, status=429)
                response["Retry-After"] = str(60 - int(time.time()) % 60)
                return response
        return view(request, *args, **kwargs)

    return limited
