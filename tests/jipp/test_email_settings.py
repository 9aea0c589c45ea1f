"""EMAIL_URL, read by dj-email-url in jipp/settings.py: each scheme gives the backend and SMTP settings
the portal has always meant by it (smtp:// STARTTLS on 587, smtps:// implicit TLS on 465, 10 s)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"
SMTP = "jipp.notifications.smtp.EmailBackend"  # Django's, telling refused from maybe-accepted
NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
]


def _email_settings(**env) -> dict:
    """The email settings of a fresh process with a deployment's environment plus ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "JIPP", "SECRET", "DEBUG"))}
    base = {k: v for k, v in base.items() if not k.startswith(("EMAIL", "DEFAULT_FROM"))}
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "jipp.settings",
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": "postgres://u@db/j",
        }
    )
    base.update(env)
    code = (
        "import json, warnings; warnings.filterwarnings('error', '.*smtps'); import django; django.setup(); "
        "from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_smtp_on_587_uses_starttls_with_the_credentials_unquoted():
    s = _email_settings(EMAIL_URL="smtp://mailer%40jipp:p%40ss%2Fword@smtp.example.go.id:587")
    assert s["EMAIL_BACKEND"] == SMTP
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("smtp.example.go.id", 587)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("mailer@jipp", "p@ss/word")
    assert (s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (True, False)
    assert s["EMAIL_TIMEOUT"] == 10


def test_smtp_without_a_port_means_587_with_starttls():
    s = _email_settings(EMAIL_URL="smtp://smtp.example.go.id")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (587, True, False)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("", "")


def test_smtp_on_another_port_is_plain_unless_asked():
    s = _email_settings(EMAIL_URL="smtp://relay.internal:25")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (25, False, False)
    s = _email_settings(EMAIL_URL="smtp://relay.internal:2525?tls=1")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (2525, True, False)


def test_smtps_is_implicit_tls_on_465_by_default():
    s = _email_settings(EMAIL_URL="smtps://user:secret@smtp.example.go.id")
    assert s["EMAIL_BACKEND"] == SMTP
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"]) == ("smtp.example.go.id", 465)
    assert (s["EMAIL_USE_SSL"], s["EMAIL_USE_TLS"]) == (True, False)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("user", "secret")
    s = _email_settings(EMAIL_URL="smtps://smtp.example.go.id:2465")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_SSL"], s["EMAIL_USE_TLS"]) == (2465, True, False)


def test_submission_is_starttls_on_587():
    s = _email_settings(EMAIL_URL="submission://smtp.example.go.id")
    assert (s["EMAIL_BACKEND"], s["EMAIL_PORT"]) == (SMTP, 587)
    assert (s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (True, False)


def test_timeout_can_be_set_in_the_url():
    s = _email_settings(EMAIL_URL="smtp://smtp.example.go.id:587?timeout=30")
    assert s["EMAIL_TIMEOUT"] == 30


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("memory://", "django.core.mail.backends.locmem.EmailBackend"),
    ],
)
def test_console_and_memory_backends(url, backend):
    s = _email_settings(EMAIL_URL=url)
    assert s["EMAIL_BACKEND"] == backend
    assert s["EMAIL_HOST"] == "localhost"  # Django's default: nothing SMTP is configured


def test_unset_email_url_prints_to_the_console():
    assert _email_settings()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert _email_settings(DEBUG="1")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_default_from_email_comes_from_its_own_variable():
    assert _email_settings(EMAIL_URL="console://")["DEFAULT_FROM_EMAIL"] == "JIPP <noreply@jipp.example.id>"
    s = _email_settings(EMAIL_URL="smtp://h:587", DEFAULT_FROM_EMAIL="Hub Riau <hub@riau.go.id>")
    assert s["DEFAULT_FROM_EMAIL"] == "Hub Riau <hub@riau.go.id>"


def test_an_unknown_scheme_stops_the_start():
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "JIPP", "SECRET", "DEBUG"))}
    base.update(
        DJANGO_SETTINGS_MODULE="jipp.settings",
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL="postgres://u@db/j",
        EMAIL_URL="sendmail://localhost",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "EMAIL_URL must be a URL starting with one of" in result.stderr
