"""requirements.lock is current with pyproject.toml, and its runtime part (what the Docker image
installs) holds every runtime dependency, with hashes, and none of the dev tools."""

import re
import tomllib

from jipp import lockfile


def _names(text):
    return {re.sub(r"[-_.]+", "-", m).lower() for m in re.findall(r"^([A-Za-z0-9][\w.-]*)==", text, re.M)}


def test_lock_is_current_with_pyproject():
    assert lockfile.recorded() == lockfile.digest(), "run `make lock` and commit requirements.lock"


def test_runtime_part_has_the_runtime_dependencies_and_no_dev_tools():
    project = tomllib.loads(lockfile.PYPROJECT.read_text())["project"]
    runtime = lockfile.runtime()
    names = _names(runtime)
    for dep in project["dependencies"]:
        assert re.sub(r"[-_.]+", "-", re.split(r"[\[=]", dep)[0]).lower() in names, dep
    for tool in (
        "pytest",
        "pytest-django",
        "pytest-xdist",
        "playwright",
        "ruff",
        "moto",
        "djhtml",
        "pip-tools",
    ):
        assert tool not in names, tool
    # What the runtime packages need comes along (boto3 for django-storages[s3], brotli for whitenoise).
    assert {"botocore", "s3transfer", "brotli", "asgiref", "sqlparse"} <= names
    entries = re.split(r"\n(?=\S)", runtime.strip())
    assert all("--hash=sha256:" in entry for entry in entries)
