from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Sum
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


class AxesRequest(HttpRequest):
    """A request as django-axes hands it to its callables: with the client's address."""

    axes_ip_address: str


def failure_limit(request: AxesRequest, credentials: dict | None = None) -> int:
    """django-axes' ``AXES_FAILURE_LIMIT``: failures of this username from this address that
    lock it out (``LOCKOUT_USERNAME_LIMIT``), or 0 once this address failed
    ``LOCKOUT_ADDRESS_LIMIT`` times across all usernames (password spraying), which locks
    out every username from it until the cool-off time has passed.

    axes counts the failures per parameter set and compares the largest with one limit; a
    second set ``["ip_address"]`` would lock an address at the username limit, and a
    successful login (``AXES_RESET_ON_SUCCESS``) would wipe every failure from that
    address. So axes keeps one set (username + address) and the address count is here.
    """
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    if failures >= settings.LOCKOUT_ADDRESS_LIMIT:
        return 0
    return settings.LOCKOUT_USERNAME_LIMIT


def lockout_response(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes: a clear page (429) when a username + address, or an address across
    usernames, has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
