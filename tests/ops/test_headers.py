"""Every public page type scores at least 100 (A+) on the Mozilla HTTP Observatory's rules, with the
production HTTPS settings and requests made as secure."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from tests.ops import observatory
from tests.test_authz_matrix import ALL_CASES

PUBLIC_PAGES = [c for c in ALL_CASES if c.method == "get" and c.expect["anonymous"] == 200]
# Probes answer load balancers over plain HTTP too (SECURE_REDIRECT_EXEMPT): no redirection test.
PROBES = {"healthz", "readyz"}


@pytest.fixture
def https_settings(settings):
    """What jipp/settings.py sets when DEBUG is off and JIPP_INSECURE_HTTP is not set."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.mark.usefixtures("https_settings")
@pytest.mark.parametrize("case", PUBLIC_PAGES, ids=lambda c: c.id)
def test_public_page_scores_a_plus(case, world, client):
    url = reverse(case.name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
    response = client.get(url, secure=True)
    redirect = None if case.name in PROBES else client.get(url, secure=False)
    assert response.status_code == 200
    result = observatory.score(response, redirect)
    assert result.score >= 100, result.explain()


@pytest.mark.usefixtures("https_settings")
def test_signed_in_pages_and_their_cookies_score_a_plus(world, client):
    """Signing in sets the session cookie: Secure, HttpOnly, SameSite."""
    from tests.conftest import PASSWORD

    signed_in = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/"}, secure=True
    )
    assert signed_in.status_code == 302 and "sessionid" in signed_in.cookies
    response = client.get("/", secure=True)
    response.cookies.update(signed_in.cookies)  # as a browser sees it: the session cookie is set
    result = observatory.score(response, client.get("/", secure=False))
    assert result.tests["cookies"] == ("cookies-secure-with-httponly-sessions-and-samesite", 5)
    assert result.score >= 100, result.explain()


class _Fake:
    def __init__(self, headers, body=b"<html><body></body></html>"):
        self._r = HttpResponse(body, content_type="text/html")
        for k, v in headers.items():
            self._r[k] = v

    def __getattr__(self, name):
        return getattr(self._r, name)


def test_scorer_penalises_missing_headers():
    bare = observatory.score(_Fake({}))
    assert bare.tests["content-security-policy"] == ("csp-not-implemented", -25)
    assert bare.tests["strict-transport-security"] == ("hsts-not-implemented", -20)
    assert bare.tests["x-frame-options"] == ("x-frame-options-not-implemented", -20)
    assert bare.score == 100 - 25 - 20 - 5 - 20


def test_scorer_penalises_unsafe_csp_and_gives_no_bonus_below_90():
    weak = observatory.score(
        _Fake(
            {
                "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
                "Strict-Transport-Security": "max-age=300",
                "X-Content-Type-Options": "nosniff",
                "X-Frame-Options": "DENY",
                "Referrer-Policy": "strict-origin",
            }
        )
    )
    assert weak.tests["content-security-policy"][1] == -20
    assert weak.score == 100 - 20 - 10  # below 90: the referrer-policy bonus is not added


def test_scorer_reads_unsafe_cookies_and_cors():
    response = _Fake({"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"})
    response.set_cookie("sessionid", "x")
    result = observatory.score(response)
    assert result.tests["cookies"] == ("cookies-session-without-secure-flag", -40)
    assert result.tests["cross-origin-resource-sharing"][1] == -50


@pytest.mark.usefixtures("https_settings", "page_cache")
def test_pages_served_from_the_cache_keep_every_header(world, client):
    client.get("/", secure=True)
    hit = client.get("/", secure=True)
    assert hit["X-Page-Cache"] == "hit"
    result = observatory.score(hit, client.get("/", secure=False))
    assert result.score >= 100, result.explain()
