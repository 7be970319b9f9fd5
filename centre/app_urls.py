from django.urls import path

from . import views

app_name = "centre"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("i18n/setlang/", views.set_language, name="set-language"),
    path("accounts/profile/", views.profile, name="profile"),
    path("house/", views.house_manage, name="house"),
    path("house/edit/", views.centre_edit, name="centre-edit"),
    path("house/hours/", views.hours_edit, name="hours-edit"),
    path("house/closed-days/new/", views.closedday_edit, name="closedday-create"),
    path("house/closed-days/<int:pk>/edit/", views.closedday_edit, name="closedday-edit"),
    path("house/closed-days/<int:pk>/delete/", views.closedday_delete, name="closedday-delete"),
    path("house/closed-days/fill-holidays/", views.holidays_fill, name="holidays-fill"),
]
