"""Production settings for app servers that tests/ops start as separate processes; only the static
files differ (plain names, so no collectstatic run is needed)."""

from jipp.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
