"""A small scorer applying the Mozilla HTTP Observatory's published modifiers to real responses.

Rules and modifiers follow the Observatory's scoring table (mozilla/http-observatory
``httpobs/scanner/grader/grade.py`` and MDN "HTTP Observatory: tests and scoring"): start at 100,
subtract penalties, and add bonuses only when the score without them is at least 90. 100+ is A+.
The deprecated tests (contribute.json, HPKP, X-XSS-Protection) no longer count. HSTS preloading and
certificates cannot be judged from a response and score 0 here.

``score(response, redirect=None)`` takes a Django test response of a page requested as secure, and
optionally the response to the same URL requested over plain HTTP (for the redirection test).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

SESSION_COOKIE_HINTS = ("session", "sess", "sid", "login", "auth", "token")
CSRF_COOKIE_HINTS = ("csrf", "xsrf")
SIX_MONTHS = 15768000


@dataclass
class Result:
    score: int = 100
    tests: dict = field(default_factory=dict)  # test name -> (result, modifier)

    @property
    def grade(self) -> str:
        for limit, grade in ((100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-")):
            if self.score >= limit:
                return grade
        return "C or lower"

    def explain(self) -> str:
        rows = [f"{mod:+4d} {name}: {result}" for name, (result, mod) in self.tests.items() if mod]
        return f"score {self.score} ({self.grade})\n" + "\n".join(rows)


def _csp(headers) -> tuple[str, int]:
    raw = headers.get("Content-Security-Policy")
    if not raw:
        return "csp-not-implemented", -25
    policy = {}
    for part in raw.split(";"):
        tokens = part.strip().split()
        if tokens:
            name = tokens[0].lower()
            if name in policy:
                return "csp-header-invalid", -25
            policy[name] = [t.lower() for t in tokens[1:]]
    default = policy.get("default-src")

    def sources(directive):
        return policy.get(directive, default) or []

    script, style, obj = sources("script-src"), sources("style-src"), sources("object-src")
    broad = {"*", "https:", "http:", "data:"}
    if (
        "'unsafe-inline'" in script
        or broad & set(script)
        or broad & set(obj)
        or (not script and default is None)
        or (not obj and default is None)
    ):
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in script:
        return "csp-implemented-with-unsafe-eval", -10
    every = [s for values in policy.values() for s in values]
    if any(s.startswith("http:") for s in every):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-inline'" in style or broad & set(style):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def _set_cookies(response) -> list[tuple[str, dict]]:
    out = []
    for morsel in response.cookies.values():
        if morsel["max-age"] == 0 or morsel.value == "":
            continue  # a deletion is not a cookie being set
        attrs = {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
        attrs["samesite"] = (morsel["samesite"] or "").lower()
        out.append((morsel.key, attrs))
    return out


def _cookies(response, hsts: bool) -> tuple[str, int]:
    cookies = _set_cookies(response)
    if not cookies:
        return "cookies-not-found", 0
    worst = ("cookies-secure-with-httponly-sessions-and-samesite", 5)
    for name, attrs in cookies:
        lowered = name.lower()
        session = any(h in lowered for h in SESSION_COOKIE_HINTS) and not any(
            h in lowered for h in CSRF_COOKIE_HINTS
        )
        candidates = []
        if session and not attrs["secure"]:
            candidates.append(
                ("cookies-session-without-secure-flag-but-protected-by-hsts", -10)
                if hsts
                else ("cookies-session-without-secure-flag", -40)
            )
        if session and not attrs["httponly"]:
            candidates.append(("cookies-session-without-httponly-flag", -30))
        if not attrs["secure"]:
            candidates.append(
                ("cookies-without-secure-flag-but-protected-by-hsts", -5)
                if hsts
                else ("cookies-without-secure-flag", -20)
            )
        if any(h in lowered for h in CSRF_COOKIE_HINTS) and not attrs["samesite"]:
            candidates.append(("cookies-anticsrf-without-samesite-flag", -20))
        if attrs["samesite"] and attrs["samesite"] not in ("strict", "lax"):
            candidates.append(("cookies-samesite-flag-invalid", -20))
        if not attrs["samesite"]:
            candidates.append(("cookies-secure-with-httponly-sessions", 0))
        for candidate in candidates:
            if candidate[1] < worst[1]:
                worst = candidate
    return worst


def _cors(headers) -> tuple[str, int]:
    origin = headers.get("Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    if origin.strip() == "*":
        if headers.get("Access-Control-Allow-Credentials", "").lower() == "true":
            return "cross-origin-resource-sharing-implemented-with-universal-access", -50
        return "cross-origin-resource-sharing-implemented-with-public-access", 0
    return "cross-origin-resource-sharing-implemented-with-restricted-access", 0


def _redirection(response, redirect) -> tuple[str, int]:
    if redirect is None:
        return "redirection-not-tested", 0
    if redirect.status_code not in (301, 302, 307, 308):
        return "redirection-missing", -20
    target = urlsplit(redirect["Location"])
    if target.scheme != "https":
        return "redirection-not-to-https", -20
    if target.hostname and target.hostname != urlsplit(redirect.wsgi_request.build_absolute_uri()).hostname:
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def _referrer(headers) -> tuple[str, int]:
    raw = headers.get("Referrer-Policy")
    if raw is None:
        return "referrer-policy-not-implemented", 0
    known = {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "unsafe-url",
    }
    values = [v.strip().lower() for v in raw.split(",") if v.strip().lower() in known]
    if not values:
        return "referrer-policy-header-invalid", -5
    effective = values[-1]  # browsers use the last policy they understand
    if effective in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        return "referrer-policy-private", 5
    if effective == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    return "referrer-policy-unsafe", -5


def _hsts(headers) -> tuple[str, int]:
    raw = headers.get("Strict-Transport-Security")
    if raw is None:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age\s*=\s*\"?(\d+)", raw, re.I)
    if not match:
        return "hsts-header-invalid", -20
    if int(match.group(1)) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attrs = dict(attrs)
            if attrs.get("src"):
                self.scripts.append(attrs)


def _sri(response, headers) -> tuple[str, int]:
    if "html" not in headers.get("Content-Type", ""):
        return "sri-not-implemented-response-not-html", 0
    parser = _Scripts()
    parser.feed(response.content.decode("utf-8", "replace"))
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [s for s in parser.scripts if urlsplit(s["src"]).netloc or s["src"].startswith("//")]
    insecure = [s for s in external if s["src"].startswith(("http:", "//"))]
    with_sri = (
        all(s.get("integrity") for s in external)
        if external
        else all(s.get("integrity") for s in parser.scripts)
    )
    if insecure:
        return (
            ("sri-implemented-but-external-scripts-not-loaded-securely", -20)
            if with_sri
            else ("sri-not-implemented-and-external-scripts-not-loaded-securely", -50)
        )
    if external:
        return (
            ("sri-implemented-and-external-scripts-loaded-securely", 5)
            if with_sri
            else ("sri-not-implemented-but-external-scripts-loaded-securely", -5)
        )
    if with_sri:
        return "sri-implemented-and-all-scripts-loaded-securely", 5
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0


def _nosniff(headers) -> tuple[str, int]:
    raw = headers.get("X-Content-Type-Options")
    if raw is None:
        return "x-content-type-options-not-implemented", -5
    if raw.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-nosniff", 0


def _frame_options(headers) -> tuple[str, int]:
    csp = headers.get("Content-Security-Policy", "")
    match = re.search(r"frame-ancestors\s+([^;]*)", csp, re.I)
    if match and "*" not in match.group(1).split():
        return "x-frame-options-implemented-via-csp", 5
    raw = headers.get("X-Frame-Options")
    if raw is None:
        return "x-frame-options-not-implemented", -20
    value = raw.strip().upper()
    if value in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    if value.startswith("ALLOW-FROM"):
        return "x-frame-options-allow-from-origin", 0
    return "x-frame-options-header-invalid", -20


def _corp(headers) -> tuple[str, int]:
    raw = headers.get("Cross-Origin-Resource-Policy")
    if raw is None:
        return "cross-origin-resource-policy-not-implemented", 0
    value = raw.strip().lower()
    if value in ("same-origin", "same-site", "cross-origin"):
        return f"cross-origin-resource-policy-implemented-with-{value}", 0
    return "cross-origin-resource-policy-header-invalid", -5


def score(response, redirect=None) -> Result:
    headers = response.headers
    hsts_name, _ = _hsts(headers)
    tests = {
        "content-security-policy": _csp(headers),
        "cookies": _cookies(response, hsts=hsts_name.startswith("hsts-implemented")),
        "cross-origin-resource-sharing": _cors(headers),
        "redirection": _redirection(response, redirect),
        "referrer-policy": _referrer(headers),
        "strict-transport-security": _hsts(headers),
        "subresource-integrity": _sri(response, headers),
        "x-content-type-options": _nosniff(headers),
        "x-frame-options": _frame_options(headers),
        "cross-origin-resource-policy": _corp(headers),
    }
    result = Result(tests=tests)
    penalties = sum(mod for _, mod in tests.values() if mod < 0)
    bonuses = sum(mod for _, mod in tests.values() if mod > 0)
    result.score = max(0, 100 + penalties)
    if result.score >= 90:
        result.score += bonuses
    return result
