"""/claim/: public by design (a resident without a login claims their profile here).

Nothing is shown without a valid invite: the link's token or the code is checked first, then
kept in the session for the confirmation step (so the token leaves the address bar).
"""

from django.urls import path

from . import views

app_name = "claim"

urlpatterns = [
    path("", views.claim_code, name="code"),
    path("continue/", views.claim_confirm, name="confirm"),
    path("forget/", views.claim_forget, name="forget"),
    path("sign-out/", views.claim_sign_out, name="sign_out"),
    path("<str:token>/", views.claim_link, name="link"),
]
