from django import template

from jipp.notifications.models import Notification
from jipp.notifications.outbox import absolute as absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """A site path on the portal's public address (every link in a message is absolute)."""
    return absolute_url(path)


@register.filter
def notifications_in_order(pks):
    """The rows of a digest, oldest first (one query)."""
    rows = Notification.objects.in_bulk(list(pks or ()))
    return [rows[pk] for pk in pks if pk in rows]
