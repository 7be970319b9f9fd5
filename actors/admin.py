from django.contrib import admin

from .models import Actor, Invitation, Language, Membership, Offer, TargetGroup, Theme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "presence", "joined_on", "left_on"]
    list_filter = ["kind", "presence", "left_on"]
    search_fields = ["name", "description", "strengths", "contact_name", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "role", "created"]
    list_filter = ["role", "actor"]
    search_fields = ["user__email", "user__name", "actor__name"]
    autocomplete_fields = ["user", "actor"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "actor", "role", "created", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "actor"]
    search_fields = ["email", "actor__name"]
    readonly_fields = ["token", "accepted_by", "accepted_at"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "actor", "is_active", "updated"]
    list_filter = ["is_active", "target_groups", "themes", "languages", "actor"]
    search_fields = ["title", "description", "actor__name"]
    filter_horizontal = ["target_groups", "themes", "languages"]


@admin.register(TargetGroup, Theme, Language)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
