from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip_address(request: HttpRequest) -> str:
    """The client's address for lockouts and limits (``AXES_CLIENT_IP_CALLABLE``).

    Without proxies (``PROXY_COUNT`` 0) it is REMOTE_ADDR and X-Forwarded-For is ignored, so
    nobody picks their own address. With N proxies in front, each appends the address it saw,
    so the client is the N-th entry from the right; anything left of it is the client's own
    writing and is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.AXES_IPWARE_PROXY_COUNT or 0
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            try:
                validate_ipv46_address(hops[-count])
            except ValidationError:
                return remote
            return hops[-count]
    return remote


def lockout_response(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes: a clear page (429) when a username + IP has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
