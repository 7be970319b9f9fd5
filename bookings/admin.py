from django.contrib import admin

from .models import AuditEntry, Booking, BookingSeries, Facility, Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "capacity",
        "needs_approval",
        "restricted",
        "buffer_minutes",
        "is_active",
    ]
    list_filter = ["needs_approval", "restricted", "is_active", "facilities"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["facilities", "allowed_actors", "parts"]
    # Taken out of use on the room's page, which decides first for its bookings.
    readonly_fields = ["is_active"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]


class AuditInline(admin.TabularInline):
    model = AuditEntry
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "action", "changes", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # Changes go through the booking services (rules, clashes, history); the admin reads.
    list_display = ["title", "room", "actor", "start", "end", "status", "visibility"]
    list_filter = ["status", "visibility", "room", "actor"]
    search_fields = ["title", "description", "actor__name"]
    date_hierarchy = "start"
    inlines = [AuditInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "room", "actor", "rrule", "first_day", "ends_on", "materialised_until"]
    list_filter = ["room", "actor"]
    search_fields = ["title", "actor__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
