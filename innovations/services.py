"""The innovation workflow: create, edit, attach evidence, submit, publish or return, re-confirm, archive.

Every function is keyword-only and runs in one transaction. Transitions lock the innovation row
(``select_for_update``), then re-check the permission, the version token the form was rendered with, and
the state — so two officers deciding at once produce exactly one decision and one audit entry, and a
double submit or a stale form changes nothing. Each transition writes its ``AuditEntry`` in the same
transaction; emails are queued with ``transaction.on_commit``.

Edits of a published record go to an ``InnovationRevision`` (see its docstring): the public keeps
seeing the published values until the hub publishes the revision.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from innovations import rules, uploads
from innovations.models import Award, Evidence, Innovation, InnovationRevision, ReconfirmationReminder
from jipp import access
from jipp.errors import Conflict
from jipp.models import Agency, AuditEntry, Membership
from jipp.notifications.models import Kind
from jipp.notifications.outbox import notify, notify_all


class Incomplete(ValidationError):
    """Submitting a record with required fields still empty. ``missing`` holds the field names (in the
    order of the form), so the page can name each by its label and link to it."""

    def __init__(self, missing):
        self.missing = list(missing)
        labels = ", ".join(str(Innovation._meta.get_field(name).verbose_name) for name in self.missing)
        super().__init__(
            _("Fill in these fields before submitting: %(fields)s.") % {"fields": labels}, code="incomplete"
        )


STATE_MESSAGES = {
    "stale": _(
        "Someone changed this record after you opened the form. Nothing was saved: "
        "reload the page to see the current version."
    ),
}


# --- Helpers -----------------------------------------------------------------------------------------


def _lock(innovation_id):
    return Innovation.objects.select_for_update(of=("self",)).select_related("agency").get(pk=innovation_id)


def _check_version(innovation, version):
    if version is None or int(version) != innovation.version:
        raise Conflict(STATE_MESSAGES["stale"])


def _require_editable(user, innovation):
    access.require(rules.is_owner(user, innovation))
    if not rules.can_edit_innovation(user, innovation):
        if innovation.status == Innovation.Status.SUBMITTED:
            raise Conflict(
                _("This record was submitted and is under review; it can change after the hub decides.")
            )
        raise Conflict(_("This record is archived and can no longer change."))


def _bump(innovation, *fields):
    innovation.version += 1
    innovation.save(update_fields=[*fields, "version", "updated_at"])


def open_revision(innovation):
    return innovation.revisions.filter(status__in=InnovationRevision.OPEN_STATUSES).first()


def _to_json(values):
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in values.items()
    }


def _from_json(data):
    values = {name: value for name, value in data.items() if name != "awards"}
    if values.get("started_on"):
        values["started_on"] = datetime.date.fromisoformat(values["started_on"])
    return values


def working_values(innovation, revision=None):
    """The values the workspace edits: the record's own, overlaid with an open revision's proposal."""
    values = {name: getattr(innovation, name) for name in Innovation.EDITABLE_FIELDS}
    if revision is not None:
        values.update(_from_json(revision.data))
    return values


def _validate(innovation, values, *, complete):
    """Model validation of ``values`` on a copy of the record; drafts may leave fields empty."""
    candidate = Innovation(
        **{**{f.attname: getattr(innovation, f.attname) for f in Innovation._meta.concrete_fields}}
    )
    for name, value in values.items():
        setattr(candidate, name, value)
    empty = [name for name in Innovation.EDITABLE_FIELDS if getattr(candidate, name) in (None, "", [])]
    exclude = {"slug", "province", "regency", "replicated_from"}
    if complete:
        # Every empty required field at once, by name (not one "cannot be blank" per field).
        missing = innovation.missing_for_submission(
            {f: getattr(candidate, f) for f in Innovation.EDITABLE_FIELDS}
        )
        if missing:
            raise Incomplete(missing)
    else:
        exclude |= set(empty)
    candidate.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)


def _unique_slug(name):
    base = slugify(name)[:200] or "inovasi"
    slug = base
    while Innovation.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _reviewers(innovation):
    """The officers of the province's active hub; the ministry where there is none."""
    if access.province_has_active_hub(innovation.province_id):
        reviewers = Membership.objects.active().filter(
            role="officer", hub__province_id=innovation.province_id
        )
    else:
        reviewers = Membership.objects.active().filter(role="ministry")
    return [m.user for m in reviewers.select_related("user").order_by("user__email", "user_id")]


def _workspace_url(innovation):
    return reverse("innovations:workspace_innovation", args=[innovation.pk])


# --- Creating and editing ----------------------------------------------------------------------------


@transaction.atomic
def create_innovation(*, by, agency, values):
    access.require(rules.agencies_for_new_innovation(by).filter(pk=agency.pk).exists())
    innovation = Innovation(agency=agency, created_by=by, status=Innovation.Status.DRAFT, **values)
    innovation.slug = _unique_slug(innovation.name)
    _validate(innovation, values, complete=False)
    try:
        with transaction.atomic():
            innovation.save()
    except IntegrityError:
        # The same name was taken a moment ago by another record: add a random suffix.
        innovation.pk = None
        innovation.slug = f"{innovation.slug[:200]}-{secrets.token_hex(3)}"
        innovation.save()
    AuditEntry.record(innovation, actor=by, action="create", to_state=innovation.status)
    return innovation


@transaction.atomic
def save_section(*, innovation_id, by, version, values):
    """Save one section. Drafts and returned records change in place; a published record gets (or
    updates) its open revision, leaving the public record untouched."""
    innovation = _lock(innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    unknown = set(values) - set(Innovation.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if innovation.status == Innovation.Status.PUBLISHED:
        revision = open_revision(innovation)
        if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
            raise Conflict(_("The proposed edit is under review; wait for the hub's decision."))
        _validate(innovation, {**working_values(innovation, revision), **values}, complete=False)
        if revision is None:
            revision = InnovationRevision.objects.create(innovation=innovation, created_by=by, data={})
            AuditEntry.record(
                innovation,
                actor=by,
                action="start_edit",
                from_state=Innovation.Status.PUBLISHED,
                to_state=Innovation.Status.PUBLISHED,
            )
        revision.data = {**revision.data, **_to_json(values)}
        revision.save(update_fields=["data"])
        _bump(innovation)
        return innovation
    for name, value in values.items():
        setattr(innovation, name, value)
    _validate(innovation, {}, complete=False)
    _bump(innovation, *values.keys())
    return innovation


@transaction.atomic
def discard_revision(*, innovation_id, by, version):
    innovation = _lock(innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    revision = open_revision(innovation)
    if revision is None or revision.status == InnovationRevision.Status.SUBMITTED:
        raise Conflict(_("There is no proposed edit that can be discarded."))
    revision.status = InnovationRevision.Status.DISCARDED
    revision.save(update_fields=["status"])
    revision.evidence.update(is_removed=True)
    AuditEntry.record(
        innovation,
        actor=by,
        action="discard_edit",
        from_state=Innovation.Status.PUBLISHED,
        to_state=Innovation.Status.PUBLISHED,
    )
    _bump(innovation)
    return innovation


# --- Evidence ------------------------------------------------------------------------------------------


@transaction.atomic
def add_evidence(*, innovation_id, by, version, title, upload):
    """Validate and store one file. The count limit is checked under the row lock, so parallel uploads
    cannot exceed it."""
    innovation = _lock(innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    revision = None
    if innovation.status == Innovation.Status.PUBLISHED:
        revision = open_revision(innovation)
        if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
            raise Conflict(_("The proposed edit is under review; wait for the hub's decision."))
    current = innovation.evidence.filter(is_removed=False)
    if revision is not None:
        current = current.exclude(pk__in=revision.removed_evidence)
    if current.count() >= uploads.MAX_FILES_PER_INNOVATION:
        raise ValidationError(
            _("An innovation can have at most %(n)d evidence files.")
            % {"n": uploads.MAX_FILES_PER_INNOVATION},
            code="too_many",
        )
    clean = uploads.validate_upload(upload)
    if innovation.status == Innovation.Status.PUBLISHED and revision is None:
        revision = InnovationRevision.objects.create(innovation=innovation, created_by=by, data={})
        AuditEntry.record(
            innovation,
            actor=by,
            action="start_edit",
            from_state=Innovation.Status.PUBLISHED,
            to_state=Innovation.Status.PUBLISHED,
        )
    evidence = Evidence(
        innovation=innovation,
        revision=revision,
        title=title,
        content_type=clean.content_type,
        size=clean.size,
        original_name=clean.original_name,
        uploaded_by=by,
    )
    evidence.file.save(f"upload{uploads.EXTENSIONS[clean.content_type]}", clean.content, save=False)
    evidence.full_clean()
    evidence.save()
    AuditEntry.record(innovation, actor=by, action="add_evidence", comment=title)
    _bump(innovation)
    return evidence


@transaction.atomic
def remove_evidence(*, evidence_id, by, version):
    evidence = Evidence.objects.select_related("innovation").get(pk=evidence_id)
    innovation = _lock(evidence.innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    evidence.refresh_from_db()
    if evidence.is_removed:
        raise Conflict(_("This file was already removed."))
    if innovation.status == Innovation.Status.PUBLISHED and evidence.revision_id is None:
        # Public file: removing it is part of the proposed edit, applied when the hub publishes it.
        revision = open_revision(innovation)
        if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
            raise Conflict(_("The proposed edit is under review; wait for the hub's decision."))
        if revision is None:
            revision = InnovationRevision.objects.create(innovation=innovation, created_by=by, data={})
        if evidence.pk not in revision.removed_evidence:
            revision.removed_evidence = [*revision.removed_evidence, evidence.pk]
            revision.save(update_fields=["removed_evidence"])
    else:
        evidence.is_removed = True
        evidence.save(update_fields=["is_removed"])
    AuditEntry.record(innovation, actor=by, action="remove_evidence", comment=evidence.title)
    _bump(innovation)
    return evidence


# --- Awards --------------------------------------------------------------------------------------------

AWARD_FIELDS = ("program", "year", "rank", "title")


def working_awards(innovation, revision=None):
    """The awards the workspace edits, as ``Award`` objects (unsaved for a proposal): the open revision's
    proposed list when it has one (``revision.data["awards"]``: the whole list, as dicts), else the
    record's own."""
    if revision is not None and "awards" in revision.data:
        return [Award(innovation=innovation, **entry) for entry in revision.data["awards"]]
    return list(innovation.awards.all())


def _award_json(award):
    return {name: getattr(award, name) for name in AWARD_FIELDS}


def _apply_awards(innovation, proposed):
    """Replace the record's awards with a published revision's list (inside the publish transaction)."""
    innovation.awards.all().delete()
    awards = [Award(innovation=innovation, **entry) for entry in proposed]
    for award in awards:
        award.full_clean(validate_constraints=False, validate_unique=False)
    Award.objects.bulk_create(awards)


def _award_target(by, innovation_id, version):
    """Lock and check the record; return it with the open revision when the change must go there."""
    innovation = _lock(innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    revision = None
    if innovation.status == Innovation.Status.PUBLISHED:
        revision = open_revision(innovation)
        if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
            raise Conflict(_("The proposed edit is under review; wait for the hub's decision."))
    return innovation, revision


def _propose_awards(innovation, revision, by, awards):
    if revision is None:
        revision = InnovationRevision.objects.create(innovation=innovation, created_by=by, data={})
        AuditEntry.record(
            innovation,
            actor=by,
            action="start_edit",
            from_state=Innovation.Status.PUBLISHED,
            to_state=Innovation.Status.PUBLISHED,
        )
    revision.data = {**revision.data, "awards": [_award_json(a) for a in awards]}
    revision.save(update_fields=["data"])


@transaction.atomic
def add_award(*, innovation_id, by, version, program, year, rank, title=""):
    """Add an award: directly to a draft or returned record, as part of the proposed edit of a published
    one. The rank must fit the programme; the same programme, year and rank cannot be listed twice."""
    innovation, revision = _award_target(by, innovation_id, version)
    title = (title or "").strip()
    if program == Award.Program.OTHER and not rank:
        rank = Award.Rank.OTHER
    award = Award(innovation=innovation, program=program, year=year, rank=rank, title=title)
    award.full_clean(validate_constraints=False, validate_unique=False)
    current = working_awards(innovation, revision)
    if any(a.key == award.key for a in current):
        raise ValidationError(
            _("This innovation already lists %(award)s.") % {"award": award}, code="duplicate"
        )
    if innovation.status == Innovation.Status.PUBLISHED:
        _propose_awards(innovation, revision, by, [*current, award])
    else:
        award.save()
    AuditEntry.record(innovation, actor=by, action="add_award", comment=str(award))
    _bump(innovation)
    return award


@transaction.atomic
def remove_award(*, innovation_id, by, version, key):
    innovation, revision = _award_target(by, innovation_id, version)
    current = working_awards(innovation, revision)
    award = next((a for a in current if a.key == key), None)
    if award is None:
        raise Conflict(_("This award was already removed."))
    if innovation.status == Innovation.Status.PUBLISHED:
        _propose_awards(innovation, revision, by, [a for a in current if a.key != key])
    else:
        award.delete()
    AuditEntry.record(innovation, actor=by, action="remove_award", comment=str(award))
    _bump(innovation)
    return award


# --- Transitions ---------------------------------------------------------------------------------------


@transaction.atomic
def submit(*, innovation_id, by, version):
    """Draft or returned → submitted (or a published record's open edit → submitted)."""
    innovation = _lock(innovation_id)
    _require_editable(by, innovation)
    _check_version(innovation, version)
    now = timezone.now()
    if innovation.status == Innovation.Status.PUBLISHED:
        revision = open_revision(innovation)
        if revision is None or revision.status == InnovationRevision.Status.SUBMITTED:
            raise Conflict(_("There is no edit to submit."))
        _validate(innovation, working_values(innovation, revision), complete=True)
        from_state = revision.status
        revision.status = InnovationRevision.Status.SUBMITTED
        revision.submitted_by, revision.submitted_at = by, now
        revision.save(update_fields=["status", "submitted_by", "submitted_at"])
        AuditEntry.record(
            innovation,
            actor=by,
            action="submit_edit",
            from_state=f"edit:{from_state}",
            to_state="edit:submitted",
        )
    elif innovation.status in (Innovation.Status.DRAFT, Innovation.Status.RETURNED):
        _validate(innovation, working_values(innovation), complete=True)
        from_state = innovation.status
        innovation.status = Innovation.Status.SUBMITTED
        innovation.submitted_by, innovation.submitted_at = by, now
        innovation.save(update_fields=["status", "submitted_by", "submitted_at"])
        AuditEntry.record(
            innovation, actor=by, action="submit", from_state=from_state, to_state=innovation.status
        )
    else:
        raise Conflict(_("This record was already submitted."))
    _bump(innovation)
    notify_all(
        _reviewers(innovation),
        kind=Kind.QUEUE,
        template="innovations/email/innovation_submitted.txt",
        context={"innovation": innovation, "agency": innovation.agency},
        url=_workspace_url(innovation),
        about=innovation,
    )
    return innovation


def _under_review(innovation):
    """('record', None) when the record itself awaits review, ('edit', revision) for an edit, else error."""
    if innovation.status == Innovation.Status.SUBMITTED:
        return "record", None
    if innovation.status == Innovation.Status.PUBLISHED:
        revision = open_revision(innovation)
        if revision is not None and revision.status == InnovationRevision.Status.SUBMITTED:
            return "edit", revision
    raise Conflict(_("This submission was already decided."))


@transaction.atomic
def publish(*, innovation_id, by, version):
    innovation = _lock(innovation_id)
    access.require(rules.can_review_innovation(by, innovation))
    _check_version(innovation, version)
    kind, revision = _under_review(innovation)
    now = timezone.now()
    if kind == "record":
        innovation.status = Innovation.Status.PUBLISHED
        innovation.published_at = now
        innovation.last_confirmed_on = timezone.localdate()
        innovation.review_comment = ""
        innovation.save(update_fields=["status", "published_at", "last_confirmed_on", "review_comment"])
        submitter = innovation.submitted_by
        AuditEntry.record(
            innovation,
            actor=by,
            action="publish",
            from_state=Innovation.Status.SUBMITTED,
            to_state=Innovation.Status.PUBLISHED,
        )
    else:
        values = _from_json(revision.data)
        for name, value in values.items():
            setattr(innovation, name, value)
        _validate(innovation, {}, complete=True)
        innovation.save(update_fields=[*values.keys()])
        if "awards" in revision.data:
            _apply_awards(innovation, revision.data["awards"])
        innovation.evidence.filter(revision=revision).update(revision=None)
        innovation.evidence.filter(pk__in=revision.removed_evidence).update(is_removed=True)
        revision.status = InnovationRevision.Status.APPLIED
        revision.decided_at = now
        revision.save(update_fields=["status", "decided_at"])
        submitter = revision.submitted_by
        AuditEntry.record(
            innovation,
            actor=by,
            action="publish_edit",
            from_state="edit:submitted",
            to_state=Innovation.Status.PUBLISHED,
        )
    _bump(innovation)
    if innovation.replicated_from_id:
        Innovation.objects.refresh_replication_count(innovation.replicated_from_id)
    _notify_decision(innovation, submitter, published=True, comment="")
    return innovation


@transaction.atomic
def return_for_changes(*, innovation_id, by, version, comment):
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write what the agency should change."), code="comment_required")
    innovation = _lock(innovation_id)
    access.require(rules.can_review_innovation(by, innovation))
    _check_version(innovation, version)
    kind, revision = _under_review(innovation)
    if kind == "record":
        innovation.status = Innovation.Status.RETURNED
        innovation.review_comment = comment
        innovation.save(update_fields=["status", "review_comment"])
        submitter = innovation.submitted_by
        AuditEntry.record(
            innovation,
            actor=by,
            action="return",
            from_state=Innovation.Status.SUBMITTED,
            to_state=Innovation.Status.RETURNED,
            comment=comment,
        )
    else:
        revision.status = InnovationRevision.Status.RETURNED
        revision.review_comment = comment
        revision.decided_at = timezone.now()
        revision.save(update_fields=["status", "review_comment", "decided_at"])
        submitter = revision.submitted_by
        AuditEntry.record(
            innovation, actor=by, action="return_edit", from_state="edit:submitted", to_state="edit:returned",
            comment=comment,
        )  # fmt: skip
    _bump(innovation)
    _notify_decision(innovation, submitter, published=False, comment=comment)
    return innovation


def _notify_decision(innovation, submitter, *, published, comment):
    if submitter is None:
        return
    notify(
        to=submitter,
        kind=Kind.RECORDS,
        template="innovations/email/innovation_decided.txt",
        context={"innovation": innovation, "published": published, "comment": comment},
        url=_workspace_url(innovation),
        about=innovation,
    )


@transaction.atomic
def reconfirm(*, innovation_id, by, version):
    """The owners confirm that a published innovation is still running."""
    innovation = _lock(innovation_id)
    access.require(rules.can_confirm_innovation(by, innovation))
    _check_version(innovation, version)
    if innovation.status != Innovation.Status.PUBLISHED:
        raise Conflict(_("Only published innovations are re-confirmed."))
    innovation.last_confirmed_on = timezone.localdate()
    innovation.save(update_fields=["last_confirmed_on"])
    AuditEntry.record(
        innovation,
        actor=by,
        action="reconfirm",
        from_state=Innovation.Status.PUBLISHED,
        to_state=Innovation.Status.PUBLISHED,
    )
    _bump(innovation)
    return innovation


@transaction.atomic
def archive(*, innovation_id, by, version, comment=""):
    """Published → archived (no longer running). An open edit is discarded with it."""
    innovation = _lock(innovation_id)
    access.require(rules.can_archive_innovation(by, innovation))
    _check_version(innovation, version)
    if innovation.status != Innovation.Status.PUBLISHED:
        raise Conflict(_("Only published innovations can be archived."))
    innovation.status = Innovation.Status.ARCHIVED
    innovation.archived_at = timezone.now()
    innovation.save(update_fields=["status", "archived_at"])
    innovation.revisions.filter(status__in=InnovationRevision.OPEN_STATUSES).update(
        status=InnovationRevision.Status.DISCARDED
    )
    AuditEntry.record(
        innovation,
        actor=by,
        action="archive",
        from_state=Innovation.Status.PUBLISHED,
        to_state=Innovation.Status.ARCHIVED,
        comment=comment,
    )
    _bump(innovation)
    if innovation.replicated_from_id:
        Innovation.objects.refresh_replication_count(innovation.replicated_from_id)
    return innovation


@transaction.atomic
def set_featured(*, innovation_id, by, version, featured: bool):
    innovation = _lock(innovation_id)
    access.require(rules.can_feature_innovation(by))
    _check_version(innovation, version)
    if innovation.status != Innovation.Status.PUBLISHED:
        raise Conflict(_("Only published innovations can be featured."))
    if innovation.is_featured == featured:
        raise Conflict(_("Nothing to change."))
    innovation.is_featured = featured
    innovation.save(update_fields=["is_featured"])
    AuditEntry.record(innovation, actor=by, action="feature" if featured else "unfeature")
    _bump(innovation)
    return innovation


# --- Re-confirmation reminders (a daily job: innovations/tasks.py) --------------------------------------

REMINDER_LIST_LIMIT = 50  # records named in one email; the workspace lists them all


def reminded_this_period_q():
    """Records already reminded in their current due period (see ``ReconfirmationReminder``)."""
    reminded = ReconfirmationReminder.objects.filter(innovation=OuterRef("pk"))
    return Q(Exists(reminded.filter(confirmed_on=OuterRef("last_confirmed_on")))) | Q(
        Q(last_confirmed_on__isnull=True) & Q(Exists(reminded.filter(confirmed_on__isnull=True)))
    )


def reconfirmation_unreminded(today=None):
    """Published records due for re-confirmation (``rules.reconfirmation_due_q``) whose owners have not
    yet been reminded in this due period."""
    return Innovation.objects.filter(rules.reconfirmation_due_q(today)).exclude(reminded_this_period_q())


def send_reconfirmation_reminders(*, today=None, now=None):
    """One email per agency to its active staff, naming its records that became due for
    re-confirmation, then never again for those records until they are confirmed and fall due anew
    (``ReconfirmationReminder``, written in the same transaction as the email is queued). An agency
    without active staff is skipped and reminded once it has some; its hub's officers see the due
    records in their queue meanwhile. Returns ``{agency_id: number of records}``."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sent = {}
    agency_ids = list(
        reconfirmation_unreminded(today).order_by().values_list("agency_id", flat=True).distinct()
    )
    for agency_id in agency_ids:
        with transaction.atomic():
            # One run per agency at a time (a manual run beside the daily one): the agency row is the lock.
            agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
            staff = list(
                get_user_model()
                .objects.filter(
                    is_active=True,
                    memberships__in=Membership.objects.active().filter(
                        role=Membership.Role.STAFF, agency_id=agency_id
                    ),
                )
                .exclude(email="")
                .distinct()
                .order_by("pk")
            )
            if agency is None or not staff:
                continue
            due = reconfirmation_unreminded(today).filter(agency_id=agency_id).order_by("name", "pk")
            records = list(due.only("pk", "name", "slug", "last_confirmed_on", "published_at", "agency_id"))
            if not records:
                continue
            ReconfirmationReminder.objects.bulk_create(
                [
                    ReconfirmationReminder(innovation=r, confirmed_on=r.last_confirmed_on, sent_at=now)
                    for r in records
                ],
                update_conflicts=True,
                unique_fields=["innovation"],
                update_fields=["confirmed_on", "sent_at"],
            )
            site = settings.JIPP_SITE_URL.rstrip("/")
            listed = [
                {"name": r.name, "since": r.last_confirmed_on, "url": site + _workspace_url(r)}
                for r in records[:REMINDER_LIST_LIMIT]
            ]
            notify_all(
                staff,
                kind=Kind.RECORDS,
                template="innovations/email/reconfirmation_due.txt",
                context={
                    "agency": agency,
                    "records": listed,
                    "more": len(records) - len(listed),
                    "count": len(records),
                    "workspace_url": site + reverse("innovations:workspace"),
                },
                url=reverse("innovations:workspace"),
                about=agency,
                now=now,
            )
        sent[agency_id] = len(records)
    return sent
