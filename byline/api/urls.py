"""/wp-json/: the WordPress REST API. Each route's address is its WordPress route pattern."""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from .errors import no_route
from .views import ENDPOINTS, IndexEndpoint, NamespaceEndpoint


def _pattern(route: str) -> str:
    return "^" + route.lstrip("/") + "/?$"


@csrf_exempt
def unknown_route(request, rest=""):
    return no_route().response()


urlpatterns = [
    re_path(r"^$", IndexEndpoint.as_view(), name="api-index"),
    re_path(_pattern(NamespaceEndpoint.route), NamespaceEndpoint.as_view(), name="api-namespace"),
    *[re_path(_pattern(endpoint.route), endpoint.as_view()) for endpoint in ENDPOINTS],
    re_path(r"^(?P<rest>.*)$", unknown_route),
]
