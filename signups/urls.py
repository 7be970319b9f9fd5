from django.urls import path

from . import views

app_name = "signups"

urlpatterns = [
    path("signups/<int:pk>/", views.signup, name="signup"),
    path("signups/confirm/<slug:token>/", views.confirm, name="confirm"),
    path("signups/mine/<slug:token>/", views.cancel, name="cancel"),
    path("signups/dates/<int:pk>/", views.date_list, name="list"),
    path("signups/dates/<int:pk>/desk/", views.desk, name="desk"),
    path("signups/dates/<int:pk>/settings/", views.settings_save, name="settings"),
    path("signups/dates/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("signups/entries/<int:pk>/cancel/", views.entry_cancel, name="entry-cancel"),
]
