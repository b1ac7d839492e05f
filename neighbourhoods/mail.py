from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from neighbourhoods.http import NeighbourhoodRequest


def send_welcome_email(request: NeighbourhoodRequest, user) -> None:
    """Email a new user a link to choose their password (the reset flow, first time)."""
    context = {
        "user": user,
        "neighbourhood": request.neighbourhood,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    subject = "".join(render_to_string("registration/welcome_subject.txt", context).splitlines())
    body = render_to_string("registration/welcome_email.txt", context)
    send_mail(subject, body, None, [user.email])
