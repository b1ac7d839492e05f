from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.conversation_new, name="new"),
    path("offline/", views.conversation_offline, name="offline"),
    path("drafts/", views.drafts, name="drafts"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/reminders/", views.reminders, name="reminders"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path(
        "people/<int:person_id>/follow-ups/",
        views.person_follow_up_add,
        name="person_follow_up_add",
    ),
    path("introductions/", views.introductions, name="introductions"),
    path(
        "introductions/<int:introduction_id>/made/",
        views.introduction_made,
        name="introduction_made",
    ),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/save/", views.conversation_save, name="save"),
    path("<int:conversation_id>/finish/", views.conversation_finish, name="finish"),
    path("<int:conversation_id>/discard/", views.conversation_discard, name="discard"),
    path("<int:conversation_id>/search/", views.search, name="search"),
    path("<int:conversation_id>/tags/", views.tag_suggestions, name="tag_suggestions"),
    path("<int:conversation_id>/gifts/", views.gift_add, name="gift_add"),
    path("<int:conversation_id>/known/", views.known_add, name="known_add"),
    path("<int:conversation_id>/introductions/", views.introduction_add, name="introduction_add"),
    path("<int:conversation_id>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path(
        "<int:conversation_id>/gifts/<int:item_id>/remove/",
        views.item_remove,
        {"kind": "gift"},
        name="gift_remove",
    ),
    path(
        "<int:conversation_id>/known/<int:item_id>/remove/",
        views.item_remove,
        {"kind": "known"},
        name="known_remove",
    ),
    path(
        "<int:conversation_id>/introductions/<int:item_id>/remove/",
        views.item_remove,
        {"kind": "introduction"},
        name="introduction_remove",
    ),
    path(
        "<int:conversation_id>/follow-ups/<int:item_id>/remove/",
        views.item_remove,
        {"kind": "follow_up"},
        name="follow_up_remove",
    ),
]
