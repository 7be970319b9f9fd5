from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("home/digest/", views.digest, name="digest"),
    path("home/digest/archive/", views.digest_archive, name="digest-archive"),
    path("home/digest/archive/<int:pk>/", views.digest_issue, name="digest-issue"),
]
