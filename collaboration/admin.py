from django.contrib import admin

from .models import (
    Collaboration,
    CouncilMember,
    FormChange,
    Goal,
    Participation,
    SharingAnswer,
    SharingPost,
)


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "role", "since", "until"]
    list_filter = ["role"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["actor", "answered_by"]


class FormChangeInline(admin.TabularInline):
    model = FormChange
    extra = 0
    raw_id_fields = ["by"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    """For superusers repairing data; the house works in the collaboration log."""

    list_display = ["title", "form", "kind", "lead", "started", "ended", "phase"]
    list_filter = ["form", "kind", "phase"]
    search_fields = ["title", "description"]
    date_hierarchy = "started"
    raw_id_fields = ["lead", "logged_by", "bookings", "offers"]
    inlines = [ParticipationInline, FormChangeInline, GoalInline]


class SharingAnswerInline(admin.TabularInline):
    model = SharingAnswer
    extra = 0
    raw_id_fields = ["actor", "user"]


@admin.register(SharingPost)
class SharingPostAdmin(admin.ModelAdmin):
    list_display = ["title", "actor", "direction", "category", "status", "expires_on"]
    list_filter = ["direction", "category", "status"]
    raw_id_fields = ["actor", "done_with", "collaboration", "created_by"]
    inlines = [SharingAnswerInline]
