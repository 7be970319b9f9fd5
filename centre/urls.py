"""The root URLconf. Apps are included by dotted string: centre imports none of them."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
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

# Uploaded logos and photos while developing (DEBUG only: Django serves nothing here
# otherwise); in production Caddy serves /media/ (docker-compose.yml).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
