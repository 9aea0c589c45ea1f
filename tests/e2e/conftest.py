"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Where no browser is installed they are skipped with a reason; in CI (JIPP_REQUIRE_BROWSER=1) a
missing browser fails instead, so a skipped browser suite can never pass for a green run.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("JIPP_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (fixtures, assertions) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("JIPP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (JIPP_REQUIRE_BROWSER=1)")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def e2e_world(transactional_db, world):
    """The test world, committed so the live server's thread sees it."""
    return world


def sign_in_with_form(page, username, password=None):
    """Sign in through the real sign-in page (/akun/masuk/), whatever the interface language."""
    from tests.conftest import PASSWORD

    page.goto("/akun/masuk/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password or PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/ruang-kerja/")


@pytest.fixture(params=[360, 1280], ids=["360px", "1280px"])
def width(request):
    """Every journey runs on a phone and on a desktop."""
    return request.param


@pytest.fixture
def journey(request, browser, live_server, width, settings):
    """A journey at one width (see tests/e2e/journey.py); its name comes from the test's name."""
    from tests.e2e.journey import Journey

    # Emails link to the site they were sent from: here, the live server.
    settings.JIPP_SITE_URL = live_server.url
    name = request.node.originalname.removeprefix("test_journey_").replace("_", "-")
    walk = Journey(name, width, browser, live_server.url)
    yield walk
    walk.close()
