"""Issue 10 #17: every response to a signed-in person, and every response that sets a cookie, is
``Cache-Control: private, no-store`` (no browser cache, shared proxy or back button keeps a copy);
static files and public evidence keep their long public caching."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.innovations.conftest import make_innovation

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.fixture
def records(world):
    draft = make_innovation(world.pekanbaru, status="draft", name="Draf Rahasia")
    published = make_innovation(world.pekanbaru, name="Layanan Terbuka")
    return draft, published


def test_signed_in_pages_and_downloads_are_private_no_store(records, world, client):
    draft, published = records
    client.force_login(world.staff_pekanbaru)
    pages = [
        reverse("innovations:workspace"),
        reverse("innovations:workspace_innovation", args=[draft.pk]),
        draft.get_absolute_url(),  # the draft's preview
        published.get_absolute_url(),  # a public page, seen by a signed-in person
        reverse("home"),
        reverse("innovations:list") + "?q=layanan",
        reverse("innovations:export_csv"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, (url, response.get("Cache-Control"))
    officer = Client()
    officer.force_login(world.officer_riau)
    for url in (
        reverse("monitoring"),
        reverse("monitoring_hub", kwargs={"slug": "riau"}),
        reverse("hub_manage", kwargs={"slug": "riau"}),
    ):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
    # The monitoring CSV download (any CSV link on the monitoring page).
    html = officer.get(reverse("monitoring_hub", kwargs={"slug": "riau"})).content.decode()
    csv_links = [part.split('"')[0] for part in html.split('href="')[1:] if "csv" in part.split('"')[0]]
    assert csv_links, "the monitoring page links a CSV"
    for url in csv_links:
        response = officer.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url


def test_private_evidence_download_is_no_store_even_for_a_public_file(records, world, client):
    from django.core.files.base import ContentFile

    from innovations.models import Evidence

    _, published = records
    evidence = Evidence.objects.create(
        innovation=published,
        title="SK",
        file=ContentFile(b"%PDF-1.4 x", name="sk.pdf"),
        content_type="application/pdf",
        size=10,
    )
    client.force_login(world.staff_pekanbaru)
    response = client.get(reverse("innovations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == NO_STORE
    # The public address of the same file is the same for everyone and cached for a year.
    assert "immutable" in client.get(evidence.file.url)["Cache-Control"]


def test_responses_that_set_a_cookie_are_no_store(world, client):
    from tests.conftest import PASSWORD

    signed_in = client.post(reverse("sign_in"), {"username": "staff_pekanbaru", "password": PASSWORD})
    assert signed_in.status_code == 302 and "sessionid" in signed_in.cookies
    assert signed_in["Cache-Control"] == NO_STORE
    language = Client().get(reverse("set_language"), {"language": "en", "next": "/"})
    assert "django_language" in language.cookies and language["Cache-Control"] == NO_STORE
    signed_out = client.post(reverse("sign_out"))
    assert signed_out["Cache-Control"] == NO_STORE


def test_anonymous_public_pages_keep_their_own_caching(records, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    _, published = records
    response = Client().get(published.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
    assert response["Cache-Control"] == "private, no-cache"  # the page cache's: revalidate by ETag
