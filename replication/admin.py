from django.contrib import admin

from replication.models import Evaluation, MentoringSession, ProgressReport, ReplicationRequest


class MentoringInline(admin.TabularInline):
    model = MentoringSession
    extra = 0
    raw_id_fields = ["recorded_by"]


class ProgressInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    raw_id_fields = ["reported_by"]


@admin.register(ReplicationRequest)
class ReplicationRequestAdmin(admin.ModelAdmin):
    list_display = ["source", "requesting_agency", "hub", "status", "created_at", "last_activity_at"]
    list_filter = ["status", "hub"]
    search_fields = ["source__name", "requesting_agency__name"]
    list_select_related = ["source", "requesting_agency", "hub"]
    raw_id_fields = ["source", "requesting_agency", "requested_by"]
    # The life of a request moves only through its transitions (locked, audited); the admin shows it.
    readonly_fields = [
        "status",
        "created_at",
        "decided_at",
        "withdrawn_at",
        "agreed_at",
        "declined_at",
        "mentoring_started_at",
        "implemented_at",
        "evaluated_at",
        "last_activity_at",
        "result_innovation",
    ]
    show_full_result_count = False
    inlines = [MentoringInline, ProgressInline]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["request", "outcome", "score", "evaluated_by", "created_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["request", "evaluated_by"]


admin.site.register(MentoringSession)
admin.site.register(ProgressReport)
