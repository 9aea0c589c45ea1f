"""Every error status the portal answers has a translated page in the site layout that says what
happened and what to do (issue 10 #5): one h1, the page's language in <html lang>, the header and
navigation of every page, a link onwards; in Indonesian (the default) and in English."""

import re
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from jipp.ops import errors

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.error_urls")]

LANGUAGES = ["id", "en"]


def _client(language, **kwargs):
    client = Client(**kwargs)
    client.cookies["django_language"] = language
    client.raise_request_exception = False
    return client


def _assert_page(response, status, language, *, english=None):
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert 'class="site-header"' in html and 'href="/"' in html
    assert "Forbidden" not in html and "Traceback" not in html
    if english and language == "en":
        assert english in html
    return html


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_for_a_signed_in_person_without_the_right_says_how_to_ask(language, world):
    client = _client(language)
    client.force_login(world.staff_pekanbaru)
    html = _assert_page(
        client.get(reverse("hub_manage", kwargs={"slug": "riau"})),
        403,
        language,
        english="You do not have access to this page",
    )
    # Agency staff already have access: no "ask for access" (tests/jipp/test_polish.py covers the rest).
    assert reverse("register") not in html and reverse("innovations:workspace") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_403_page_for_an_anonymous_visitor_links_sign_in_with_next(language, db, rf):
    # Pages for members send anonymous visitors to sign in first; the handler still covers a 403 that
    # reaches one (an action refused before any sign-in check).
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from jipp.ops.errors import permission_denied

    request = rf.get("/hub/riau/kelola/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = permission_denied(request)
    html = _assert_page(response, 403, language, english="sign in")
    assert f"{reverse('sign_in')}?next=/hub/riau/kelola/" in html and reverse("register") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_failure_is_a_translated_403_saying_to_reload(language, world):
    client = _client(language, enforce_csrf_checks=True)
    response = client.post(reverse("sign_in"), {"username": "x", "password": "y"})
    _assert_page(response, 403, language, english="The form has expired")


@pytest.mark.parametrize("language", LANGUAGES)
def test_404(language, db):
    html = _assert_page(_client(language).get("/tidak-ada/"), 404, language, english="Page not found")
    assert reverse("innovations:list") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_405_from_require_post_gets_a_page_and_keeps_allow(language, world):
    client = _client(language)
    client.force_login(world.staff_pekanbaru)
    response = client.get(reverse("sign_out"))
    _assert_page(response, 405, language, english="cannot be opened like this")
    assert response["Allow"] == "POST, OPTIONS"
    assert response["Cache-Control"] == "private, no-store"
    anonymous = _client(language).post(reverse("statistics"))  # require_safe
    _assert_page(anonymous, 405, language)
    assert anonymous["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("language", LANGUAGES)
def test_400_for_a_mangled_request(language, db):
    query = "&".join(f"p{i}=1" for i in range(1200))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = _client(language).get("/?" + query)
    _assert_page(response, 400, language, english="could not be understood")


@pytest.mark.parametrize("language", LANGUAGES)
def test_413_for_a_request_body_over_the_limit(language, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _client(language).post(reverse("sign_in"), {"username": "x" * 5000, "password": "y"})
    _assert_page(response, 413, language, english="too large")


@pytest.mark.parametrize("language", LANGUAGES)
def test_bare_409_and_429_get_their_pages_and_keep_their_headers(language, db):
    _assert_page(_client(language).get("/uji/409/"), 409, language, english="changed this first")
    _assert_page(_client(language).get("/uji/429/"), 429, language, english="Too many requests")


@pytest.mark.parametrize("language", LANGUAGES)
def test_429_from_a_rate_limit(language, world, settings):
    settings.JIPP_RATE_LIMITS = {**settings.JIPP_RATE_LIMITS, "register": "1/h"}
    client = _client(language)
    client.post(reverse("register"), {"first_name": "Ani"})
    response = client.post(reverse("register"), {"first_name": "Ani"})
    _assert_page(response, 429, language, english="Too many requests")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_500_is_the_site_layout_without_the_database(language, db):
    response = _client(language).get("/uji/500/")
    _assert_page(response, 500, language, english="Sorry, something went wrong")
    assert "a bug" not in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_503_while_the_database_is_down(language, world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    with mock.patch.object(
        type(connections["default"]), "ensure_connection", side_effect=OperationalError("refused")
    ):
        response = _client(language).get(reverse("hub_detail", kwargs={"slug": "riau"}))
    _assert_page(response, 503, language, english="temporarily unavailable")
    assert response["Retry-After"] == "5"


def test_a_broken_layout_still_gives_a_plain_error_page(db):

    with mock.patch("jipp.ops.errors.loader.get_template", side_effect=RuntimeError("template gone")):
        html = errors._render_static("500.html")
    assert "<h1>" in html and "Sorry, something went wrong" in html
