"""The agency directory: who may correct it, and the two corrections, renaming and merging.

Officers correct the agencies of their hub's province (an inactive hub's province falls to the
ministry, as access requests do); the ministry and administrators correct every agency, and only they
touch central ministries and agencies. Both services lock the rows, re-check the right after the lock
and write the audit entry in the same transaction.

A merge moves every reference to the duplicate onto the kept agency. It finds them through the model
meta API (every foreign key to ``Agency`` of every installed app, hidden ones included), so this core
module needs to know none of the apps above it, and a foreign key added later moves too. The
duplicate stays as a row with status ``merged`` and ``merged_into`` set: the audit trail is
append-only (a trigger refuses UPDATE), so its history is not rewritten but read together with the
kept agency's (``history_of``); its old address answers 301 through ``AgencyRedirect``.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jipp import access
from jipp.errors import Conflict
from jipp.models import Agency, AgencyRedirect, AuditEntry, Hub, Membership

# --- Who may correct the directory ---------------------------------------------------------------------


def can_manage_agencies(user) -> bool:
    roles = access.roles_of(user)
    return roles.reads_everything or roles.is_officer


def agencies_managed_by(user, queryset=None):
    """The agencies ``user`` may rename and merge (listed ones only: proposals are decided with their
    access request, merged rows are history)."""
    queryset = Agency.objects.listed() if queryset is None else queryset.filter(status=Agency.Status.ACTIVE)
    roles = access.roles_of(user)
    if roles.reads_everything:
        return queryset
    if not roles.officer_province_ids:
        return queryset.none()
    return queryset.filter(province_id__in=roles.officer_province_ids).exclude(
        Q(level=Agency.Level.CENTRAL) | Q(province__hub__status=Hub.Status.INACTIVE)
    )


def get_agency_for_manager(user, pk):
    """The agency to correct: 403 for people who correct no agency, 404 for one outside their scope."""
    access.require(can_manage_agencies(user))
    return get_object_or_404(agencies_managed_by(user).select_related("province", "regency", "parent"), pk=pk)


# --- Reading -------------------------------------------------------------------------------------------


def history_of(agency):
    """The audit trail of an agency and of every agency merged into it, newest first."""
    merged = Agency.objects.filter(merged_into=agency).values("pk")
    return AuditEntry.objects.filter(
        Q(object_id=agency.pk) | Q(object_id__in=merged), object_type=Agency._meta.label_lower
    ).select_related("actor")


def agency_for_old_slug(slug):
    """The agency an old address now belongs to, or None."""
    redirect = AgencyRedirect.objects.filter(old_slug=slug).select_related("agency").first()
    if redirect is None or redirect.agency.status != Agency.Status.ACTIVE:
        return None
    return redirect.agency


def free_slug(name, *, agency=None):
    """An unused address for ``name``: not another agency's slug, nor an old address of another
    agency (an agency may take back one of its own former addresses)."""
    base = slugify(name)[:200] or "instansi"
    candidate, n = base, 2
    while (
        Agency.objects.filter(slug=candidate).exclude(pk=getattr(agency, "pk", None)).exists()
        or AgencyRedirect.objects.filter(old_slug=candidate)
        .exclude(agency_id=getattr(agency, "pk", None))
        .exists()
    ):
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def normalise_name(name):
    return " ".join((name or "").replace("\x00", "").split())


def same_name_in_region(name, *, level, province_id, regency_id, exclude_pk=None):
    """A listed agency of the region with this name (case-insensitive), or None."""
    return (
        Agency.objects.listed()
        .filter(level=level, province_id=province_id, regency_id=regency_id, name__iexact=name)
        .exclude(pk=exclude_pk)
        .first()
    )


# --- Rename --------------------------------------------------------------------------------------------


@transaction.atomic
def rename_agency(*, agency_id, name, by):
    """A new name and address; the old address keeps answering (301 to the new one). The search
    trigger rewrites the agency's innovations in the same statement (innovations/0002)."""
    agency = Agency.objects.select_for_update().get(pk=agency_id)
    access.require(agencies_managed_by(by, Agency.objects.filter(pk=agency.pk)).exists())
    name = normalise_name(name)
    if not name:
        raise ValidationError({"name": _("Give the agency's name.")})
    if name == agency.name:
        raise ValidationError({"name": _("This is already the agency's name.")})
    other = same_name_in_region(
        name,
        level=agency.level,
        province_id=agency.province_id,
        regency_id=agency.regency_id,
        exclude_pk=agency.pk,
    )
    if other is not None:
        raise ValidationError(
            {"name": _("Another agency of this region has this name: merge the two instead.")}
        )
    old_name, old_slug = agency.name, agency.slug
    new_slug = free_slug(name, agency=agency)
    if new_slug != old_slug:
        # Taking back a former address: it is the agency's own again, no longer a redirect.
        AgencyRedirect.objects.filter(old_slug=new_slug, agency=agency).delete()
        AgencyRedirect.objects.create(old_slug=old_slug, agency=agency)
    agency.name, agency.slug = name, new_slug
    agency.full_clean(validate_constraints=False)
    agency.save(update_fields=["name", "slug"])
    AuditEntry.record(agency, actor=by, action="rename", comment=f"{old_name} → {name}")
    return agency


# --- Merge ---------------------------------------------------------------------------------------------


# Functions ``(duplicate=, kept=) -> {label: count}`` that apps above the core register in their
# ``AppConfig.ready()`` to combine, before a merge moves every reference, the rows of theirs that a
# unique rule would otherwise refuse (the core imports none of them).
BEFORE_MERGE = []


def references_to_agency():
    """Every foreign key (and one-to-one) of every installed model that points to ``Agency``, as
    (model, field name): hidden reverse relations (``related_name="+"``) and the through tables of
    many-to-many fields included, so a field added later is moved without touching this code."""
    found = []
    for relation in Agency._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            found.append((relation.related_model, relation.field.name))
    return found


@transaction.atomic
def merge_agencies(*, duplicate_id, kept_id, by, comment=""):
    """Merge ``duplicate`` into ``kept``: every record, membership, request (both sides of a
    replication), unit, redirect and link moves to ``kept``; ``duplicate`` becomes a merged row whose
    address answers 301 to ``kept``. Returns {label: rows moved}."""
    if duplicate_id == kept_id:
        raise ValidationError(_("Choose two different agencies."))
    # Both rows locked, in a fixed order, so two merges of the same pair queue instead of deadlocking.
    locked = {
        a.pk: a
        for a in Agency.objects.select_for_update().filter(pk__in=[duplicate_id, kept_id]).order_by("pk")
    }
    if len(locked) != 2:
        raise Conflict(_("One of the two agencies no longer exists."))
    duplicate, kept = locked[duplicate_id], locked[kept_id]
    if duplicate.status != Agency.Status.ACTIVE or kept.status != Agency.Status.ACTIVE:
        raise Conflict(_("One of the two agencies was already merged."))
    access.require(
        agencies_managed_by(by, Agency.objects.filter(pk__in=[duplicate.pk, kept.pk])).count() == 2
    )
    if (duplicate.level, duplicate.province_id, duplicate.regency_id) != (
        kept.level,
        kept.province_id,
        kept.regency_id,
    ):
        raise ValidationError(_("Only agencies of the same government level and region can be merged."))
    if duplicate.is_government and not kept.is_government:
        raise ValidationError(_("Keep the government: merge the unit into it, not the other way round."))

    moved = {}
    # A person may act for both agencies: their membership of the kept agency remains (active if
    # either was), the duplicate's is removed, so the unique (person, agency) rule holds.
    kept_members = {
        m.user_id: m
        for m in Membership.objects.select_for_update().filter(role=Membership.Role.STAFF, agency=kept)
    }
    doubles = Membership.objects.select_for_update().filter(
        role=Membership.Role.STAFF, agency=duplicate, user_id__in=list(kept_members)
    )
    for membership in doubles:
        keep = kept_members[membership.user_id]
        if membership.is_active and not keep.is_active:
            keep.is_active = True
            keep.save(update_fields=["is_active"])
        membership.delete()
        label = str(_("memberships combined"))
        moved[label] = moved.get(label, 0) + 1

    # Apps above the core settle their own unique rules first (a person following both agencies).
    for combine in BEFORE_MERGE:
        for label, count in combine(duplicate=duplicate, kept=kept).items():
            moved[label] = moved.get(label, 0) + count

    for model, field in references_to_agency():
        try:
            with transaction.atomic():
                count = model._base_manager.filter(**{field: duplicate}).update(**{field: kept})
        except IntegrityError:
            raise ValidationError(
                _(
                    "Both agencies have %(things)s that cannot be combined (for example two open "
                    "requests for the same innovation). Settle one of them first, then merge."
                )
                % {"things": model._meta.verbose_name_plural}
            ) from None
        if count:
            label = str(model._meta.verbose_name_plural)
            moved[label] = moved.get(label, 0) + count

    key = duplicate.directory_key
    duplicate.status, duplicate.merged_into = Agency.Status.MERGED, kept
    if key and not kept.directory_key:
        duplicate.directory_key = None
    duplicate.save(update_fields=["status", "merged_into", "directory_key"])
    if key and not kept.directory_key:
        # load_agencies finds the directory entry on the kept agency and creates nothing again.
        kept.directory_key = key
        kept.save(update_fields=["directory_key"])
    AgencyRedirect.objects.create(old_slug=duplicate.slug, agency=kept)

    summary = ", ".join(f"{label}: {count}" for label, count in sorted(moved.items())) or "-"
    note = f"{duplicate.name} → {kept.name} ({summary})"
    if comment.strip():
        note = f"{note}. {comment.strip()}"
    AuditEntry.record(kept, actor=by, action="merge", comment=note)
    AuditEntry.record(
        duplicate,
        actor=by,
        action="merged_into",
        from_state=Agency.Status.ACTIVE,
        to_state=Agency.Status.MERGED,
        comment=note,
    )
    return moved
