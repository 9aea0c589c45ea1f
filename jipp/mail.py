"""Notification emails, always sent after the transaction that caused them commits.

A decision that rolls back sends nothing; a mail server that fails after the commit is logged and
never turns a saved decision into an error page.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


def notify_after_commit(*, recipients, subject, template, context, language=None):
    """Queue one plain-text email per recipient for after the current transaction commits."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return

    def send():
        with translation.override(language or settings.LANGUAGE_CODE):
            body = render_to_string(template, {**context, "site_url": settings.JIPP_SITE_URL})
            subject_text = " ".join(str(subject).split())
        for address in addresses:
            try:
                send_mail(subject_text, body, None, [address])
            except Exception:  # noqa: BLE001 - the decision is saved; a mail outage must not undo it
                log.exception("Could not send %r to %s", subject_text, address)

    transaction.on_commit(send)


def language_of(user):
    """The language to write to ``user`` in: the account's own once accounts keep one, else the
    interface default (Indonesian)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def by_language(users):
    """``{language: [address, ...]}`` for the active users with an address, so each group gets one
    message rendered in its language."""
    groups = {}
    for user in users:
        if user.email and user.is_active:
            groups.setdefault(language_of(user), []).append(user.email)
    return groups


def emails_of(users):
    return [user.email for user in users if user.email and user.is_active]
