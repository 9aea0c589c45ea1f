"""The workspace (*ruang kerja*) for signed-in people: dashboards per role, editing innovations section by
section, evidence, and the review workflow. Rules come from jipp.access; writes from innovations.services.

Answers: hidden record → 404; visible but not allowed → 403; forged or invalid POST → 400 with the form
re-rendered (nothing typed is lost); stale form, double submit or a decision someone else already took →
409 with a message. Nothing changes in any of these cases.
"""

import datetime
import difflib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovations import forms, rules, services
from innovations.models import Award, Innovation, InnovationRevision, InnovationTally
from innovations.templatetags.innovation_tags import display_value
from jipp import access, directory
from jipp.accounts import rules as account_rules
from jipp.accounts.models import AccessRequest
from jipp.errors import Conflict
from jipp.models import AuditEntry, Hub
from jipp.ops.errors import error_page
from jipp.steps import Step, add_errors, post_step

QUEUE_LIMIT = 100
S = Innovation.Status
# The agency's own list: what needs its action first (returned, then drafts), then what waits on others.
NEEDS_ACTION_FIRST = Case(
    *[
        When(status=status, then=Value(rank))
        for rank, status in enumerate([S.RETURNED, S.DRAFT, S.SUBMITTED, S.PUBLISHED])
    ],
    default=Value(9),
)


def _forged_keys(request, allowed):
    """POST keys a form never sends (a forged status, agency, or any field of another section)."""
    return sorted(set(request.POST) - set(allowed) - forms.HOUSEKEEPING_KEYS)


def _bad_request(request, message):
    return error_page(request, 400, {"message": message})


def _record_url(innovation):
    return reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk})


def _conflict(innovation, message):
    """The record is not in a state for this page or step: the one 409 page, linking to the record."""
    return Conflict(message, back_url=_record_url(innovation))


# --- Dashboard -----------------------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request):
    user = request.user
    roles = access.roles_of(user)
    now = timezone.now()
    context = {"roles": roles, "now": now}
    context["my_requests"] = list(
        AccessRequest.objects.filter(user=user).select_related("agency").order_by("-created_at")[:5]
    )
    if roles.is_staff_member or roles.is_admin and roles.staff_agency_ids:
        mine = Innovation.objects.filter(agency_id__in=roles.staff_agency_ids)
        context["by_status"] = _by_status(mine)
        context["my_innovations"] = list(
            _rows(mine).order_by(NEEDS_ACTION_FIRST, "-updated_at")[:QUEUE_LIMIT]
        )
        context["open_edits"] = {
            r.innovation_id: r
            for r in InnovationRevision.objects.filter(
                innovation__agency_id__in=roles.staff_agency_ids, status__in=InnovationRevision.OPEN_STATUSES
            )
        }
        context["my_due"] = _due(mine)
    if roles.is_officer or roles.is_admin or roles.is_ministry:
        # Reviewers' queues: officers for their hub's province, the ministry for provinces without an
        # active hub, administrators for all.
        if roles.is_admin:
            in_scope = Innovation.objects.all()
        else:
            scope = Q(pk__in=[])
            if roles.officer_province_ids:
                scope |= Q(province_id__in=roles.officer_province_ids) & ~Q(
                    province__hub__status=Hub.Status.INACTIVE
                )
            if roles.is_ministry:
                scope |= access.provinces_without_active_hub_q()
            in_scope = Innovation.objects.filter(scope)
        submissions = [
            {"innovation": i, "kind": "record", "since": i.submitted_at}
            for i in _rows(in_scope.filter(status=Innovation.Status.SUBMITTED)).order_by("submitted_at")[
                :QUEUE_LIMIT
            ]
        ]
        edits = (
            InnovationRevision.objects.filter(
                status=InnovationRevision.Status.SUBMITTED, innovation__in=in_scope
            )
            .select_related("innovation", "innovation__agency")
            .order_by("submitted_at")[:QUEUE_LIMIT]
        )
        submissions += [{"innovation": r.innovation, "kind": "edit", "since": r.submitted_at} for r in edits]
        submissions.sort(key=lambda item: item["since"] or now)
        context["review_queue"] = submissions
        context["access_queue"] = list(
            account_rules.access_requests_for_decider(
                user, AccessRequest.objects.pending().filter(user__is_active=True)
            )
            .select_related("agency", "user")
            .order_by("created_at")[:QUEUE_LIMIT]
        )
        if not roles.is_ministry or roles.is_officer:
            context["province_due"] = _due(in_scope)
    if roles.is_ministry:
        context["featured"] = list(
            _rows(Innovation.objects.published().filter(is_featured=True)).order_by("-published_at", "-id")[
                :50
            ]
        )
        context["ministry_by_status"] = _by_status_of_all()
    context["can_create"] = rules.can_create_innovation(user)
    context["can_import"] = rules.can_import_innovations(user)
    context["can_appoint"] = account_rules.can_appoint_officers(user)
    context["can_manage_agencies"] = directory.can_manage_agencies(user)
    return render(request, "innovations/workspace/dashboard.html", context)


# What the workspace's lists show of a record; the long texts and the search columns are never read.
ROW_FIELDS = ("name", "acronym", "status", "submitted_at", "agency__name")


def _rows(queryset):
    return queryset.select_related("agency").only(*ROW_FIELDS)


def _due(queryset):
    """Records due for re-confirmation, longest unconfirmed first (the index on rules.confirmed_on)."""
    return list(_rows(queryset.due_for_confirmation()).order_by(*rules.reconfirmation_order())[:QUEUE_LIMIT])


def _by_status(queryset):
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("id")))
    return _status_counts(counts)


def _by_status_of_all():
    """Every record by status, read from InnovationTally (kept exact by a trigger): no scan of a
    million rows on each visit of the ministry's workspace."""
    counts = dict(
        InnovationTally.objects.filter(dimension=InnovationTally.Dimension.STATUS).values_list("key", "count")
    )
    return _status_counts(counts)


def _status_counts(counts):
    return [(value, label, counts.get(value, 0)) for value, label in Innovation.Status.choices]


# --- Creating and editing ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def innovation_create(request):
    access.require(rules.can_create_innovation(request.user))
    agencies = rules.agencies_for_new_innovation(request.user)
    form = forms.CreateInnovationForm(agencies=agencies)
    status = 200
    if request.method == "POST":
        forged = _forged_keys(request, forms.CreateInnovationForm.Meta.fields)
        form = forms.CreateInnovationForm(request.POST, agencies=agencies)
        if forged:
            form.is_valid()
            messages.error(
                request, _("The form contained fields it does not have: %(f)s.") % {"f": ", ".join(forged)}
            )
            status = 400
        elif form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "agency"}
            try:
                innovation = services.create_innovation(
                    by=request.user, agency=form.cleaned_data["agency"], values=values
                )
            except ValidationError as error:
                add_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Draft saved. Continue with the other sections."))
                return redirect("innovations:innovation_edit", pk=innovation.pk, section="proposal")
        else:
            status = 400
    return render(
        request,
        "innovations/workspace/edit.html",
        {"form": form, "sections": forms.SECTIONS, "section": "identity", "creating": True},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_edit(request, pk, section):
    if section not in forms.SECTIONS:
        raise Http404
    innovation = rules.get_innovation_for_workspace(request.user, pk)
    access.require(rules.is_owner(request.user, innovation))
    if not rules.can_edit_innovation(request.user, innovation):
        raise _conflict(innovation, _("This record is under review or archived; it cannot be edited now."))
    revision = (
        services.open_revision(innovation) if innovation.status == Innovation.Status.PUBLISHED else None
    )
    if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
        raise _conflict(innovation, _("The proposed edit is under review; wait for the hub's decision."))
    form_class = forms.section_form_class(section)
    values = services.working_values(innovation, revision)
    status = 200
    if request.method == "POST":
        forged = _forged_keys(request, form_class._meta.fields)
        form = form_class(request.POST, instance=_detached(innovation, values))
        if forged:
            form.is_valid()
            messages.error(
                request, _("The form contained fields it does not have: %(f)s.") % {"f": ", ".join(forged)}
            )
            status = 400
        elif form.is_valid():
            try:
                services.save_section(
                    innovation_id=innovation.pk,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                )
            except Conflict as error:
                # The form page again, with everything typed, the message and the 409 status.
                messages.error(request, str(error))
                status = 409
            except ValidationError as error:
                add_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Saved."))
                target = request.POST.get("action")
                if target in forms.SECTIONS:
                    return redirect("innovations:innovation_edit", pk=innovation.pk, section=target)
                return redirect("innovations:workspace_innovation", pk=innovation.pk)
        else:
            status = 400
    else:
        form = form_class(instance=_detached(innovation, values), initial={"version": innovation.version})
    return render(
        request,
        "innovations/workspace/edit.html",
        {
            "form": form,
            "innovation": innovation,
            "revision": revision,
            "sections": forms.SECTIONS,
            "section": section,
            "section_title": forms.SECTIONS[section][0],
            "next_section": _next_section(section),
        },
        status=status,
    )


def _detached(innovation, values):
    """An unsaved copy carrying the working values, so a form never writes to the real record."""
    copy = Innovation(pk=innovation.pk, agency_id=innovation.agency_id, status=innovation.status)
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


def _next_section(section):
    names = list(forms.SECTIONS)
    index = names.index(section)
    return names[index + 1] if index + 1 < len(names) else None


# --- The record in the workspace ----------------------------------------------------------------------


@login_required
@require_safe
def workspace_innovation(request, pk):
    innovation = rules.get_innovation_for_workspace(
        request.user, pk, Innovation.objects.select_related("agency", "province", "submitted_by")
    )
    return render(request, "innovations/workspace/innovation.html", _record_context(request, innovation))


def _record_context(request, innovation, **extra):
    user = request.user
    revision = services.open_revision(innovation)
    evidence = list(innovation.evidence.filter(is_removed=False).select_related("uploaded_by"))
    values = services.working_values(innovation, revision)
    under_review = innovation.status == Innovation.Status.SUBMITTED or (
        revision is not None and revision.status == InnovationRevision.Status.SUBMITTED
    )
    changes = _changes(innovation, revision, evidence)
    context = {
        "innovation": innovation,
        "revision": revision,
        "values": values,
        "proposed_changes": changes[0],
        "unchanged_fields": changes[1],
        "evidence": evidence,
        "removed_evidence": set(revision.removed_evidence) if revision else set(),
        "history": list(AuditEntry.for_object(innovation)[:100])
        if rules.sees_history(user, innovation)
        else [],
        "sections": forms.SECTIONS,
        "can_edit": rules.can_edit_innovation(user, innovation)
        and not (revision is not None and revision.status == InnovationRevision.Status.SUBMITTED),
        "can_submit": rules.can_edit_innovation(user, innovation)
        and (
            innovation.status in (S.DRAFT, S.RETURNED)
            or (revision is not None and revision.status != InnovationRevision.Status.SUBMITTED)
        ),
        "can_review": rules.can_review_innovation(user, innovation) and under_review,
        "can_confirm": rules.can_confirm_innovation(user, innovation)
        and innovation.status == Innovation.Status.PUBLISHED,
        "can_archive": rules.can_archive_innovation(user, innovation)
        and innovation.status == Innovation.Status.PUBLISHED,
        "can_feature": rules.can_feature_innovation(user)
        and innovation.status == Innovation.Status.PUBLISHED,
        "missing": _missing_fields(innovation, innovation.missing_for_submission(values)),
        "return_form": forms.ReturnForm(initial={"version": innovation.version}),
        "evidence_form": forms.EvidenceForm(initial={"version": innovation.version}),
        "awards": services.working_awards(innovation, revision),
        "awards_proposed": revision is not None and "awards" in revision.data,
        "award_form": forms.AwardForm(initial={"version": innovation.version}),
        "archive_form": forms.ArchiveForm(initial={"version": innovation.version}, auto_id="archive_%s"),
        "max_files": services.uploads.MAX_FILES_PER_INNOVATION,
        "confirmation_due": innovation.confirmation_due(),
        "public_url": _public_url(innovation),
    }
    context.update(extra)
    return context


def _missing_fields(innovation, names):
    """Empty required fields as (label, section title, link to the field on its section's edit page)."""
    section_of = {name: key for key, (_title, fields) in forms.SECTIONS.items() for name in fields}
    missing = []
    for name in names:
        section = section_of.get(name, "identity")
        url = reverse("innovations:innovation_edit", kwargs={"pk": innovation.pk, "section": section})
        missing.append(
            {
                "name": name,
                "label": Innovation._meta.get_field(name).verbose_name,
                "section": forms.SECTIONS[section][0],
                "url": f"{url}#id_{name}",
            }
        )
    return missing


def _public_url(innovation):
    """The public page of a published record."""
    if innovation.status != Innovation.Status.PUBLISHED:
        return None
    return innovation.get_absolute_url()


def _changes(innovation, revision, evidence):
    """The review's comparison of an open revision with the published record.

    Returns ``(changed, unchanged)``: ``changed`` lists only what the edit changes (fields in form order,
    then awards and evidence), each as ``{"label", "old", "new", "is_list"}`` where ``old`` and ``new``
    are lists of ``(text, changed)`` segments (words for texts, items for lists) so the page can mark the
    removed and added parts with <del>/<ins>; ``unchanged`` lists the other fields as ``(label, value)``.
    ``evidence`` is the record's live files (published ones and those added by the edit).
    """
    if revision is None:
        return [], []
    proposed = services._from_json(revision.data)
    changed, unchanged = [], []
    for name in Innovation.EDITABLE_FIELDS:
        label = Innovation._meta.get_field(name).verbose_name
        old = _shown(getattr(innovation, name), name)
        if name not in proposed or proposed[name] == getattr(innovation, name):
            unchanged.append((label, old))
            continue
        old_segments, new_segments = _word_diff(old, _shown(proposed[name], name))
        changed.append({"label": label, "old": old_segments, "new": new_segments, "is_list": False})
    if "awards" in revision.data:
        published = [str(a) for a in innovation.awards.all()]
        wanted = [str(a) for a in services.working_awards(innovation, revision)]
        if published != wanted:
            changed.append(_list_change(Award._meta.verbose_name_plural, published, wanted))
    public = [e for e in evidence if e.revision_id is None]
    removed = {e.pk for e in public if e.pk in revision.removed_evidence}
    added = [e.title for e in evidence if e.revision_id == revision.pk]
    if removed or added:
        changed.append(
            {
                "label": _("evidence"),
                "old": [(e.title, e.pk in removed) for e in public],
                "new": [(e.title, False) for e in public if e.pk not in removed] + [(t, True) for t in added],
                "is_list": True,
            }
        )
    return changed, unchanged


def _shown(value, name):
    """A field's value as the page shows it (choice labels, dates, SDG names), or "" when empty."""
    return "" if value in (None, "", []) else str(display_value(value, name))


def _list_change(label, old, new):
    return {
        "label": label,
        "old": [(item, item not in new) for item in old],
        "new": [(item, item not in old) for item in new],
        "is_list": True,
    }


MAX_DIFF_WORDS = 4000


def _word_diff(old, new):
    """Both texts as ``(text, changed)`` segments: the words the edit removes, and the words it adds."""
    a, b = re.findall(r"\s+|\S+", old), re.findall(r"\s+|\S+", new)
    if len(a) + len(b) > MAX_DIFF_WORDS:  # too long to compare word by word quickly: mark it whole
        return [(old, True)] if old else [], [(new, True)] if new else []
    old_segments, new_segments = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_segments += [(token, op != "equal") for token in a[i1:i2]]
        new_segments += [(token, op != "equal") for token in b[j1:j2]]
    return _joined(old_segments), _joined(new_segments)


def _joined(tokens):
    """Merge runs of tokens into segments; a space between two changed words is part of the change."""
    segments = []
    for index, (token, changed) in enumerate(tokens):
        if not changed and not token.strip() and 0 < index < len(tokens) - 1:
            changed = tokens[index - 1][1] and tokens[index + 1][1]
        if segments and segments[-1][1] == changed:
            segments[-1] = (segments[-1][0] + token, changed)
        else:
            segments.append((token, changed))
    return segments


# --- Evidence ------------------------------------------------------------------------------------------


def _record_page_with(request, innovation, context_key):
    """``invalid`` for the add-a-file and add-an-award steps: the record page again with the form and
    its errors (400)."""

    def invalid(form, error):
        innovation.refresh_from_db()
        return render(
            request,
            "innovations/workspace/innovation.html",
            _record_context(request, innovation, **{context_key: form}),
            status=400,
        )

    return invalid


def _to_record(innovation, result):
    return _record_url(innovation)


ADD_EVIDENCE = Step(
    form=forms.EvidenceForm,
    allowed=rules.is_owner,
    perform=lambda user, innovation, data: services.add_evidence(
        innovation_id=innovation.pk,
        by=user,
        version=data["version"],
        title=data["title"],
        upload=data["file"],
    ),
    success=_("File added."),
    done=_to_record,
    error_field="file",
)


@login_required
@require_POST
def evidence_add(request, pk):
    innovation = rules.get_innovation_for_workspace(request.user, pk)
    return post_step(
        request,
        innovation,
        ADD_EVIDENCE,
        invalid=_record_page_with(request, innovation, "evidence_form"),
        back_url=_record_url(innovation),
    )


def _confirm_removal(request, innovation, *, title, details, button, action_url, note=""):
    """The confirmation page of a removal (GET): what goes, and the POST button that removes it."""
    if not rules.can_edit_innovation(request.user, innovation):
        raise _conflict(innovation, _("This record is under review or archived; it cannot be edited now."))
    return render(
        request,
        "jipp/confirm_remove.html",
        {
            "title": title,
            "details": details,
            "note": note,
            "button": button,
            "action_url": action_url,
            "hidden": [("version", innovation.version)],
            "back_url": reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk}),
            "back_label": innovation.name,
        },
    )


_PUBLISHED_NOTE = _(
    "The record is published: the removal becomes part of your proposed edit, and the public page "
    "keeps it until the hub publishes the edit."
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_remove(request, pk, evidence_pk):
    innovation = rules.get_innovation_for_workspace(request.user, pk)
    evidence = innovation.evidence.filter(pk=evidence_pk, is_removed=False).first()
    if evidence is None:
        raise Http404
    access.require(rules.is_owner(request.user, innovation))
    if request.method != "POST":
        return _confirm_removal(
            request,
            innovation,
            title=_("Remove this file?"),
            details=[
                (_("File"), evidence.title),
                (
                    _("Type and size"),
                    f"{evidence.get_content_type_display()}, {filesizeformat(evidence.size)}",
                ),
                (_("Innovation"), innovation.name),
            ],
            note=_PUBLISHED_NOTE
            if innovation.status == Innovation.Status.PUBLISHED and evidence.revision_id is None
            else "",
            button=_("Remove the file"),
            action_url=request.path,
        )
    remove = Step(
        form=forms.VersionForm,
        allowed=rules.is_owner,
        perform=lambda user, innovation, data: services.remove_evidence(
            evidence_id=evidence_pk, by=user, version=data["version"]
        ),
        success=_("File removed."),
        done=_to_record,
    )
    return post_step(
        request, innovation, remove, invalid=_incomplete_form(request), back_url=_record_url(innovation)
    )


def _incomplete_form(request):
    return lambda form, error: _bad_request(request, _("The form was incomplete."))


# --- Awards --------------------------------------------------------------------------------------------


@login_required
@require_POST
def award_add(request, pk):
    innovation = rules.get_innovation_for_workspace(request.user, pk)
    access.require(rules.is_owner(request.user, innovation))
    forged = _forged_keys(request, forms.AwardForm.base_fields)
    if forged:
        return _bad_request(
            request, _("The form contained fields it does not have: %(f)s.") % {"f": ", ".join(forged)}
        )
    return post_step(
        request,
        innovation,
        ADD_AWARD,
        invalid=_record_page_with(request, innovation, "award_form"),
        back_url=_record_url(innovation),
    )


ADD_AWARD = Step(
    form=forms.AwardForm,
    allowed=rules.is_owner,
    perform=lambda user, innovation, data: services.add_award(
        innovation_id=innovation.pk,
        by=user,
        **{name: data[name] for name in ("version", *services.AWARD_FIELDS)},
    ),
    success=_("Award added."),
    done=_to_record,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def award_remove(request, pk, award_key):
    innovation = rules.get_innovation_for_workspace(request.user, pk)
    revision = services.open_revision(innovation)
    award = next((a for a in services.working_awards(innovation, revision) if a.key == award_key), None)
    if award is None:
        raise Http404
    access.require(rules.is_owner(request.user, innovation))
    if request.method != "POST":
        return _confirm_removal(
            request,
            innovation,
            title=_("Remove this award?"),
            details=[(_("Award"), str(award)), (_("Innovation"), innovation.name)],
            note=_PUBLISHED_NOTE if innovation.status == Innovation.Status.PUBLISHED else "",
            button=_("Remove the award"),
            action_url=request.path,
        )
    remove = Step(
        form=forms.VersionForm,
        allowed=rules.is_owner,
        perform=lambda user, innovation, data: services.remove_award(
            innovation_id=innovation.pk, by=user, version=data["version"], key=award_key
        ),
        success=_("Award removed."),
        done=_to_record,
    )
    return post_step(
        request, innovation, remove, invalid=_incomplete_form(request), back_url=_record_url(innovation)
    )


@require_safe
def evidence_download(request, pk):
    """Serve an evidence file after the permission check: as an attachment for PDFs, inline only for
    re-encoded images, always with nosniff and a sandboxing CSP so nothing in it can run."""
    evidence = rules.get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    extension = services.uploads.EXTENSIONS.get(evidence.content_type, "")
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == services.uploads.PDF,
        filename=f"bukti-{evidence.pk}{extension}",
    )
    if evidence.content_type != services.uploads.PDF:
        response["Content-Disposition"] = f'inline; filename="bukti-{evidence.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    public = evidence.innovation.status == Innovation.Status.PUBLISHED and evidence.revision_id is None
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# --- Transitions --------------------------------------------------------------------------------------


def _service(service, **fixed):
    """``perform`` for a workflow service: the record, the person and the form's version (and comment)."""

    def perform(user, innovation, data):
        arguments = {"innovation_id": innovation.pk, "by": user, "version": data["version"], **fixed}
        if "comment" in data:
            arguments["comment"] = data["comment"]
        return service(**arguments)

    return perform


def _to_queue(innovation, result):
    return reverse("innovations:workspace")


def _may_feature(user, innovation):
    return rules.can_feature_innovation(user)


# The workflow's one-step POSTs, keyed by the action in their URL.
TRANSITIONS = {
    "submit": Step(
        form=forms.VersionForm,
        allowed=rules.is_owner,
        perform=_service(services.submit),
        success=_("Submitted to the hub for review."),
        done=_to_record,
    ),
    "publish": Step(
        form=forms.VersionForm,
        allowed=rules.can_review_innovation,
        perform=_service(services.publish),
        success=_("Published."),
        done=_to_queue,
    ),
    "return": Step(
        form=forms.ReturnForm,
        allowed=rules.can_review_innovation,
        perform=_service(services.return_for_changes),
        success=_("Returned to the agency with your comments."),
        done=_to_queue,
    ),
    "reconfirm": Step(
        form=forms.VersionForm,
        allowed=rules.can_confirm_innovation,
        perform=_service(services.reconfirm),
        success=_("Thank you: confirmed as still running."),
        done=_to_record,
    ),
    "archive": Step(
        form=forms.ArchiveForm,
        form_kwargs=lambda innovation: {"auto_id": "archive_%s"},
        allowed=rules.can_archive_innovation,
        perform=_service(services.archive),
        success=_("Archived."),
        done=_to_record,
    ),
    "feature": Step(
        form=forms.VersionForm,
        allowed=_may_feature,
        perform=_service(services.set_featured, featured=True),
        success=_("Featured."),
        done=_to_record,
    ),
    "unfeature": Step(
        form=forms.VersionForm,
        allowed=_may_feature,
        perform=_service(services.set_featured, featured=False),
        success=_("No longer featured."),
        done=_to_record,
    ),
    "discard_edit": Step(
        form=forms.VersionForm,
        allowed=rules.is_owner,
        perform=_service(services.discard_revision),
        success=_("The proposed edit was discarded."),
        done=_to_record,
    ),
}


@login_required
@require_POST
def transition(request, pk, action):
    innovation = rules.get_innovation_for_workspace(
        request.user, pk, Innovation.objects.select_related("agency", "province", "submitted_by")
    )

    def invalid(form, error):
        if isinstance(error, services.Incomplete):
            # One message naming each empty field by its label, each linked to the field on its section.
            context = _record_context(request, innovation, submit_failed=True)
            context["missing"] = _missing_fields(innovation, error.missing)
            return render(request, "innovations/workspace/innovation.html", context, status=400)
        if error is not None:
            messages.error(request, " ".join(error.messages))
        bound = {"return": "return_form", "archive": "archive_form"}.get(action)
        extra = {bound: form} if bound and error is None else {}
        return render(
            request,
            "innovations/workspace/innovation.html",
            _record_context(request, innovation, **extra),
            status=400,
        )

    return post_step(
        request, innovation, TRANSITIONS[action], invalid=invalid, back_url=_record_url(innovation)
    )


def waited(since, now=None):
    """Whole days a queue item has waited (for sorting and for the 'waiting N days' label)."""
    if since is None:
        return 0
    return ((now or timezone.now()) - since) // datetime.timedelta(days=1)
