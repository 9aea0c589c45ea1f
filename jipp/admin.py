from django.contrib import admin

from jipp.models import Agency, AgencyRedirect, AuditEntry, Hub, Membership, Province, Regency, University


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(AgencyRedirect)
class AgencyRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "agency", "created_at"]
    search_fields = ["old_slug", "agency__name"]
    list_select_related = ["agency"]
    raw_id_fields = ["agency"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "is_government", "status", "province", "regency"]
    list_filter = ["level", "is_government", "status", "province"]
    search_fields = ["name", "slug"]
    list_select_related = ["province", "regency"]
    autocomplete_fields = ["regency", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    # Renames and merges go through the workspace pages (redirects, audit, moving references).
    readonly_fields = ["status", "merged_into", "directory_key"]


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "year_designated", "status"]
    list_filter = ["status", "year_designated"]
    search_fields = ["name", "province__name"]
    list_select_related = ["province"]
    filter_horizontal = ["universities"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "hub", "is_active", "created_at"]
    list_filter = ["role", "is_active", "hub"]
    search_fields = ["user__username", "user__email", "agency__name"]
    list_select_related = ["user", "agency", "hub"]
    autocomplete_fields = ["agency", "user"]
    raw_id_fields = ["granted_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["created_at", "object_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "comment", "actor__username"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Access requests (issue 4): decided in the workspace (/akun/permintaan-akses/), inspected here ---
