"""Following an innovation, an agency, a sector, a province or a hub; digests with a controlled
clock; Atom feeds for the public (issue 13)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from following.digest import send_followed_digests
from following.models import Follow
from hubs.models import HubEvent
from jipp.notifications.models import Frequency, Kind, MailState, NotificationSettings
from tests.innovations.conftest import make_innovation

ATOM = "{http://www.w3.org/2005/Atom}"


def test_follow_and_unfollow_by_post_from_the_follow_page(world, client):
    url = reverse("following:follow", args=["sector", "health"])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(world.staff_siak)
    page = client.get(url).content.decode()
    assert 'name="follow" value="1"' in page and "csrfmiddlewaretoken" in page
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert client.post(url, {"follow": "1"}).status_code == 302  # twice: still one follow
    assert Follow.objects.filter(user=world.staff_siak, kind="sector", sector="health").count() == 1
    assert (
        "Health" in client.get(reverse("following:list")).content.decode()
        or client.get(reverse("following:list")).status_code == 200
    )
    client.post(url, {"follow": "0"})
    assert not Follow.objects.filter(user=world.staff_siak).exists()
    assert client.get(reverse("following:follow", args=["innovation", "no-such-thing"])).status_code == 404


def test_public_pages_link_to_following_and_feeds_without_per_person_content(world, client):
    for url, follow, feed in (
        (reverse("hub_detail", args=["riau"]), "/ikuti/hub/riau/", "/feed/hub/riau/"),
        (reverse("province_detail", args=["riau"]), "/ikuti/province/riau/", "/feed/provinsi/riau/"),
        (
            reverse("innovations:agency_detail", args=[world.pekanbaru.slug]),
            f"/ikuti/agency/{world.pekanbaru.slug}/",
            f"/feed/instansi/{world.pekanbaru.slug}/",
        ),
        (reverse("innovations:list") + "?sector=health", "/ikuti/sector/health/", "/feed/sektor/health/"),
    ):
        page = client.get(url).content.decode()
        assert f'href="{follow}"' in page, url
        assert 'rel="alternate" type="application/atom+xml"' in page and f'href="{feed}"' in page, url
        assert "csrfmiddlewaretoken" not in page, url


def _published(world, *, sector="health", when, agency=None):
    innovation = make_innovation(agency or world.pekanbaru, sector=sector)
    innovation.published_at = when
    innovation.save(update_fields=["published_at"])
    return innovation


def test_daily_digest_tells_what_is_new_since_the_last_one_exactly_once(
    world, django_capture_on_commit_callbacks
):
    start = timezone.now() - datetime.timedelta(days=10)
    Follow.objects.create(user=world.staff_siak, kind="sector", sector="health", created_at=start)
    Follow.objects.create(user=world.staff_siak, kind="hub", hub=world.hub_riau, created_at=start)
    NotificationSettings.objects.create(user=world.staff_siak, language="en")
    day1 = start + datetime.timedelta(days=1)
    health = _published(world, when=day1 - datetime.timedelta(hours=2), agency=world.denpasar)  # Bali
    riau = _published(world, sector="education", when=day1 - datetime.timedelta(hours=2))  # the hub's
    _published(world, sector="education", when=day1, agency=world.denpasar)  # followed by nobody
    event = HubEvent.objects.create(
        hub=world.hub_riau, title="Sosialisasi replikasi", held_on=day1.date(), place="Pekanbaru"
    )
    HubEvent.objects.filter(pk=event.pk).update(created_at=day1 - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = send_followed_digests(now=day1)
    assert row.kind == Kind.FOLLOWED and row.in_inbox and row.mail_state == MailState.PENDING
    (message,) = mail.outbox
    assert message.subject == "Today in what you follow: 3 new items"
    assert (
        health.name in message.body and riau.name in message.body and "Sosialisasi replikasi" in message.body
    )
    assert "http://127.0.0.1:8000" + health.get_absolute_url() in message.body
    # The same day again: nothing; the next day with nothing new: no empty digest.
    assert send_followed_digests(now=day1 + datetime.timedelta(hours=2)) == []
    assert send_followed_digests(now=day1 + datetime.timedelta(days=1)) == []
    # Something new after: only that.
    later = _published(world, when=day1 + datetime.timedelta(days=1, hours=3), agency=world.denpasar)
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = send_followed_digests(now=day1 + datetime.timedelta(days=2))
    assert second.context["count"] == 1 and later.name in mail.outbox[-1].body
    assert health.name not in mail.outbox[-1].body


def test_weekly_digest_and_off(world):
    start = timezone.now() - datetime.timedelta(days=30)
    Follow.objects.create(user=world.staff_siak, kind="agency", agency=world.pekanbaru, created_at=start)
    own = NotificationSettings.objects.create(user=world.staff_siak, followed=Frequency.WEEKLY)
    _published(world, when=start + datetime.timedelta(days=1))
    assert len(send_followed_digests(now=start + datetime.timedelta(days=2))) == 1
    _published(world, when=start + datetime.timedelta(days=3))
    assert send_followed_digests(now=start + datetime.timedelta(days=4)) == []  # within the week
    assert len(send_followed_digests(now=start + datetime.timedelta(days=9))) == 1
    own.followed = Frequency.OFF
    own.save()
    _published(world, when=start + datetime.timedelta(days=10))
    assert send_followed_digests(now=start + datetime.timedelta(days=20)) == []


@pytest.mark.parametrize(
    "name,key",
    [
        ("following:feed_agency", "disdukcapil-pekanbaru"),
        ("following:feed_sector", "health"),
        ("following:feed_province", "riau"),
        ("following:feed_hub", "riau"),
    ],
)
def test_feeds_are_valid_atom_with_what_is_new(world, client, name, key):
    innovation = _published(world, when=timezone.now() - datetime.timedelta(days=1))
    HubEvent.objects.create(hub=world.hub_riau, title="Lokakarya", held_on=timezone.localdate(), place="Siak")
    make_innovation(world.denpasar, sector="health", status="draft")  # never in a feed
    response = client.get(reverse(name, args=[key]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own response
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert any(innovation.name in title for title in titles)
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids))
    assert ("Lokakarya" in " ".join(titles)) == (name in ("following:feed_province", "following:feed_hub"))
