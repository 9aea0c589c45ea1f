"""Who reads which notifications: each person their own, nobody else's (the ministry and
administrators included: a message is private to its recipient)."""

from jipp.notifications.models import Notification


def has_inbox(user):
    return bool(user and user.is_authenticated)


def notifications_of(user):
    """The inbox entries ``user`` may open."""
    if not has_inbox(user):
        return Notification.objects.none()
    return Notification.objects.inbox_of(user)
