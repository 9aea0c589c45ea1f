"""A small breadth-first crawler over Django's test client, for tests/crawl.

It follows what a person is shown: every same-site ``<a href>`` and every GET form (submitted with its
default values) on every HTML page it reaches, and collects every failure together with the page it
was found on, so one run reports everything at once:

- any 5xx;
- a link or GET form shown to the role that answers it 4xx (POST forms are never submitted);
- a query key that starts with ``?`` (``??q=…``);
- a ``rel=next`` link that does not advance ``page`` by one, or drops another parameter of the page;
- an HTML page without ``<html lang>``, a non-empty ``<title>`` or exactly one ``<h1>``;
- a link to a file (CSV, JSON, PDF, images, /media/, download views) that does not download.
"""

import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

ORIGIN = "http://testserver"
FILE_SUFFIXES = (
    ".csv",
    ".json",
    ".jsonld",
    ".xlsx",
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".gif",
    ".svg",
    ".zip",
)
# Views that answer with a file (by URL name); anything under MEDIA_URL is a file too.
FILE_VIEWS = {
    "evidence_download",
    "hub_document_file",
    "innovations:export_csv",
    "innovations:export_json",
    "replication:export_csv",
    "replication:export_json",
    "replication:export_xlsx",
    "replication:api_detail",
    "data_catalog",
}
API_PREFIX = "/api/"  # the JSON API: machine-readable, checked like a download
PAGE_KEY = "page"
CURSOR_KEYS = {"sebelum"}  # keyset paging (replications): the cursor changes, everything else stays


class PageParser(HTMLParser):
    """What the crawler needs from one HTML page: language, title, headings, links and GET forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title_parts = []
        self.in_title = False
        self.h1 = 0
        self.links = []  # (href, rel tokens, has download attribute)
        self.forms = []  # dicts: method, action, fields [(name, value)]
        self._form = None
        self._select = None  # [name, options [(value, selected)], multiple, disabled]
        self._option = None  # [value or None, text parts, selected]
        self._textarea = None  # [name, text parts]

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "html" and self.lang is None:
            self.lang = a.get("lang", "")
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and "href" in a:
            self.links.append((a["href"], a.get("rel", "").lower().split(), "download" in a))
        elif tag == "link" and "href" in a and "next" in a.get("rel", "").lower().split():
            self.links.append((a["href"], ["next"], False))
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": [],
            }
            self._form["submitter"] = None
            self.forms.append(self._form)
        elif self._form is not None and "disabled" not in a:
            self._form_field(tag, a)
        if tag == "option" and self._select is not None:
            self._option = [a.get("value"), [], "selected" in a]

    def _form_field(self, tag, a):
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "image"):
                if self._form["submitter"] is None:
                    self._form["submitter"] = (name, a.get("value", "")) if name else ()
            elif kind not in ("button", "reset", "file") and name:
                fields.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            if self._form["submitter"] is None:
                self._form["submitter"] = (name, a.get("value", "")) if name else ()
        elif tag == "select" and name:
            self._select = [name, [], "multiple" in a]
        elif tag == "textarea" and name:
            self._textarea = [name, []]

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "form":
            if self._form is not None and self._form["submitter"]:
                self._form["fields"].append(self._form["submitter"])
            self._form = None
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            name, options, multiple = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            if self._form is not None:
                self._form["fields"].extend((name, value) for value in chosen[: None if multiple else 1])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None

    def _end_option(self):
        value, text, selected = self._option
        self._select[1].append((value if value is not None else "".join(text).strip(), selected))
        self._option = None

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if self._option is not None:
            self._option[1].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    @property
    def title(self):
        return " ".join("".join(self.title_parts).split())


@dataclass
class Target:
    url: str  # path and query, on this site
    found_on: str  # the page that showed it ("" for a start page)
    how: str  # "link", "form", "redirect", "start"
    shown: bool  # shown to the role (4xx is a failure)
    expects_file: bool = False


@dataclass
class Result:
    role: str
    pages: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)
    truncated: str = ""
    statuses: dict = field(default_factory=lambda: defaultdict(int))

    def fail(self, kind, url, detail, found_on):
        where = f" (found on {found_on})" if found_on else ""
        self.failures.append(f"[{self.role}] {kind}: {url} — {detail}{where}")


def query_pairs(url):
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def local_url(absolute):
    """Path and query of a same-site absolute URL, else None (other hosts, mailto:, …)."""
    parts = urlsplit(absolute)
    site = urlsplit(settings.JIPP_SITE_URL)
    if parts.scheme not in ("http", "https"):
        return None
    if parts.netloc not in ("testserver", site.netloc):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def dedupe_key(url):
    parts = urlsplit(url)
    return parts.path, tuple(sorted(query_pairs(url)))


def url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def route_of(path):
    """The URL pattern ``path`` matches (so 514 regency pages count as one kind of page), or the path."""
    try:
        return resolve(path).route
    except Resolver404:
        return path


def is_file_link(url, download_attribute=False):
    parts = urlsplit(url)
    path = parts.path.lower()
    keys = {key for key, _ in query_pairs(url)}
    return (
        download_attribute
        or path.endswith(FILE_SUFFIXES)
        or path.startswith(settings.MEDIA_URL)
        or "csv" in keys
        or "xlsx" in keys
        or parts.path.startswith(API_PREFIX)
        or url_name(parts.path) in FILE_VIEWS
    )


def check_next_link(current, next_url):
    """Why ``next_url`` is not the next page of ``current`` (None when it is)."""
    here, there = query_pairs(current), query_pairs(next_url)
    there_set = set(there)
    if PAGE_KEY in dict(here) or PAGE_KEY in dict(there):
        try:
            page = int(dict(here).get(PAGE_KEY) or 1)
            following = int(dict(there).get(PAGE_KEY, ""))
        except ValueError:
            return f"page number not readable ({dict(here).get(PAGE_KEY)!r} → {dict(there).get(PAGE_KEY)!r})"
        if following != page + 1:
            return f"page {page} links page {following} as next"
    dropped = [(k, v) for k, v in here if k != PAGE_KEY and k not in CURSOR_KEYS and (k, v) not in there_set]
    if dropped:
        return f"drops {urlencode(dropped)}"
    return None


def form_url(page_url, form):
    action = (
        urljoin(ORIGIN + page_url, form["action"]) if form["action"] else ORIGIN + urlsplit(page_url).path
    )
    parts = urlsplit(action)
    query = urlencode([(k, v) for k, v in form["fields"] if k is not None])
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")


class Crawler:
    def __init__(
        self,
        client,
        role,
        *,
        starts=("/", "/ruang-kerja/"),
        max_pages=400,
        max_variants=5,
        max_per_route=40,
        max_seconds=60,
        admin=False,
    ):
        self.client = client
        self.result = Result(role)
        self.starts = starts
        self.max_pages = max_pages
        self.max_variants = max_variants
        self.max_per_route = max_per_route
        self.per_route = defaultdict(int)
        self.max_seconds = max_seconds
        self.admin = admin
        self.seen = set()
        self.variants = defaultdict(int)
        self.queue = deque()
        self.sign_out = reverse("sign_out")
        self.language = reverse("set_language")
        self.language_followed = False

    # --- queueing ---------------------------------------------------------------------------------

    def enqueue(self, target):
        path = urlsplit(target.url).path
        if path == self.sign_out:
            return
        if path.startswith("/admin/") and not self.admin:
            return
        if path == self.language:
            if self.language_followed:
                return
            self.language_followed = True
        key = dedupe_key(target.url)
        if key in self.seen:
            return
        if self.variants[path] >= self.max_variants:
            return
        if not self.variants[path]:
            route = route_of(path)
            if self.per_route[route] >= self.max_per_route:
                return
            self.per_route[route] += 1
        self.seen.add(key)
        self.variants[path] += 1
        self.queue.append(target)

    # --- one page ---------------------------------------------------------------------------------

    def run(self):
        began = time.monotonic()
        for url in self.starts:
            self.enqueue(Target(url, "", "start", shown=True))
        while self.queue:
            if self.result.pages >= self.max_pages:
                self.result.truncated = f"stopped at {self.max_pages} pages, {len(self.queue)} left"
                break
            if time.monotonic() - began > self.max_seconds:
                self.result.truncated = f"stopped after {self.max_seconds} s, {len(self.queue)} left"
                break
            self.visit(self.queue.popleft())
        self.result.seconds = time.monotonic() - began
        return self.result

    def visit(self, target):
        result = self.result
        result.pages += 1
        response = self.client.get(target.url)
        # Consuming a streamed body runs the client's own close (request_finished without closing the
        # test's database connection); never call response.close() here, it would close it.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        status = response.status_code
        result.statuses[status] += 1
        content_type = response.get("Content-Type", "")
        shown_as = f"{target.how} shown" if target.how != "redirect" else "redirect of a link shown"
        if status >= 500:
            result.fail(f"{status}", target.url, f"server error ({target.how})", target.found_on)
            return
        if 400 <= status < 500:
            if target.shown:
                result.fail(
                    f"{status}", target.url, f"{shown_as} to this role answers {status}", target.found_on
                )
            return
        if status in (301, 302, 303, 307, 308):
            location = urljoin(ORIGIN + target.url, response["Location"])
            local = local_url(location)
            if local is not None:
                self.enqueue(Target(local, target.found_on, "redirect", target.shown, target.expects_file))
            return
        if target.expects_file:
            if "text/html" in content_type and not response.has_header("Content-Disposition"):
                result.fail(
                    "not a file", target.url, f"file link answers an HTML page ({status})", target.found_on
                )
            return
        if "text/html" not in content_type:
            return
        self.read_page(target.url, body.decode(response.charset or "utf-8", "replace"))

    def read_page(self, url, html):
        result = self.result
        page = PageParser()
        page.feed(html)
        page.close()
        in_admin = urlsplit(url).path.startswith("/admin/")
        if in_admin:
            return  # Django's own admin: reached, not crawled
        if not page.lang:
            result.fail("no lang", url, "<html> has no lang attribute", "")
        if not page.title:
            result.fail("no title", url, "empty or missing <title>", "")
        if page.h1 != 1:
            result.fail("h1", url, f"{page.h1} <h1> elements (need exactly one)", "")
        for href, rel, download in page.links:
            href = href.strip()
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            absolute = urljoin(ORIGIN + url, href).split("#", 1)[0]
            local = local_url(absolute)
            if local is None:
                continue
            bad_keys = [key for key, _ in query_pairs(local) if key.startswith("?")]
            if bad_keys:
                result.fail(
                    "query key", local, f"query key {bad_keys[0]!r} starts with '?' (href={href!r})", url
                )
            if "next" in rel:
                problem = check_next_link(url, local)
                if problem:
                    result.fail("rel=next", local, problem, url)
            self.enqueue(Target(local, url, "link", True, is_file_link(local, download)))
        for form in page.forms:
            if form["method"] != "get":
                continue
            absolute = form_url(url, form)
            local = local_url(absolute)
            if local is not None:
                self.enqueue(Target(local, url, "form", True))
