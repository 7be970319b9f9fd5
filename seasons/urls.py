from django.urls import path

from . import views

app_name = "seasons"

urlpatterns = [
    path("seasons/", views.round_list, name="round-list"),
    path("seasons/new/", views.round_edit, name="round-create"),
    path("seasons/<int:pk>/", views.round_detail, name="round-detail"),
    path("seasons/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("seasons/<int:pk>/apply/<slug:actor>/", views.application_edit, name="application-edit"),
    path("seasons/<int:pk>/proposal/", views.proposal, name="proposal"),
    path("seasons/<int:pk>/propose/", views.propose, name="propose"),
    path("seasons/<int:pk>/publish/", views.publish, name="publish"),
    path("seasons/<int:pk>/decisions.csv", views.decisions_csv, name="decisions-csv"),
    path("seasons/<int:pk>/fair-use/", views.fair_use, name="fair-use"),
    path("seasons/decisions/<int:pk>/edit/", views.decision_edit, name="decision-edit"),
    path("seasons/dates/<int:pk>/release/", views.date_release, name="date-release"),
    path("seasons/dates/<int:pk>/no-show/", views.no_show, name="no-show"),
    path("seasons/waiting/new/", views.waiting_create, name="waiting-create"),
    path("seasons/offers/<int:pk>/", views.offer, name="offer"),
    path("seasons/rooms/<slug:slug>/ask/", views.room_ask, name="room-ask"),
]
