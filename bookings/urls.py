from django.urls import path

from . import parallel_views, room_use_views, screen_views, views
from .calendar import views as calendar_views

app_name = "bookings"

urlpatterns = [
    path("", calendar_views.home, name="home"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/feed.ics", calendar_views.feed_ics, name="feed-ics"),
    path("calendar/feed.json", calendar_views.feed_json, name="feed-json"),
    path("calendar/activities/<int:pk>/", calendar_views.activity, name="activity"),
    path("calendar/activities/<int:pk>.ics", calendar_views.activity_ics, name="activity-ics"),
    path("calendar/parallel/", parallel_views.parallel, name="parallel"),
    path("screen/", screen_views.screen, name="screen"),
    path("house/room-use/", room_use_views.room_use, name="room-use"),
    path("house/room-use.csv", room_use_views.room_use_csv, name="room-use-csv"),
    path("rooms/", views.room_list, name="room-list"),
    path("rooms/new/", views.room_edit, name="room-create"),
    path("rooms/facilities/", views.facilities, name="facilities"),
    path("rooms/<slug:slug>/", views.room_detail, name="room-detail"),
    path("rooms/<slug:slug>/edit/", views.room_edit, name="room-edit"),
    path("bookings/new/", views.booking_create, name="booking-create"),
    path("bookings/mine/", views.my_bookings, name="my-bookings"),
    path("bookings/requests/", views.requests_queue, name="requests"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("bookings/<int:pk>/edit/", views.booking_edit, name="booking-edit"),
    path("bookings/<int:pk>/move/", views.booking_move, name="booking-move"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/approve/", views.booking_approve, name="booking-approve"),
    path("bookings/<int:pk>/decline/", views.booking_decline, name="booking-decline"),
    path("bookings/<int:pk>/book-again/", views.series_readd, name="series-readd"),
    path("bookings/series/<int:pk>/", views.series_detail, name="series-detail"),
    path("bookings/series/<int:pk>/extend/", views.series_extend, name="series-extend"),
    path("bookings/fair-use/", views.fair_use, name="fair-use"),
]
