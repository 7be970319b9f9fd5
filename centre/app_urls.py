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
    path("design/", views.design, name="design"),
]
