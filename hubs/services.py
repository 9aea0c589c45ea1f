"""Writes to a hub's page: its text, team, documents, events and partner universities; designation;
the monthly report sent by email.

Keyword-only, each under ``transaction.atomic``, with an ``AuditEntry`` in the same transaction.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from hubs import monitoring
from hubs.models import HubDocument, HubEvent, MonthlyReportDelivery
from hubs.statistics import figure_text
from jipp.models import AuditEntry, Hub, Membership, University
from jipp.notifications.models import Kind
from jipp.notifications.outbox import language_of, notify

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


# --- The monthly report by email (a daily job: hubs/tasks.py) --------------------------------------------


def previous_month(today):
    """The first day of the month before ``today``'s."""
    return monitoring._add_months(today.replace(day=1), -1)


def _report_url(hub, month):
    return settings.JIPP_SITE_URL.rstrip("/") + reverse(
        "monitoring_report", kwargs={"slug": hub.slug, "year": month.year, "month": month.month}
    )


def _people(memberships):
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__in=memberships)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _by_language(users):
    """``{language: [user, ...]}``: each report is computed once per language of its readers."""
    groups = {}
    for user in users:
        groups.setdefault(language_of(user), []).append(user)
    return groups


def _claim(month, hub, now):
    """Record the delivery of ``month``'s report for ``hub`` (``None``: the ministry's summary), or
    ``None`` when it was already sent. Call inside the transaction that queues the emails."""
    delivery, created = MonthlyReportDelivery.objects.get_or_create(
        month=month, hub=hub, defaults={"sent_at": now}
    )
    return delivery if created else None


def send_monthly_reports(*, now=None):
    """Email last month's monitoring report (``hubs.monitoring.monthly_report``) to each active or pilot
    hub's officers, and one summary of every hub to the ministry, each in the recipient's language with
    absolute links to the report pages. Runs daily: on the 1st it sends; on later days it sends only
    what was not sent yet (the worker was down on the 1st), never twice (``MonthlyReportDelivery``).
    Returns the number of emails queued."""
    now = now or timezone.now()
    month = previous_month(timezone.localdate(now))
    hubs = list(
        Hub.objects.exclude(status=Hub.Status.INACTIVE).select_related("province").order_by("province__name")
    )
    reports = {}  # (hub id, language) → report, each computed once

    def report(hub, language):
        if (hub.pk, language) not in reports:
            with translation.override(language):
                data = monitoring.monthly_report(hub, month.year, month.month)
                # The figures as the page shows them, in the language's number format.
                data["figures"] = [(label, figure_text(value)) for label, value in data["tables"][0].rows]
                reports[hub.pk, language] = data
        return reports[hub.pk, language]

    queued = 0
    for hub in hubs:
        with transaction.atomic():
            Hub.objects.select_for_update().filter(pk=hub.pk).first()  # one run per hub at a time
            delivery = _claim(month, hub, now)
            if delivery is None:
                continue
            officers = _people(Membership.objects.active().filter(role=Membership.Role.OFFICER, hub=hub))
            groups = _by_language(officers)
            for language, people in groups.items():
                data = report(hub, language)
                for person in people:
                    notify(
                        to=person,
                        kind=Kind.QUEUE,
                        template="hubs/email/monthly_report.txt",
                        context={
                            "hub": hub,
                            "month": month,
                            "figures": data["figures"],
                            "counts": data["counts"],
                            "report_url": _report_url(hub, month),
                        },
                        url=_report_url(hub, month).removeprefix(settings.JIPP_SITE_URL.rstrip("/")),
                        about=hub,
                        language=language,
                        now=now,
                    )
                queued += len(people)
            delivery.recipients = sum(len(a) for a in groups.values())
            delivery.save(update_fields=["recipients"])

    with transaction.atomic():
        # The ministry's summary, once per month: the first run to insert its row claims it (a second,
        # concurrent one waits on the unique constraint and then finds the row).
        delivery = _claim(month, None, now)
        if delivery is not None and hubs:
            groups = _by_language(_people(Membership.objects.active().filter(role=Membership.Role.MINISTRY)))
            for language, people in groups.items():
                rows = [
                    {"hub": hub, "counts": report(hub, language)["counts"], "url": _report_url(hub, month)}
                    for hub in hubs
                ]
                for person in people:
                    notify(
                        to=person,
                        kind=Kind.QUEUE,
                        template="hubs/email/monthly_summary.txt",
                        context={
                            "month": month,
                            "rows": rows,
                            "monitoring_url": settings.JIPP_SITE_URL.rstrip("/") + reverse("monitoring"),
                        },
                        url=reverse("monitoring"),
                        language=language,
                        now=now,
                    )
                queued += len(people)
            delivery.recipients = sum(len(a) for a in groups.values())
            delivery.save(update_fields=["recipients"])
    return queued
