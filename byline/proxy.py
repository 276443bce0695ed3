"""The reader's real address behind a reverse proxy (nginx, Caddy, a load balancer).

Comment flood checks, moderation keys and the privacy tools use the client's IP. Behind a
proxy, REMOTE_ADDR is the proxy's own address, so every reader would look like one. When
the connection comes from an address listed in the `trusted_proxies` setting, the last
address of X-Forwarded-For that is not itself a trusted proxy becomes REMOTE_ADDR. From
anyone else the header is ignored: a reader cannot choose their own address.

The same goes for X-Forwarded-Proto (behind_https_proxy): only a trusted proxy may say that
the reader's connection was HTTPS; from anyone else the header is removed, so that a reader
on plain http cannot make Byline believe otherwise (and skip the redirect to https).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _networks(values) -> list:
    nets = []
    for value in values:
        value = value.strip()
        if value:
            nets.append(ipaddress.ip_network(value, strict=False))
    return nets


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def believe_proxy(meta: dict, networks) -> None:
    """Take REMOTE_ADDR and X-Forwarded-Proto from a trusted proxy's headers; drop them from anyone else.

    Changes ``meta`` in place, once per request: run twice, the reader's address would no
    longer be the proxy's, and X-Forwarded-Proto would be dropped.
    """
    from_proxy = bool(networks) and _trusted(meta.get("REMOTE_ADDR", ""), networks)
    if not from_proxy:
        meta.pop("HTTP_X_FORWARDED_PROTO", None)
    if from_proxy:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        # Walk from the nearest hop outwards; the first one we do not trust is the client.
        for hop in reversed(hops):
            if not _trusted(hop, networks):
                try:
                    meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                except ValueError:
                    pass  # garbage in the header: keep the proxy's address
                break


def trusted_networks() -> list:
    """The `trusted_proxies` setting as networks."""
    return _networks(settings.BYLINE_TRUSTED_PROXIES)


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = trusted_networks()

    def __call__(self, request):
        believe_proxy(request.META, self.networks)
        return self.get_response(request)
