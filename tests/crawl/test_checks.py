"""The crawler itself: on a tiny site with one of each defect it reports each one, with the page it
was found on; and it reads GET forms with their default values and never submits POST forms."""

import pytest

from tests.crawl.crawler import Crawler, check_next_link, dedupe_key, form_url

pytestmark = pytest.mark.urls("tests.crawl.fake_urls")


def test_the_crawler_reports_every_kind_of_defect(client):
    result = Crawler(client, "test", starts=("/",)).run()
    text = "\n".join(result.failures)
    assert "500: /broken/ — server error (link) (found on /)" in text
    assert "403: /closed/ — link shown to this role answers 403 (found on /)" in text
    assert "query key: /??q=air&page=2 — query key '?q' starts with '?'" in text
    assert "rel=next: /list/?page=3 — page 1 links page 3 as next (found on /list/?q=air&page=1)" in text
    assert "rel=next: /list/?page=2 — drops q=air&sort=old (found on /list/?q=air&sort=old)" in text
    assert "no title: /notitle/" in text
    assert "h1: /twoh1/ — 2 <h1> elements" in text
    assert "not a file: /data.csv — file link answers an HTML page (200)" in text
    assert "404: /gone/ — redirect of a link shown to this role answers 404 (found on /)" in text
    assert "/data.json" not in text and "/good/" not in text and "elsewhere" not in text
    assert result.statuses[500] == 1  # the POST form to /broken/ was not submitted


def test_next_link_rules():
    assert check_next_link("/l/?q=a&page=2", "/l/?q=a&page=3") is None
    assert check_next_link("/l/?q=a", "/l/?page=2&q=a") is None
    assert check_next_link("/l/?q=a&page=2", "/l/?q=a&page=2") == "page 2 links page 2 as next"
    assert check_next_link("/l/?q=a&f=1&f=2", "/l/?q=a&f=1&page=2") == "drops f=2"
    assert check_next_link("/r/?sektor=x", "/r/?sektor=x&sebelum=40") is None  # keyset cursor


def test_urls_are_deduplicated_by_path_and_sorted_query():
    assert dedupe_key("/l/?b=2&a=1") == dedupe_key("/l/?a=1&b=2")
    assert dedupe_key("/l/?a=1") != dedupe_key("/l/?a=2")


def test_get_forms_submit_their_default_values():
    form = {"action": "", "fields": [("q", "air"), ("sort", "old"), (None, "")]}
    assert form_url("/inovasi/?page=3", form) == "http://testserver/inovasi/?q=air&sort=old"
