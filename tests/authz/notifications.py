"""The inbox, notification settings, unsubscribe links (jipp/notifications) and following (following/).

A notification is private to its recipient: every other person, the ministry and administrators
included, gets 404. The unsubscribe link needs no sign-in: its signed token is the authority.
"""

from tests.authz import Case, everyone, signed_in


def _notification(w):
    from jipp.notifications.models import Kind, MailState, Notification

    notification = Notification.objects.create(
        recipient=w.staff_pekanbaru,
        email=w.staff_pekanbaru.email,
        kind=Kind.RECORDS,
        subject="Published: Klinik Keliling",
        template="innovations/email/innovation_decided.txt",
        context={"published": True, "comment": ""},
        url="/ruang-kerja/",
        language="id",
        mail_state=MailState.NOT_SENT,
    )
    return {"pk": notification.pk}


def _token(w):
    from jipp.notifications import unsubscribe

    return {"token": unsubscribe.token_for(kind="records", user=w.staff_pekanbaru)}


def _contact_token(w):
    from jipp.notifications import unsubscribe

    return {"token": unsubscribe.token_for(kind="replications", email="dewi@example.id")}


def _owner_only(status, other=404):
    return {**everyone(other), "anonymous": 302, "owner_staff": status}


SETTINGS = {
    "language": "en",
    "records": "daily",
    "replications": "immediate",
    "queue": "off",
    "followed": "weekly",
}

CASES = [
    Case("notifications:inbox", "get", signed_in(200)),
    Case("notifications:inbox", "post", signed_in(405)),
    Case(
        "notifications:inbox", "get", signed_in(400), query="sebelum=abc", id="notifications:inbox[get, bad]"
    ),
    Case("notifications:detail", "get", _owner_only(200), kwargs=_notification),
    Case("notifications:detail", "post", _owner_only(405, other=405), kwargs=_notification),
    Case("notifications:mark_read", "post", _owner_only(302), kwargs=_notification),
    Case("notifications:mark_read", "get", _owner_only(405, other=405), kwargs=_notification),
    Case("notifications:mark_all_read", "post", signed_in(302)),
    Case("notifications:mark_all_read", "get", signed_in(405)),
    Case("notifications:settings", "get", signed_in(200)),
    Case("notifications:settings", "post", signed_in(302), data=lambda w: SETTINGS),
    Case(
        "notifications:settings",
        "post",
        signed_in(400),
        data=lambda w: {**SETTINGS, "queue": "weekly"},
        id="notifications:settings[post, invalid]",
    ),
    Case("notifications:unsubscribe", "get", everyone(200), kwargs=_token),
    Case("notifications:unsubscribe", "post", everyone(200), kwargs=_token),
    Case(
        "notifications:unsubscribe", "post", everyone(200), kwargs=_contact_token, id="unsubscribe[contact]"
    ),
    Case(
        "notifications:unsubscribe",
        "get",
        everyone(404),
        kwargs=lambda w: {"token": "forged:token"},
        id="notifications:unsubscribe[get, forged]",
    ),
    Case("following:list", "get", signed_in(200)),
    Case("following:list", "post", signed_in(405)),
    Case("following:follow", "get", signed_in(200), kwargs=lambda w: {"kind": "province", "key": "riau"}),
    Case(
        "following:follow",
        "post",
        signed_in(302),
        kwargs=lambda w: {"kind": "sector", "key": "health"},
        data=lambda w: {"follow": "1"},
    ),
    Case(
        "following:follow",
        "post",
        signed_in(400),
        kwargs=lambda w: {"kind": "hub", "key": "riau"},
        data=lambda w: {"follow": "maybe"},
        id="following:follow[post, garbage]",
    ),
    Case(
        "following:follow",
        "get",
        signed_in(404),
        kwargs=lambda w: {"kind": "planet", "key": "mars"},
        id="following:follow[get, unknown]",
    ),
    Case("following:feed_agency", "get", everyone(200), kwargs=lambda w: {"key": w.pekanbaru.slug}),
    Case("following:feed_agency", "post", everyone(405), kwargs=lambda w: {"key": w.pekanbaru.slug}),
    Case("following:feed_sector", "get", everyone(200), kwargs=lambda w: {"key": "health"}),
    Case("following:feed_sector", "post", everyone(405), kwargs=lambda w: {"key": "health"}),
    Case(
        "following:feed_sector",
        "get",
        everyone(404),
        kwargs=lambda w: {"key": "nope"},
        id="feed_sector[unknown]",
    ),
    Case("following:feed_province", "get", everyone(200), kwargs=lambda w: {"key": "riau"}),
    Case("following:feed_province", "post", everyone(405), kwargs=lambda w: {"key": "riau"}),
    Case("following:feed_hub", "get", everyone(200), kwargs=lambda w: {"key": "bali"}),
    Case("following:feed_hub", "post", everyone(405), kwargs=lambda w: {"key": "bali"}),
]
