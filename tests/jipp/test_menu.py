"""Issue 10, defect 4: the menu offers each role exactly the pages it can open, by the rules in
jipp.access that the pages' own views apply; and hub monitoring links only access requests the
reader may open."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from jipp.accounts.models import AccessRequest
from jipp.models import Hub
from tests.conftest import make_user

# Menu entries that depend on the role (the public ones are shown to everyone and always open).
ROLE_ENTRIES = {
    "monitoring": reverse("monitoring"),
    "workspace": reverse("innovations:workspace"),
    "replication_workspace": reverse("replication:workspace"),
}
EXPECTED = {
    "anonymous": set(),
    "applicant": {"workspace"},
    "staff": {"workspace", "replication_workspace"},
    "origin_staff": {"workspace", "replication_workspace"},
    "officer": {"monitoring", "workspace", "replication_workspace"},
    "ministry": {"monitoring", "workspace", "replication_workspace"},
    "admin": {"monitoring", "workspace", "replication_workspace"},
}


class MenuLinks(HTMLParser):
    """The hrefs inside <nav class="main-nav">."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "main-nav" in (attrs.get("class") or "").split():
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def menu_of(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    parser = MenuLinks()
    parser.feed(response.content.decode())
    assert parser.links, "no main menu found"
    return parser.links


def _user_for(role, w):
    if role == "anonymous":
        return None
    if role == "applicant":  # signed up, asked for access, no rights yet
        user = make_user("applicant")
        AccessRequest.objects.create(user=user, agency=w.pekanbaru, position="Staf")
        return user
    return {
        "staff": w.staff_siak,
        "origin_staff": w.staff_denpasar,
        "officer": w.officer_riau,
        "ministry": w.ministry,
        "admin": w.admin,
    }[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_the_menu_links_it_can_open(role, world, client):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user)
    links = menu_of(client)
    shown = {name for name, url in ROLE_ENTRIES.items() if url in links}
    assert shown == EXPECTED[role]
    # Every link shown opens (200, or a redirect to the role's own page); every entry held back
    # really is closed to this role (403, or the sign-in page for anonymous visitors).
    for url in links:
        response = client.get(url)
        assert response.status_code in (200, 302), (role, url, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("sign_in")), (role, url)
    for name in set(ROLE_ENTRIES) - shown:
        response = client.get(ROLE_ENTRIES[name])
        if user is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("sign_in"))
        else:
            assert response.status_code == 403, (role, name, response.status_code)


def test_the_menu_is_the_same_on_a_signed_in_page(world, client):
    client.force_login(world.staff_siak)
    links = menu_of(client, reverse("innovations:workspace"))
    assert ROLE_ENTRIES["monitoring"] not in links
    assert ROLE_ENTRIES["replication_workspace"] in links


def _access_request_links(client, hub):
    response = client.get(reverse("monitoring_hub", kwargs={"slug": hub.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    prefix = reverse("access_request_list")
    return html, {
        href
        for href in html.split('href="')[1:]
        for href in [href.split('"', 1)[0]]
        if href.startswith(prefix) and href != prefix
    }


def test_hub_monitoring_links_access_requests_only_to_those_who_decide_them(world, client):
    applicant = make_user("applicant", first_name="Nur", last_name="Aini")
    pending = AccessRequest.objects.create(user=applicant, agency=world.siak, position="Analis")
    detail = reverse("access_request_detail", args=[pending.pk])

    # The Riau hub is active: its officers decide; the ministry reads the list but does not decide.
    client.force_login(world.officer_riau)
    html, links = _access_request_links(client, world.hub_riau)
    assert links == {detail}
    assert client.get(detail).status_code == 200

    client.force_login(world.ministry)
    html, links = _access_request_links(client, world.hub_riau)
    assert "Nur Aini" in html and links == set()
    assert client.get(detail).status_code == 404  # why the link must not be there

    # An inactive hub's province falls to the ministry: the link moves with the rule.
    Hub.objects.filter(pk=world.hub_riau.pk).update(status=Hub.Status.INACTIVE)
    html, links = _access_request_links(client, world.hub_riau)
    assert links == {detail}
    assert client.get(detail).status_code == 200
    client.force_login(world.officer_riau)
    html, links = _access_request_links(client, world.hub_riau)
    assert "Nur Aini" in html and links == set()
    assert client.get(detail).status_code == 404

    client.force_login(world.admin)
    html, links = _access_request_links(client, world.hub_riau)
    assert links == {detail}
