from django.urls import path

from . import views

app_name = "operators_public"

# Not under /o/<slug>/: the list of the signed-in user's organisations, and the invitation
# page, public by design (it shows nothing without a valid token).
urlpatterns = [
    path("o/", views.operator_list, name="list"),
    path("invite/<str:token>/", views.accept, name="accept"),
]
