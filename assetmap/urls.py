from django.contrib import admin
from django.urls import include, path

from conversations import views as conversation_views
from neighbourhoods import views as neighbourhood_views

# Feature apps add their pages below /n/<slug>/ here; every view there uses access.require.
neighbourhood_patterns = [
    path("", include("neighbourhoods.urls")),
    path("", include("residents.urls")),
    path("organisations/", include("organisations.urls")),
    path("places/", include("places.urls")),
    path("conversations/", include("conversations.urls")),
    path("", include("network.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("public/", include("outcomes.public_urls")),  # public by design: published page
    path("", include("exchange.urls")),
    path("", include("maps.urls")),
    path("", include("me.privacy_urls")),
    path("", include("audit.urls")),
    path("search/", include("search.urls")),
    path("", include("ownership.urls")),
    path("jobs/", include("jobs.urls")),
]

urlpatterns = [
    path("", neighbourhood_views.home, name="home"),
    path("healthz", neighbourhood_views.healthz, name="healthz"),
    # the offline conversation pages' service worker: at the root, so its scope covers /n/
    path("sw.js", conversation_views.service_worker, name="service_worker"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("n/<slug:slug>/", include(neighbourhood_patterns)),
    path("o/<slug:slug>/", include("operators.urls")),  # operators.access on every view
    path("", include("operators.public_urls")),  # /o/ list; /invite/<token>/ public by design
    path("me/", include("me.urls")),
    path("claim/", include("me.claim_urls")),  # public by design: see me/claim_urls.py
    path("api/hsds/<slug:slug>/", include("api.urls")),  # public by design: see api/urls.py
    path("admin/", admin.site.urls),
]
