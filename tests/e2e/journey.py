"""What every browser journey does on every page it visits (issue 10, section 3).

``Journey.check(page, step)`` saves a full-page screenshot to
``var/screenshots/<journey>-<width>-<step>.png``, checks that nothing is wider than the viewport (naming
the widest offending element) and runs axe-core
(any violation of impact serious or critical is a failure, listed with rule id, impact and targets).

Page problems (overflow, accessibility) and ``expect`` checks are collected, so one journey reports
every problem it walks past; ``finish()`` fails the test with all of them. Steps the walk cannot go on
without are plain ``assert``s.

Emails: the live server runs in a thread of the test process, so ``django.core.mail.outbox`` holds every
email it sent; ``read_mail`` reads them as their recipient would: every link absolute, on this site,
and opening in the recipient's browser.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core import mail

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def _screenshot(page, path, attempts=3):
    """A full-page screenshot, tried again when Chromium's capture fails.

    On a busy machine Chromium now and then answers ``Page.captureScreenshot`` with "Unable to
    capture screenshot" (a compositor frame that did not arrive in time); the page itself is fine, and
    the checks that follow run on it either way. The last failure is raised.
    """
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            page.screenshot(path=str(path), full_page=True)
            return
        except Error as error:
            if "Unable to capture screenshot" not in str(error) or attempt == attempts - 1:
                raise
            page.wait_for_timeout(500)


AXE_SCRIPT = None
URL = re.compile(r"https?://[^\s<>\"')]+|(?<![\w/])/[\w\-./?=&%#;~+]*[\w/]")

# Finds the elements that make the page wider than the viewport: outermost offenders only (their parent
# fits), none inside a scrolling or clipping box, widest first.
OVERFLOW_JS = """
(width) => {
  const doc = document.documentElement;
  const found = [];
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== doc; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== doc && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { part += '#' + e.id; parts.unshift(part); break; }
      if (e.classList.length) part += '.' + Array.from(e.classList).join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 1 || r.width === 0) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 && el.parentElement !== document.body) continue;
    if (clipped(el)) continue;
    found.push({name: name(el), right: Math.round(r.right + window.scrollX), width: Math.round(r.width)});
  }
  found.sort((a, b) => b.right - a.right);
  return {scrollWidth: doc.scrollWidth, offenders: found.slice(0, 3)};
}
"""


def _axe_script():
    global AXE_SCRIPT
    if AXE_SCRIPT is None:
        import axe_playwright_python

        AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    return AXE_SCRIPT


class Journey:
    def __init__(self, name, width, browser, base_url):
        self.name = name
        self.width = width
        self.browser = browser
        self.base_url = base_url
        self.problems = []
        self.contexts = []
        self.checked = 0
        self.followed = set()
        self.menus_checked = set()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{name}-{width}-*.png"):
            old.unlink()

    def __str__(self):
        return f"[{self.name} {self.width}px]"

    # --- people ---------------------------------------------------------------------------------
    def new_page(self, language=None):
        """A fresh browser (own cookies) at this journey's width."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="id-ID",
            viewport={"width": self.width, "height": 800 if self.width > 600 else 740},
        )
        if language:
            context.add_cookies([{"name": "django_language", "value": language, "url": self.base_url}])
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    def sign_in(self, page, username, password=None):
        """Through the real sign-in page; lands on the workspace."""
        from tests.e2e.conftest import sign_in_with_form

        sign_in_with_form(page, username, password)

    def close(self):
        for context in self.contexts:
            context.close()
        self.contexts = []

    # --- checks -----------------------------------------------------------------------------------
    def expect(self, condition, message):
        """A check the walk can go on without: recorded, and failed at the end."""
        if not condition:
            self.problems.append(message)
        return bool(condition)

    def check(self, page, step):
        """Screenshot, overflow and axe-core on the page as it is now."""
        self.checked += 1
        step = f"{self.checked:02d}-{step}"
        where = f"[{self.name} {self.width}px {step}] {page.url.removeprefix(self.base_url)}"
        page.wait_for_load_state()
        _screenshot(page, SCREENSHOTS / f"{self.name}-{self.width}-{step}.png")
        overflow = page.evaluate(OVERFLOW_JS, self.width)
        if overflow["scrollWidth"] > self.width:
            offenders = "; ".join(f"{o['name']} (right edge {o['right']}px)" for o in overflow["offenders"])
            self.problems.append(
                f"{where}: page is {overflow['scrollWidth']}px wide at {self.width}px; "
                f"widest: {offenders or 'unknown'}"
            )
        self._check_menu(page, where)
        page.evaluate(_axe_script())
        results = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
            " targets: v.nodes.map(n => n.target.join(' '))})))"
        )
        for violation in results:
            if violation["impact"] in ("serious", "critical"):
                targets = ", ".join(violation["targets"][:5])
                self.problems.append(f"{where}: axe {violation['id']} ({violation['impact']}) at {targets}")

    def _check_menu(self, page, where):
        """Once per person and sign-in state: every main-menu link opens for them (no 403/404)."""
        signed_in = page.locator("header form[action='/akun/keluar/']").count() > 0
        key = (page.context, signed_in, page.locator("nav.main-nav a").count())
        if key in self.menus_checked:
            return
        self.menus_checked.add(key)
        for href in page.locator("nav.main-nav a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        ):
            status = page.request.get(href, max_redirects=0).status
            self.expect(status < 400, f"{where}: the menu link {href} answers {status} to this person")

    def finish(self):
        self.close()
        if self.problems:
            raise AssertionError(
                f"{len(self.problems)} problem(s) on the journey:\n" + "\n".join(self.problems)
            )

    # --- email ------------------------------------------------------------------------------------
    def mails_to(self, address, since=0):
        return [m for m in mail.outbox[since:] if address in m.to]

    def read_mail(self, page, message, step, signed_in=True):
        """Read one email as its recipient: every link absolute and on this site; follow each one in the
        recipient's own browser (``page``), which must open it (2xx; for a recipient not signed in, the
        sign-in page that leads back to the link counts too). A link already followed by the same
        browser is not opened again. Returns the links followed."""
        links = URL.findall(message.body)
        self.expect(links, f"[{self.name} {self.width}px {step}] email {message.subject!r} has no link")
        opened = []
        for link in dict.fromkeys(links):
            link = link.rstrip(".,;:")
            if not link.startswith(("http://", "https://")):
                self.problems.append(
                    f"[{self.name} {self.width}px {step}] email {message.subject!r} to {message.to} "
                    f"has a relative link: {link}"
                )
                continue
            if not link.startswith(self.base_url):
                self.problems.append(
                    f"[{self.name} {self.width}px {step}] email {message.subject!r} links off-site: {link}"
                )
                continue
            if (page.context, link) in self.followed:
                continue
            self.followed.add((page.context, link))
            response = page.goto(link)
            status = response.status if response else 0
            target = link.removeprefix(self.base_url)
            # Sent to the sign-in page instead of the link (acceptable only for someone not signed in, and
            # only when it leads back to the link).
            at_sign_in = (
                "/akun/masuk/" in page.url
                and not target.startswith("/akun/masuk/")
                and (signed_in or "next=" not in page.url)
            )
            self.expect(
                200 <= status < 300 and not at_sign_in,
                f"[{self.name} {self.width}px {step}] link {link} in email {message.subject!r} "
                f"answered {status} at {page.url} for {message.to}",
            )
            opened.append(link)
        return opened
