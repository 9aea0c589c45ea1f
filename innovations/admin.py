from django.contrib import admin

from innovations.models import Award, DuplicateFlag, Evidence, ImportRun, Innovation, SearchTerm, SourceRecord


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["title", "file", "content_type", "size", "is_removed"]
    readonly_fields = ["content_type", "size"]


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "agency", "province", "status", "stage", "sector", "published_at"]
    list_filter = ["status", "stage", "sector", "form", "kind", "is_featured", "is_sample", "province"]
    search_fields = ["name", "acronym", "slug"]
    list_select_related = ["agency", "province"]
    autocomplete_fields = ["agency", "replicated_from"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at", "submitted_at", "published_at", "archived_at"]
    inlines = [AwardInline, EvidenceInline]
    show_full_result_count = False  # no exact COUNT(*) over a million rows


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["innovation", "program", "rank", "year"]
    list_filter = ["program", "rank", "year"]
    raw_id_fields = ["innovation"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "innovation", "content_type", "size", "uploaded_at", "is_removed"]
    list_filter = ["content_type", "is_removed"]
    raw_id_fields = ["innovation", "uploaded_by"]


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """Words offered by "did you mean" (derived from published names; read-only here)."""

    search_fields = ["term"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Workflow (issue 4) ---
from innovations.models import InnovationRevision  # noqa: E402


@admin.register(InnovationRevision)
class InnovationRevisionAdmin(admin.ModelAdmin):
    """Proposed edits of published records; decided in the workspace, inspected here."""

    list_display = ["innovation", "status", "created_by", "submitted_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["innovation", "created_by", "submitted_by"]
    readonly_fields = ["created_at"]


# --- Bulk import (issue 12): read in the admin; imports themselves go through the workspace ------------


class SourceRecordInline(admin.TabularInline):
    model = SourceRecord
    extra = 0
    fields = ["source", "source_id", "imported_at", "imported_by", "last_updated_at"]
    readonly_fields = fields
    can_delete = False


InnovationAdmin.inlines = [*InnovationAdmin.inlines, SourceRecordInline]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "created_by",
        "phase",
        "status",
        "rows_done",
        "new_count",
        "refused_count",
    ]
    list_filter = ["phase", "status"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "existing", "similarity", "decision"]
    list_filter = ["decision"]
    list_select_related = ["agency", "existing"]
    readonly_fields = [f.name for f in DuplicateFlag._meta.fields]

    def has_add_permission(self, request):
        return False
