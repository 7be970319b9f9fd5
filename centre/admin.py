"""The Django admin is for superusers only; everyone else runs the house in
Samhus's own pages. Its login goes through allauth (rate limits, two-factor)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Centre, ClosedDay, OpeningHours, OutboxTask, PrivacyLog, User


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = _("Samhus administration")
admin.site.site_title = _("Samhus administration")


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "name", "is_coordinator", "is_active", "last_login"]
    list_filter = ["is_coordinator", "is_active", "is_superuser"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "language"]}),
        (_("Roles"), {"fields": ["is_coordinator", "is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        )
    ]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city"]


class HousePageOnly(admin.ModelAdmin):
    """Read only here: a change to the hours or the closed days first shows
    the bookings it touches, on the house's own pages (/house/), which the
    admin must not bypass."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpeningHours)
class OpeningHoursAdmin(HousePageOnly):
    list_display = ["weekday", "opens", "closes"]


@admin.register(ClosedDay)
class ClosedDayAdmin(HousePageOnly):
    list_display = ["date", "name", "source", "observed"]
    list_filter = ["source", "observed"]
    date_hierarchy = "date"


@admin.register(PrivacyLog)
class PrivacyLogAdmin(admin.ModelAdmin):
    """Read only: the log of exports and removals is evidence, not data to edit."""

    list_display = ["at", "action", "subject"]
    list_filter = ["action"]
    readonly_fields = ["at", "action", "subject", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker. Normally empty; rows that stay show that
    the broker or beat is away. Read only; deleting one drops its notification."""

    list_display = ["created", "task", "attempts", "last_error"]
    readonly_fields = ["created", "task", "args", "kwargs", "attempts", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
