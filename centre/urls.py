"""The root URLconf. Apps are included by dotted string: centre imports none of them."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("centre.app_urls")),
    path("", include("actors.urls")),
    path("", include("bookings.urls")),
    path("", include("signups.urls")),
    path("", include("collaboration.urls")),
    path("", include("seasons.urls")),
    path("", include("homes.urls")),
]
