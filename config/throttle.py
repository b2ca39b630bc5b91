"""One counter for every rate limit of the portal: a fixed window per scope and per actor,
kept in the default cache, shared by every worker (the database's table, or Redis: `CACHES`).

The actor (a client address, a user's id, a typed e-mail address) is hashed into the key: the
cache never holds it in clear. The database cache's increment is a read then a write: two
workers counting the same action at the same instant may let one extra through."""

import hashlib
import time

from django.core.cache import cache


def hit(scope, actor, limit, window):
    """Counts one action of `actor` (str) in `scope` (str) within the current window of
    `window` seconds (windows start at multiples of `window` since the epoch). Returns 0 while
    at most `limit` actions were counted in the window, else the seconds (≥ 1) until it ends."""
    now = time.time()
    digest = hashlib.sha256(str(actor).encode()).hexdigest()
    key = f"limite:{scope}:{digest}:{int(now // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a new window
        count = 1
    return 0 if count <= limit else window - int(now) % window
