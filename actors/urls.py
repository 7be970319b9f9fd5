from django.urls import path

from . import translation_views, views

app_name = "actors"

urlpatterns = [
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/new/", views.actor_create, name="actor-create"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor-detail"),
    path("actors/<slug:slug>/edit/", views.actor_edit, name="actor-edit"),
    path("actors/<slug:slug>/archive/", views.actor_archive, name="actor-archive"),
    path("actors/<slug:slug>/restore/", views.actor_restore, name="actor-restore"),
    path("actors/<slug:slug>/members/", views.member_list, name="member-list"),
    path("actors/<slug:slug>/offers/new/", views.offer_create, name="offer-create"),
    path("members/<int:pk>/role/", views.member_role, name="member-role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    # A token is secrets.token_urlsafe, so a slug: anything else (a NUL byte)
    # is not found before the database is asked.
    path("invitations/<slug:token>/", views.invitation_accept, name="invitation-accept"),
    path("offers/", views.offer_list, name="offer-list"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer-edit"),
    path(
        "offers/<int:pk>/translations/",
        translation_views.offer_translations,
        name="offer-translations",
    ),
    path("offers/lists/", views.vocabulary, name="vocabulary"),
    path("my-actors/", views.my_actors, name="my-actors"),
]
