"""The client's address as the portal sees it, behind `TRUSTED_PROXY_COUNT` reverse proxies.

Each trusted proxy appends the address it received the request from to `X-Forwarded-For`, and
the nearest one is `REMOTE_ADDR`: with N proxies the client is the N-th entry from the right
of `X-Forwarded-For` (django-ipware counts the proxies after the client, hence N - 1). Entries
further left were written by the client and are never believed; other headers (`X-Real-IP`,
`Forwarded`…) are ignored. With no proxy, or a request that did not come through them (no
header, or fewer entries than proxies), the address is `REMOTE_ADDR`.

Used by the rate limits of the search API (`search.throttle`) and of the e-mails telling about
services (`partage.services`), and the login lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`).
"""

from django.conf import settings

from ipware.ip import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request):
    """The client's IP address (str, IPv4 or IPv6); `REMOTE_ADDR` when no proxy is trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        address, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=(FORWARDED_FOR,),
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "")
