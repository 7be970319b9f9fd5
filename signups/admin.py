from django.contrib import admin

from .models import Attendance, Sheet, SignUp


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "places", "waiting_list"]
    raw_id_fields = ["booking", "series"]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["booking", "people", "status", "created"]
    list_filter = ["status"]
    raw_id_fields = ["sheet", "booking"]
    exclude = ["token"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["booking", "total"]
    raw_id_fields = ["booking", "recorded_by"]
