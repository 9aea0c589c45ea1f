"""Workspace pages of the bulk import (issue 12): upload a file, see its check (every problem by row and
column), import it (or its valid rows only), follow a large import's progress, download the report,
decide likely duplicates. The reading and writing is ``innovations.importing``; rules are in
``innovations.rules``.

Small files are checked and imported while the person waits; larger ones are handed to the background
(``importing.enqueue``) and the page refreshes itself (a ``<meta http-equiv="refresh">``, so it works
without JavaScript under the strict CSP) until they are done.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovations import importing, rules
from innovations.models import DuplicateFlag, ImportRun
from jipp import access
from jipp.ops.errors import error_page
from jipp.steps import Step, post_step

RECENT_RUNS = 20
OPEN_FLAGS_SHOWN = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
    )
    publish = forms.BooleanField(
        label=_("Publish the new records directly"),
        required=False,
        help_text=_("Otherwise they arrive as drafts for their agency to confirm."),
    )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]
        self.fields["file"].help_text = _(
            "At most %(mb)d MB and %(rows)s rows; the first row holds the template's headers."
        ) % {
            "mb": importing.MAX_FILE_BYTES // 2**20,
            "rows": number_format(importing.MAX_ROWS, force_grouping=True),
        }
        self.file_format = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.file_format = importing.sniff_format(upload, upload.size, upload.name or "")
        except importing.FileRefused as refused:
            raise forms.ValidationError(refused.message, code="file_refused") from None
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (DuplicateFlag.Decision.KEEP_BOTH, _("Keep both")),
            (DuplicateFlag.Decision.SAME_RECORD, _("Same record")),
        ]
    )


def _process_or_queue(run):
    """Small files now, while the person waits; larger ones in the background."""
    if run.file_size <= importing.INLINE_MAX_BYTES:
        importing.process_run(run.pk)
    else:
        importing.enqueue(run)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    user = request.user
    access.require(rules.can_import_innovations(user))
    can_publish = rules.can_publish_imports(user)
    form = UploadForm(can_publish=can_publish)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, can_publish=can_publish)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = ImportRun(
                created_by=user,
                original_name=(upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200],
                file_size=upload.size,
                language=request.LANGUAGE_CODE,
                publish=bool(form.cleaned_data.get("publish")),
            )
            run.file.save(run.original_name or "import", upload, save=False)
            run.save()
            _process_or_queue(run)
            return redirect(run)
        status = 400
    runs = rules.import_runs_visible_to(user, ImportRun.objects.all()).select_related("created_by")
    flags = (
        rules.duplicate_flags_for(user, DuplicateFlag.objects.filter(decision=DuplicateFlag.Decision.OPEN))
        .select_related("existing", "agency", "import_run")
        .order_by("created_at")
    )
    return render(
        request,
        "innovations/workspace/import_start.html",
        {
            "form": form,
            "runs": list(runs[:RECENT_RUNS]),
            "open_flags": list(flags[:OPEN_FLAGS_SHOWN]),
            "guide": importing.column_guide(),
            "can_publish": can_publish,
        },
        status=status,
    )


def _get_run(request, uuid):
    return get_object_or_404(rules.import_runs_visible_to(request.user, ImportRun.objects.all()), uuid=uuid)


@login_required
@require_safe
def import_run(request, uuid):
    run = _get_run(request, uuid)
    flags = list(
        run.flags.select_related("existing", "agency", "created").order_by("decision", "row_number")[:200]
    )
    for flag in flags:
        flag.can_decide = flag.decision == DuplicateFlag.Decision.OPEN and rules.can_decide_duplicate(
            request.user, flag
        )
    return render(
        request,
        "innovations/workspace/import_run.html",
        {
            "run": run,
            "problems": run.problems,
            "more_problems": len(run.problems) >= importing.PROBLEMS_KEPT,
            "flags": flags,
            "may_confirm": run.can_import and _may_confirm(request.user, run),
            "outcomes": importing.OUTCOMES,
        },
    )


def _may_confirm(user, run):
    return run.created_by_id == user.pk or rules.can_publish_imports(user)


@login_required
@require_POST
def import_confirm(request, uuid):
    run = _get_run(request, uuid)
    access.require(_may_confirm(request.user, run))
    valid_only = request.POST.get("valid_only") == "1"
    run = importing.start_import(run_id=run.pk, by=request.user, valid_only=valid_only)
    _process_or_queue(run)
    return redirect(run)


@login_required
@require_safe
def import_report(request, uuid):
    run = _get_run(request, uuid)
    if not run.report:
        raise Http404
    response = FileResponse(run.report.open("rb"), content_type="text/csv; charset=utf-8")
    stem = run.original_name.rsplit(".", 1)[0][:60] or "impor"
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{run.get_phase_display().lower()}-{_safe(stem)}.csv"'
    )
    return response


def _safe(name):
    from django.utils.text import slugify

    return slugify(name) or "impor"


@require_safe
def import_template(request, file_format):
    if file_format == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-impor-inovasi.{file_format}"'
    return response


DECIDE = Step(
    form=DecisionForm,
    allowed=rules.can_decide_duplicate,
    perform=lambda user, flag, data: importing.decide_duplicate(
        flag_id=flag.pk, by=user, decision=data["decision"]
    ),
    success=lambda flag: (
        (
            _("Kept both: %(name)s is now a record of its own.")
            if flag.decision == DuplicateFlag.Decision.KEEP_BOTH
            else _("Recorded as the same record: the next import of the file updates %(name)s.")
        )
        % {"name": flag.name}
    ),
    done=lambda flag, result: flag.import_run.get_absolute_url(),
    error_field="decision",
)


@login_required
@require_POST
def import_flag_decide(request, pk):
    flag = get_object_or_404(
        rules.duplicate_flags_for(request.user, DuplicateFlag.objects.select_related("agency", "import_run")),
        pk=pk,
    )

    def invalid(form, error):
        return error_page(request, 400, {"message": _("Choose keep both or the same record.")})

    return post_step(request, flag, DECIDE, invalid=invalid, back_url=flag.import_run.get_absolute_url())
