import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from jipp.env import env_bool, env_int, env_list, env_str, env_url

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"


@pytest.mark.parametrize("raw", ["maybe", "2", "ya", "TRUE!"])
def test_env_bool_rejects_what_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("Off", False), ("", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", default=not expected) is expected


def test_env_int_rejects_words_and_out_of_range(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-5")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("X_NUM", 1, minimum=0)
    monkeypatch.setenv("X_NUM", " 42 ")
    assert env_int("X_NUM", 1, minimum=0) == 42


def test_env_list_splits_and_refuses_empty_items(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_LIST", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("X_LIST")


def test_env_url_requires_a_known_scheme(monkeypatch):
    monkeypatch.setenv("X_URL", "mysql://db/x")
    with pytest.raises(ImproperlyConfigured, match="postgres"):
        env_url("X_URL", schemes=("postgres",))
    monkeypatch.setenv("X_URL", "postgres://db/x")
    assert env_url("X_URL", schemes=("postgres",)) == "postgres://db/x"


def test_env_str_required_fails_loudly(monkeypatch):
    monkeypatch.delenv("X_MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_MISSING"):
        env_str("X_MISSING", required=True)


def _django(code: str, **env) -> subprocess.CompletedProcess:
    """Run Python with a clean deployment-like environment (no embedded database unless asked)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "JIPP", "SECRET", "DEBUG"))}
    base.pop("DATABASE_URL", None)
    base.update({"DJANGO_SETTINGS_MODULE": "jipp.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_deployment_without_secret_key_refuses_to_start():
    result = _django("import django; django.setup()", DATABASE_URL="postgres://u@db.example/jipp")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deployment_with_a_weak_secret_key_refuses_to_start():
    result = _django("import django; django.setup()", SECRET_KEY="short", DATABASE_URL="postgres://u@db/jipp")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_deployment_without_database_url_refuses_to_start():
    result = _django("import django; django.setup()", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_bad_boolean_in_environment_stops_the_start():
    result = _django("import django; django.setup()", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_silent_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("JIPP", "DEBUG", "SECRET", "DJANGO_ALLOW"))
            },
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": "postgres://jipp@db.example:5432/jipp",
            "ALLOWED_HOSTS": "jipp.example.id",
            "DEBUG": "0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_are_on_by_default_when_debug_is_off():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _django(code, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@db.example/jipp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]
    result = _django(
        code, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@db.example/jipp", JIPP_INSECURE_HTTP="1"
    )
    assert result.stdout.split() == ["False", "False", "False", "False"]


def test_cache_is_redis_only_when_redis_url_is_set():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'])"
    )
    plain = _django(code, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@db/jipp")
    shared = _django(
        code, SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@db/jipp", REDIS_URL="redis://127.0.0.1:6379/1"
    )
    # ops (issue 10 #3): without Redis, a cache table in PostgreSQL that every worker shares.
    assert plain.stdout.strip() == "jipp.ops.cache.SharedDatabaseCache"
    assert shared.stdout.strip() == "django_redis.cache.RedisCache"


def _manage(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIPP", "DEBUG", "SECRET", "DJANGO"))}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_developer_commands_work_in_a_checkout_without_environment():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_refuse_to_start_without_the_deployment_settings():
    result = _manage("migrate", "--plan")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
