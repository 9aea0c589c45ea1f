"""Labels for audit entries and queue waiting times in workspace templates."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

register = template.Library()

ACTION_LABELS = {
    "create": _("created"),
    "start_edit": _("started an edit of the published record"),
    "add_evidence": _("added a file"),
    "remove_evidence": _("removed a file"),
    "submit": _("submitted for review"),
    "submit_edit": _("submitted an edit for review"),
    "publish": _("published"),
    "publish_edit": _("published the edit"),
    "return": _("returned with comments"),
    "return_edit": _("returned the edit with comments"),
    "discard_edit": _("discarded the edit"),
    "reconfirm": _("confirmed still running"),
    "archive": _("archived"),
    "feature": _("featured"),
    "unfeature": _("removed from featured"),
    "request_access": _("asked for access"),
    "approve": _("approved"),
    "decline": _("declined"),
    "appoint_officer": _("appointed as hub officer"),
    "revoke_officer": _("ended the officer appointment"),
}


@register.filter
def audit_action(value):
    return ACTION_LABELS.get(value, value)


@register.filter
def waited_days(since):
    """'3 days' since ``since`` (whole days; 'today' under one day)."""
    if not since:
        return ""
    days = (timezone.now() - since).days
    if days < 1:
        return _("today")
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def get_value(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def field_label(name):
    from innovations.models import Innovation

    return Innovation._meta.get_field(name).verbose_name


@register.filter
def display_value(value, name):
    """A stored value as people read it: choice labels, SDG names, dates."""
    import datetime

    from django.utils.formats import date_format

    from innovations.models import SDG_GOALS, Innovation

    field = Innovation._meta.get_field(name)
    if name == "sdgs":
        return ", ".join(f"{goal}. {SDG_GOALS.get(goal, '')}" for goal in value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return value
