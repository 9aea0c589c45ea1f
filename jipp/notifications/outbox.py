"""Writing messages: ``notify`` adds one outbox row per recipient inside the caller's transaction.

The subject is rendered now, in the recipient's language, from ``<template>_subject.txt`` (the inbox
lists it); the body is rendered when the message is sent, from ``<template>.txt`` and the stored
context. Model instances in the context are stored as references (``{"$ref": [label, pk]}``) and
read again when the body is rendered; lazy translations are turned into text in the recipient's
language now; dates keep their type.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from jipp.notifications.models import (
    DEFAULT_FREQUENCY,
    ContactOptOut,
    Frequency,
    Kind,
    MailState,
    Notification,
    NotificationSettings,
)


def settings_for(user):
    """The person's settings row, unsaved with the defaults when they never chose (no write on read)."""
    if user is None or user.pk is None:
        return None
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def language_of(user, default=None):
    """The language to write to ``user`` in: the one stored for them (set when they switch language
    or choose it in their settings), else ``default``, else the portal's."""
    own = settings_for(user)
    return (own.language if own else "") or default or settings.LANGUAGE_CODE


def remember_language(user, language):
    """Store ``language`` as the one ``user``'s messages are written in."""
    if not user or not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})


def remember_first_language(sender, request, user, **kwargs):
    """At sign-in: the interface language becomes the person's message language if none is stored."""
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if language in dict(settings.LANGUAGES):
        NotificationSettings.objects.get_or_create(user=user, defaults={"language": language})


# --- Context: stored as JSON, read back for rendering ------------------------------------------------


def pack(value):
    if isinstance(value, models.Model):
        return {"$ref": [value._meta.label_lower, value.pk]}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(key): pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [pack(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def unpack(value):
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            label, pk = value["$ref"]
            return apps.get_model(label)._default_manager.filter(pk=pk).first()
        if set(value) == {"$datetime"}:
            return datetime.datetime.fromisoformat(value["$datetime"])
        if set(value) == {"$date"}:
            return datetime.date.fromisoformat(value["$date"])
        return {key: unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unpack(item) for item in value]
    return value


def absolute(path):
    """``path`` on the portal's public address (links in messages are always absolute)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.JIPP_SITE_URL.rstrip("/") + path


def subject_template(template):
    return template.removesuffix(".txt") + "_subject.txt"


def render_subject(template, context, language):
    with translation.override(language):
        text = render_to_string(subject_template(template), {**context, "site_url": settings.JIPP_SITE_URL})
    return " ".join(text.split())[:300]


# --- Writing -----------------------------------------------------------------------------------------


def _mail_state(kind, user, email):
    if not email:
        return MailState.NOT_SENT
    if kind == Kind.ACCOUNT:
        return MailState.PENDING
    if user is None:
        opted_out = ContactOptOut.objects.filter(email__iexact=email, kind=kind).exists()
        return MailState.NOT_SENT if opted_out else MailState.PENDING
    own = settings_for(user)
    frequency = own.frequency(kind) if own else DEFAULT_FREQUENCY.get(kind, Frequency.IMMEDIATE)
    return {
        Frequency.IMMEDIATE: MailState.PENDING,
        Frequency.DAILY: MailState.DIGEST,
        Frequency.WEEKLY: MailState.DIGEST,
    }.get(frequency, MailState.NOT_SENT)


def notify(
    *,
    kind,
    template,
    context,
    to=None,
    email=None,
    url="",
    about=None,
    language=None,
    now=None,
    state=None,
    in_inbox=None,
):
    """One message to one person (``to``, a user) or one bare address (``email``), written in the
    current transaction. ``url`` is the site path the message is about, for the inbox; ``about`` the
    object. ``state`` and ``in_inbox`` override what the person's settings and the kind decide (a
    digest is sent whatever the frequency, and is not an inbox entry of its own). Returns the row, or
    None when there is nobody to tell."""
    if to is not None and not to.is_active and kind != Kind.ACCOUNT:
        return None
    address = (email if email is not None else getattr(to, "email", "") or "").strip()
    if to is None and not address:
        return None
    language = language_of(to, language) if to is not None else (language or settings.LANGUAGE_CODE)
    state = state or _mail_state(kind, to, address)
    if in_inbox is None:
        in_inbox = to is not None and kind != Kind.ACCOUNT
    if state == MailState.NOT_SENT and not in_inbox:
        return None
    with translation.override(language):
        context = {**context, "url": url}
        subject = render_subject(template, context, language)
        packed = pack(context)
    notification = Notification.objects.create(
        recipient=to,
        email=address,
        kind=kind,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        url=url,
        subject=subject,
        template=template,
        context=packed,
        language=language,
        in_inbox=in_inbox,
        created_at=now or timezone.now(),
        next_attempt_at=now or timezone.now(),
        mail_state=state,
    )
    if state == MailState.PENDING:
        schedule(notification)
    return notification


def notify_all(users, **kwargs):
    """``notify`` each active user of ``users`` once (by address: two accounts never share a message)."""
    seen, rows = set(), []
    for user in users:
        key = (user.email or "").strip().lower() or f"user:{user.pk}"
        if key in seen:
            continue
        seen.add(key)
        row = notify(to=user, **kwargs)
        if row is not None:
            rows.append(row)
    return rows


def schedule(notification):
    """Ask for ``notification`` to be delivered. With ``NOTIFICATIONS_DELIVERY = "inline"`` (the test
    suite) it is sent right after the commit; otherwise the job worker sends it (``delivery``)."""
    from jipp.notifications import delivery

    if settings.NOTIFICATIONS_DELIVERY == "inline":
        pk = notification.pk
        transaction.on_commit(lambda: delivery.deliver(pk))
    else:
        delivery.enqueue(notification)
