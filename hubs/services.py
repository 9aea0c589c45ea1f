"""Writes to a hub's page: its text, team, documents, events and partner universities; designation.

Keyword-only, each under ``transaction.atomic``, with an ``AuditEntry`` in the same transaction.
"""

from django.db import transaction
from django.utils.text import slugify

from hubs.models import HubDocument, HubEvent
from jipp.models import AuditEntry, Hub, University

# --- Hub pages --------------------------------------------------------------------------------


@transaction.atomic
def update_hub_page(*, hub: Hub, by, description: str) -> Hub:
    hub.description = description
    hub.full_clean()
    hub.save(update_fields=["description"])
    AuditEntry.record(hub, actor=by, action="hub_page_updated")
    return hub


@transaction.atomic
def save_hub_item(*, hub: Hub, by, item, changed=()):
    """Create or update a team member, document or event of ``hub`` (already populated by a form)."""
    created = item.pk is None
    item.hub = hub
    if created and isinstance(item, HubDocument):
        item.uploaded_by = by if by.is_authenticated else None
    if created and isinstance(item, HubEvent):
        item.created_by = by if by.is_authenticated else None
    item.full_clean(exclude=["file"])  # the file was validated by jipp.uploads, by content
    item.save()
    kind = item._meta.model_name
    AuditEntry.record(
        item,
        actor=by,
        action=f"{kind}_added" if created else f"{kind}_changed",
        comment=str(item) if created else ", ".join(sorted(changed)),
    )
    return item


@transaction.atomic
def remove_hub_item(*, item, by):
    """Hide a team member, document or event (nothing is hard-deleted; the audit keeps who and when)."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.is_removed:
        return item
    item.is_removed = True
    item.save(update_fields=["is_removed"])
    AuditEntry.record(item, actor=by, action=f"{item._meta.model_name}_removed", comment=str(item))
    return item


@transaction.atomic
def add_partner_university(*, hub: Hub, by, university: University | None = None, name="", website=""):
    if university is None:
        base = slugify(name)[:200] or "universitas"
        slug, n = base, 1
        while University.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        university = University(name=name, slug=slug, province=hub.province, website=website)
        university.full_clean()
        university.save()
    hub.universities.add(university)
    AuditEntry.record(hub, actor=by, action="university_added", comment=f"{university.pk}: {university}")
    return university


@transaction.atomic
def remove_partner_university(*, hub: Hub, by, university: University):
    hub.universities.remove(university)
    AuditEntry.record(hub, actor=by, action="university_removed", comment=f"{university.pk}: {university}")


@transaction.atomic
def designate_hub(*, by, hub: Hub) -> Hub:
    """The ministry designates a province as a hub (one per province; the database enforces it)."""
    if not hub.slug:
        hub.slug = slugify(hub.province.name)[:120]
    hub.full_clean()
    hub.save()
    AuditEntry.record(hub, actor=by, action="hub_designated", to_state=hub.status)
    return hub
