"""Who may see an innovation record, work on it in the workspace, edit, review, archive or feature it,
and open its evidence files."""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThan
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from innovations.states import EDITABLE_STATUSES, InnovationStatus
from jipp.access import province_has_active_hub, roles_of
from jipp.models import Agency

# --- Re-confirmation: owners confirm once a year that a published innovation still runs --------------

CONFIRMATION_INTERVAL_DAYS = 365


def _reconfirmation_cutoff(today=None):
    """(day, moment): confirmed before ``day``, or never confirmed and published before ``moment`` (the
    start of that day in the portal's time zone), is due. ``today`` is the portal's local date."""
    day = (today or timezone.localdate()) - datetime.timedelta(days=CONFIRMATION_INTERVAL_DAYS)
    return day, timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def confirmed_on():
    """The day a record was last known to run, as SQL: its last re-confirmation, or else the day (in
    the portal's time zone) it was published. One expression, so that the partial index
    ``innovation_confirmation_due`` (province, this, id) serves the due lists and counts."""
    return Coalesce(
        F("last_confirmed_on"), TruncDate("published_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    )


def reconfirmation_due_q(today=None) -> Q:
    """The re-confirmation rule in SQL, for the owner's list, the officer's queue and monitoring alike:
    published, and ``confirmed_on()`` before the cutoff day (the index above answers it)."""
    day, _moment = _reconfirmation_cutoff(today)
    return Q(status=InnovationStatus.PUBLISHED) & Q(LessThan(confirmed_on(), day))


def reconfirmation_order():
    """Longest without confirmation first, the order of every due list (the index's order)."""
    return (confirmed_on().asc(), "id")


def is_reconfirmation_due(innovation, today=None) -> bool:
    """The same rule for one record in memory (its page); tests/innovations prove the two agree."""
    if innovation.status != InnovationStatus.PUBLISHED:
        return False
    day, moment = _reconfirmation_cutoff(today)
    if innovation.last_confirmed_on is not None:
        return innovation.last_confirmed_on < day
    return innovation.published_at is not None and innovation.published_at < moment


def innovations_visible_to(user, queryset):
    """Published records for everyone; a user's own agency's records, their hub's province's
    submitted and published records, and everything for the ministry and administrators."""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    visible = Q(status=InnovationStatus.PUBLISHED)
    if roles.staff_agency_ids:
        visible |= Q(agency_id__in=roles.staff_agency_ids)
    if roles.officer_province_ids:
        visible |= Q(province_id__in=roles.officer_province_ids) & ~Q(status=InnovationStatus.DRAFT)
    return queryset.filter(visible)


def innovations_in_workspace(user, queryset):
    """Records a user works on or reviews (never merely public ones): their agency's records in every
    state; for officers, the non-draft records of their hub's province; all for ministry and admins.
    (An officer of an inactive hub still sees the records; reviewing them is the ministry's.)"""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    scope = Q(pk__in=[])
    if roles.staff_agency_ids:
        scope |= Q(agency_id__in=roles.staff_agency_ids)
    if roles.officer_province_ids:
        scope |= Q(province_id__in=roles.officer_province_ids) & ~Q(status=InnovationStatus.DRAFT)
    return queryset.filter(scope)


def get_innovation_for_workspace(user, pk, queryset=None):
    """The record as the workspace shows it, or 404 when it is outside the user's workspace."""
    from innovations.models import Innovation

    queryset = queryset if queryset is not None else Innovation.objects.all()
    return get_object_or_404(innovations_in_workspace(user, queryset), pk=pk)


def can_create_innovation(user) -> bool:
    roles = roles_of(user)
    return roles.is_staff_member or roles.is_admin


def agencies_for_new_innovation(user):
    """Agencies a user may create records for: their own (administrators: any)."""
    roles = roles_of(user)
    if roles.is_admin:
        return Agency.objects.listed()
    return Agency.objects.filter(pk__in=roles.staff_agency_ids)


def is_owner(user, innovation) -> bool:
    """Staff of the owning agency, and administrators."""
    roles = roles_of(user)
    return roles.is_admin or innovation.agency_id in roles.staff_agency_ids


def can_edit_innovation(user, innovation) -> bool:
    """Owners edit drafts, returned records, and published ones through a pending revision. Submitted
    and archived records are frozen (a state conflict, 409, rather than a permission matter)."""
    return is_owner(user, innovation) and innovation.status in EDITABLE_STATUSES


def can_review_innovation(user, innovation) -> bool:
    """Officers of the active hub of the record's province publish or return it; the ministry does for
    provinces without an active hub; administrators always may."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if not (roles.is_ministry or innovation.province_id in roles.officer_province_ids):
        return False
    active = province_has_active_hub(innovation.province_id)
    return (innovation.province_id in roles.officer_province_ids) if active else roles.is_ministry


def can_confirm_innovation(user, innovation) -> bool:
    return is_owner(user, innovation)


def can_archive_innovation(user, innovation) -> bool:
    return can_confirm_innovation(user, innovation) or can_review_innovation(user, innovation)


def can_feature_innovation(user) -> bool:
    roles = roles_of(user)
    return roles.is_ministry or roles.is_admin


def sees_history(user, innovation) -> bool:
    """The audit trail shows on the record for its staff, its reviewers, the ministry and admins."""
    roles = roles_of(user)
    return (
        roles.reads_everything
        or innovation.agency_id in roles.staff_agency_ids
        or innovation.province_id in roles.officer_province_ids
    )


def get_evidence_for_user(user, pk):
    """An evidence file, or 404. Public: files of published records that are neither removed nor part of
    an edit still under review. Everything else only for those who see the record in the workspace."""
    from innovations.models import Evidence, Innovation

    evidence = get_object_or_404(Evidence.objects.select_related("innovation"), pk=pk)
    public = (
        evidence.innovation.status == InnovationStatus.PUBLISHED
        and not evidence.is_removed
        and evidence.revision_id is None
    )
    if public:
        return evidence
    if not innovations_in_workspace(user, Innovation.objects.filter(pk=evidence.innovation_id)).exists():
        raise Http404
    return evidence


# --- Bulk import (issue 12; innovations/importing.py) ------------------------------------------------


def can_import_innovations(user) -> bool:
    """Hub officers (for agencies of their province), the ministry and administrators (for all)."""
    roles = roles_of(user)
    return roles.is_officer or roles.reads_everything


def can_publish_imports(user) -> bool:
    """Only the ministry and administrators publish imported records directly; officers' imports
    arrive as drafts for the owning agency to confirm."""
    return roles_of(user).reads_everything


def import_runs_visible_to(user, queryset):
    """People see their own imports; the ministry and administrators see every import."""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    if not roles.is_officer:
        return queryset.none()
    return queryset.filter(created_by=user)


def duplicate_flags_for(user, queryset):
    """Likely duplicates a person decides: those of agencies they import for."""
    roles = roles_of(user)
    if roles.reads_everything:
        return queryset
    return queryset.filter(agency__province_id__in=roles.officer_province_ids)


def can_decide_duplicate(user, flag) -> bool:
    roles = roles_of(user)
    return roles.reads_everything or flag.agency.province_id in roles.officer_province_ids
