"""Every email the suite captures is read the way its recipient would: every link must be absolute, on
the configured site (``settings.JIPP_SITE_URL``), and open for the person it was sent to.

tests/conftest.py runs ``check_outbox`` after the body of every test that left messages in Django's
locmem outbox (and only those), before the test's fixtures are torn down, so the database the email
talks about still exists and one-time links (password reset) are opened only after the test used them.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

ABSOLUTE = re.compile(r"https?://[^\s<>\"'()\[\]]+", re.IGNORECASE)
# A site path written without its host ("Open the request: /replikasi/ruang-kerja/10/"): a slash after
# the start of a line, a space, a colon or an opening bracket, then a letter.
RELATIVE = re.compile(r"(?:^|(?<=[\s:(\[<]))/[A-Za-z][^\s<>\"'()\[\]]*", re.MULTILINE)
TRAILING = ".,;:!?»”’"


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.text = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value.strip())

    def handle_data(self, data):
        self.text.append(data)


def links_in(text, *, html=False):
    """(absolute URLs, relative site paths) written in one body."""
    hrefs = []
    if html:
        parser = _Hrefs()
        parser.feed(text)
        parser.close()
        hrefs, text = parser.hrefs, " ".join(parser.text)
    absolute = [url.rstrip(TRAILING) for url in ABSOLUTE.findall(text)]
    relative = [path.rstrip(TRAILING) for path in RELATIVE.findall(ABSOLUTE.sub(" ", text))]
    for href in hrefs:
        if href.lower().startswith(("mailto:", "tel:")):
            continue
        (absolute if re.match(r"https?://", href, re.IGNORECASE) else relative).append(href)
    return absolute, relative


def bodies(message):
    yield message.body, getattr(message, "content_subtype", "plain") == "html"
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        yield content, mimetype == "text/html"


def recipient_of(address):
    user_model = get_user_model()
    return (
        user_model.objects.filter(email__iexact=address, is_active=True).order_by("pk").first()
        if address
        else None
    )


def open_as(user, path):
    """Status of ``path`` for ``user`` (following redirects), and why it is not fine (or None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(path, follow=True)
    if response.streaming:
        b"".join(response.streaming_content)
    final = response.redirect_chain[-1][0] if response.redirect_chain else path
    sign_in = settings.LOGIN_URL
    if urlsplit(final).path == urlsplit(str(sign_in)).path:
        return f"ends on the sign-in page ({final})"
    if response.status_code != 200:
        return f"answers {response.status_code}" + (f" after redirects to {final}" if final != path else "")
    return None


def check_outbox(outbox, *, test_id, fetch=True):
    """Every problem with the links of the messages in ``outbox``, one line each."""
    site = settings.JIPP_SITE_URL.rstrip("/")
    problems, opened = [], {}
    for message in list(outbox):
        recipients = list(message.to) or [None]
        for body, is_html in bodies(message):
            absolute, relative = links_in(body, html=is_html)
            for address in recipients:

                def problem(url, why, address=address, subject=message.subject):
                    problems.append(
                        f"{test_id}: email {subject!r} to {address or '(no recipient)'}: {url} {why}"
                    )

                for path in relative:
                    problem(path, "is not an absolute URL")
                for url in absolute:
                    if not (url == site or url.startswith(site + "/") or url.startswith(site + "?")):
                        problem(url, f"is not on the site URL {site}")
                        continue
                    if not fetch:
                        continue
                    path = url[len(site) :] or "/"
                    user = recipient_of(address)
                    key = (user.pk if user else None, path)
                    if key not in opened:
                        opened[key] = open_as(user, path)
                    if opened[key]:
                        who = user.get_username() if user else "an anonymous visitor"
                        problem(url, f"{opened[key]} for its recipient ({who})")
    return list(dict.fromkeys(problems))  # the same message sent twice is reported once
