"""Labels for audit entries and queue waiting times in workspace templates."""

from django import template
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

register = template.Library()

ACTION_LABELS = {
    "create": pgettext_lazy("audit action", "created"),
    "create_from_replication": pgettext_lazy("audit action", "created from a replication request"),
    "start_edit": pgettext_lazy("audit action", "started an edit of the published record"),
    "add_evidence": pgettext_lazy("audit action", "added a file"),
    "remove_evidence": pgettext_lazy("audit action", "removed a file"),
    "add_award": pgettext_lazy("audit action", "added an award"),
    "remove_award": pgettext_lazy("audit action", "removed an award"),
    "submit": pgettext_lazy("audit action", "submitted for review"),
    "submit_edit": pgettext_lazy("audit action", "submitted an edit for review"),
    "publish": pgettext_lazy("audit action", "published"),
    "publish_edit": pgettext_lazy("audit action", "published the edit"),
    "return": pgettext_lazy("audit action", "returned with comments"),
    "return_edit": pgettext_lazy("audit action", "returned the edit with comments"),
    "discard_edit": pgettext_lazy("audit action", "discarded the edit"),
    "reconfirm": pgettext_lazy("audit action", "confirmed still running"),
    "archive": pgettext_lazy("audit action", "archived"),
    "feature": pgettext_lazy("audit action", "featured"),
    "unfeature": pgettext_lazy("audit action", "removed from featured"),
    "request_access": pgettext_lazy("audit action", "asked for access"),
    "confirm_email": pgettext_lazy("audit action", "confirmed the email address"),
    "approve": pgettext_lazy("audit action", "approved"),
    "decline": pgettext_lazy("audit action", "declined"),
    "appoint_officer": pgettext_lazy("audit action", "appointed as hub officer"),
    "revoke_officer": pgettext_lazy("audit action", "ended the officer appointment"),
    "propose": pgettext_lazy("audit action", "proposed as a new unit"),
    "approve_proposal": pgettext_lazy("audit action", "approved the proposed unit"),
    "reject_proposal": pgettext_lazy("audit action", "rejected the proposed unit"),
    "rename": pgettext_lazy("audit action", "renamed"),
    "merge": pgettext_lazy("audit action", "merged a duplicate into this agency"),
    "merged_into": pgettext_lazy("audit action", "merged into another agency"),
}


@register.filter
def audit_action(value):
    return ACTION_LABELS.get(value, value)


def _state_labels(object_type):
    """The labels of the ``Status`` choices of the model whose history it is, by its ``object_type``
    (an officer appointment, a ``Membership``, records "active" / "inactive" like a hub)."""
    if object_type == "jipp.membership":
        object_type = "jipp.hub"
    try:
        status = getattr(apps.get_model(object_type), "Status", None)
    except (LookupError, ValueError):
        return {}
    return dict(status.choices) if status else {}


def state_label(value, object_type):
    """A recorded state in words: the model's label; "edit:<state>" is a proposed edit's state."""
    if value.startswith("edit:"):
        label = _state_labels("innovations.innovationrevision").get(value[5:], value[5:])
        return pgettext("audit state", "proposed edit: %(state)s") % {"state": str(label).lower()}
    return _state_labels(object_type).get(value, value)


@register.filter
def audit_states(entry):
    """The change of state in words ("Draft → Submitted"); "" when the state stayed the same."""
    before, after = entry.from_state, entry.to_state
    if before == after:
        return ""
    after = state_label(after, entry.object_type) if after else "—"
    if not before:
        return f"→ {after}"
    return f"{state_label(before, entry.object_type)} → {after}"


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
