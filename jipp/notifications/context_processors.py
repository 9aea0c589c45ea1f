from django.utils.functional import SimpleLazyObject

from jipp.notifications import rules

UNREAD_SHOWN = 99


def inbox(request):
    """``inbox_unread``: the signed-in person's unread messages, counted only when a page shows it
    (one query on the partial index ``notification_unread``, at most ``UNREAD_SHOWN`` + 1 rows)."""
    user = getattr(request, "user", None)

    def count():
        if not rules.has_inbox(user):
            return 0
        return rules.notifications_of(user).unread()[: UNREAD_SHOWN + 1].count()

    return {"inbox_unread": SimpleLazyObject(count), "inbox_unread_shown": UNREAD_SHOWN}
