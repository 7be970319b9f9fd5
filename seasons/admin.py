from django.contrib import admin

from .models import Application, Decision, NoShow, Offer, RoomAsk, Round, WaitingEntry, Wish


class WishInline(admin.TabularInline):
    model = Wish
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "season_start", "season_end", "stage"]
    list_filter = ["stage"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["actor", "round", "submitted_by", "updated"]
    list_filter = ["round"]
    inlines = [WishInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["wish", "outcome", "room", "weekday", "start_time", "rule", "changed_by"]
    list_filter = ["outcome", "wish__application__round"]
    raw_id_fields = ["wish", "blocked_by", "series"]


@admin.register(WaitingEntry)
class WaitingEntryAdmin(admin.ModelAdmin):
    list_display = ["actor", "room", "weekday", "start_time", "end_time", "is_active"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["released", "entry", "status", "expires_at"]
    raw_id_fields = ["released", "booking"]


admin.site.register(NoShow)
admin.site.register(RoomAsk)
