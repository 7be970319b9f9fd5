from django.contrib import admin

from .models import CouncilMember


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "role", "since", "until"]
    list_filter = ["role"]
