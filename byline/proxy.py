"""The reader's real address behind a reverse proxy (nginx, Caddy, a load balancer).

Comment flood checks, moderation keys and the privacy tools use the client's IP. Behind a
proxy, REMOTE_ADDR is the proxy's own address, so every reader would look like one. When
the connection comes from an address listed in the `trusted_proxies` setting, the last
address of X-Forwarded-For that is not itself a trusted proxy becomes REMOTE_ADDR. From
anyone else the header is ignored: a reader cannot choose their own address.
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


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = _networks(settings.BYLINE_TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        if self.networks and _trusted(meta.get("REMOTE_ADDR", ""), self.networks):
            hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            # Walk from the nearest hop outwards; the first one we do not trust is the client.
            for hop in reversed(hops):
                if not _trusted(hop, self.networks):
                    try:
                        meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                    except ValueError:
                        pass  # garbage in the header: keep the proxy's address
                    break
        return self.get_response(request)
