from django.urls import path

from . import parallel_views, room_use_views, screen_views, views
from .calendar import views as calendar_views
from .views import house as house_views

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
    # The house's changes that touch bookings (bookings/views/house.py).
    path("house/hours/", house_views.hours_edit, name="hours-edit"),
    path("house/closed-days/new/", house_views.closedday_edit, name="closedday-create"),
    path("house/closed-days/<int:pk>/edit/", house_views.closedday_edit, name="closedday-edit"),
    path(
        "house/closed-days/<int:pk>/delete/", house_views.closedday_delete, name="closedday-delete"
    ),
    path("house/closed-days/fill-holidays/", house_views.holidays_fill, name="holidays-fill"),
    path(
        "house/closed-days/<str:day>/restore/",
        house_views.closedday_restore,
        name="closedday-restore",
    ),
    path("house/room-use.csv", room_use_views.room_use_csv, name="room-use-csv"),
    path("rooms/", views.room_list, name="room-list"),
    path("rooms/new/", views.room_edit, name="room-create"),
    path("rooms/facilities/", views.facilities, name="facilities"),
    path("rooms/<slug:slug>/", views.room_detail, name="room-detail"),
    path("rooms/<slug:slug>/edit/", views.room_edit, name="room-edit"),
    path("rooms/<slug:slug>/out-of-use/", house_views.room_out_of_use, name="room-out-of-use"),
    path("bookings/new/", views.booking_create, name="booking-create"),
    path("bookings/mine/", views.my_bookings, name="my-bookings"),
    path("bookings/requests/", views.requests_queue, name="requests"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("bookings/<int:pk>/edit/", views.booking_edit, name="booking-edit"),
    path("bookings/<int:pk>/move/", views.booking_move, name="booking-move"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/approve/", views.booking_approve, name="booking-approve"),
    path("bookings/<int:pk>/decline/", views.booking_decline, name="booking-decline"),
    path("bookings/<int:pk>/release/", views.date_release, name="date-release"),
    path("bookings/<int:pk>/book-again/", views.series_readd, name="series-readd"),
    path("bookings/series/<int:pk>/", views.series_detail, name="series-detail"),
    path("bookings/series/<int:pk>/extend/", views.series_extend, name="series-extend"),
    path("bookings/fair-use/", views.fair_use, name="fair-use"),
]
