"""Demo follows: the staff member of Siak follows the health sector and the province of Riau, the
hub officer follows the Bali hub; one digest of what happened there in the last month is written,
so the inbox and the digest show something on a fresh demo."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from following.digest import send_followed_digests
from following.models import Follow, TargetKind
from jipp.models import Hub, Province

FOLLOWS = {
    "staf.siak": [(TargetKind.SECTOR, "health"), (TargetKind.PROVINCE, "riau")],
    "petugas.riau": [(TargetKind.HUB, "bali")],
}


def seed(context=None):
    users = get_user_model().objects.in_bulk(list(FOLLOWS), field_name="username")
    month_ago = timezone.now() - datetime.timedelta(days=30)
    for username, targets in FOLLOWS.items():
        user = users.get(username)
        if user is None:
            continue
        for kind, key in targets:
            lookup = {"sector": key}
            if kind == TargetKind.PROVINCE:
                lookup = {"province": Province.objects.filter(slug=key).first()}
            elif kind == TargetKind.HUB:
                lookup = {"hub": Hub.objects.filter(slug=key).first()}
            if None in lookup.values():
                continue
            Follow.objects.get_or_create(user=user, kind=kind, **lookup, defaults={"created_at": month_ago})
    send_followed_digests()
