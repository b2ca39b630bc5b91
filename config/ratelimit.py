"""Fixed-window rate limits per client address: the address is the client's behind the trusted
proxies (`config.network`), the counts live in the default cache, shared by every worker (the
database's table, or Redis: `CACHES`). The database cache's increment is a read then a write:
two workers counting the same request at the same instant may let one extra request through.

Used by the search API (`search.throttle`) and « Signaler une erreur » (`actualisation`)."""

import time

from django.core.cache import cache

from config.network import client_address


def retry_after(scope, request, limit, window):
    """Counts this request of the client in `scope`'s current window of `window` seconds;
    None while at most `limit` were counted, else the seconds until the next window (int).
    A `limit` of 0 counts nothing and never limits."""
    if not limit:
        return None
    now = int(time.time())
    key = f"{scope}:{client_address(request)}:{now // window}"
    cache.add(key, 0, timeout=window)
    if cache.incr(key) <= limit:
        return None
    return window - now % window
