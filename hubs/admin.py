from django.contrib import admin

from hubs.models import HubDocument, HubEvent, HubTeamMember


@admin.register(HubTeamMember)
class HubTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "hub", "is_published", "is_removed"]
    list_filter = ["hub", "is_published", "is_removed"]
    search_fields = ["name", "role"]


@admin.register(HubDocument)
class HubDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "issued_on", "kind", "hub", "is_removed"]
    list_filter = ["hub", "kind", "is_removed"]
    search_fields = ["title", "number"]
    # Files enter only through the hub workspace, where jipp.uploads validates them by content.
    readonly_fields = ["file", "content_type", "size", "original_name", "uploaded_by"]


@admin.register(HubEvent)
class HubEventAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "place", "hub", "is_removed"]
    list_filter = ["hub", "kind", "is_removed"]
    search_fields = ["title", "place"]
    date_hierarchy = "held_on"
