"""Small typed readers for settings from the environment.

Each one fails loudly (``ImproperlyConfigured``) on a value it cannot read, so a typo in a deployment's
environment stops the start instead of silently falling back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks around items are dropped, empty items are refused."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    if value.strip() == "":
        return []
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item in {value!r}.")
    return items


def env_url(name: str, default: str | None = None, *, schemes: tuple[str, ...]) -> str | None:
    """A URL whose scheme is one of ``schemes``."""
    value = env_str(name, default)
    if value is None:
        return None
    scheme, sep, _rest = value.partition("://")
    if not sep or scheme.lower() not in schemes:
        raise ImproperlyConfigured(f"{name} must be a URL starting with one of {', '.join(schemes)}://.")
    return value
