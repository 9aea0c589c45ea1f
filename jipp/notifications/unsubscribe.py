"""Signed one-click unsubscribe links: ``/pemberitahuan/berhenti/<token>/``.

The token names the person (or, for a contact address without an account, the address) and the kind
of message, signed with the portal's key (``django.core.signing``), so it works without signing in and
cannot be forged for someone else. It never expires: an old message's link must still work. Account
security mail (password reset, address confirmation) has none.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse

from jipp.notifications.models import ContactOptOut, Frequency, Kind, NotificationSettings

SALT = "jipp.notifications.unsubscribe"


def token_for(*, kind, user=None, email=""):
    payload = {"k": str(kind)}
    if user is not None:
        payload["u"] = user.pk
    else:
        payload["e"] = email.strip().lower()
    return signing.dumps(payload, salt=SALT, compress=True)


def url_for(notification):
    token = token_for(kind=notification.kind, user=notification.recipient, email=notification.email)
    return reverse("notifications:unsubscribe", args=[token])


def read(token):
    """(kind, user id or None, email or "") from a token; ``signing.BadSignature`` when forged."""
    payload = signing.loads(token, salt=SALT)
    kind = payload.get("k")
    if kind not in Kind.values or kind == Kind.ACCOUNT or not ("u" in payload or payload.get("e")):
        raise signing.BadSignature("not an unsubscribe token")
    return Kind(kind), payload.get("u"), payload.get("e", "")


@transaction.atomic
def unsubscribe(*, kind, user_id=None, email=""):
    """No more email of ``kind``: the person's setting goes to off (inbox only); a bare address is
    put on the opt-out list. Doing it twice changes nothing."""
    if user_id is not None:
        own, _ = NotificationSettings.objects.select_for_update().get_or_create(user_id=user_id)
        if getattr(own, kind) != Frequency.OFF:
            setattr(own, kind, Frequency.OFF)
            own.save(update_fields=[kind])
    else:
        ContactOptOut.objects.get_or_create(email=email, kind=kind)
