from django.contrib import admin

from jipp.accounts.models import AccessRequest


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "agency__province"]
    search_fields = ["user__username", "user__email", "agency__name"]
    raw_id_fields = ["user", "agency", "decided_by"]
    readonly_fields = ["created_at"]
