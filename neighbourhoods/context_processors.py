from django.http import HttpRequest


def current_neighbourhood(request: HttpRequest) -> dict:
    """The neighbourhood and membership set by `access.require`, for navigation."""
    return {
        "neighbourhood": getattr(request, "neighbourhood", None),
        "membership": getattr(request, "membership", None),
    }
