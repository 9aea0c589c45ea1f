"""Issue 10 #19: the container image. The build context leaves out local secrets, the local database,
the virtualenv and git (.dockerignore, read with Docker's matching rules); the image's HEALTHCHECK
asks /healthz by address, which answers whatever ALLOWED_HOSTS says."""

import fnmatch
import re
import shlex
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _patterns():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _ignored(path: str) -> bool:
    """Docker's rules, as much as the file uses: the last matching pattern wins, ``!`` re-includes, a
    pattern matches a path or any of its parent directories, ``**/`` matches any depth."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in _patterns():
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        options = [pattern] + ([pattern[3:]] if pattern.startswith("**/") else [])
        if pattern.startswith("**/"):  # any depth: compare with every trailing part of the path
            candidates_here = [
                "/".join(parts[i : j + 1]) for i in range(len(parts)) for j in range(i, len(parts))
            ]
        else:
            candidates_here = candidates
        if any(fnmatch.fnmatchcase(c, option) for c in candidates_here for option in options):
            ignored = not negate
    return ignored


@pytest.mark.parametrize(
    "path",
    [
        "var/secret_key",
        "var/pgdata/PG_VERSION",
        "var/media/evidence/a.png",
        ".venv/bin/python",
        ".git/HEAD",
        "jipp/__pycache__/settings.cpython-311.pyc",
        "jipp/settings.pyc",
        ".env",
        ".env.production",
        "production.env",
    ],
)
def test_build_context_leaves_out(path):
    assert _ignored(path), path


@pytest.mark.parametrize(
    "path",
    ["manage.py", "jipp/settings.py", "pyproject.toml", "gunicorn.conf.py", "locale/id/LC_MESSAGES/django.mo",
     "templates/base.html", "static/css/site.css", ".env.example"],
)  # fmt: skip
def test_build_context_keeps(path):
    assert not _ignored(path), path


def test_dockerfile_copies_the_context_and_probes_healthz_by_address():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY . ." in dockerfile
    check = re.search(r"^HEALTHCHECK .*? CMD (.+)$", dockerfile, re.M).group(1)
    assert "http://127.0.0.1:8000/healthz" in " ".join(shlex.split(check))


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_probes_answer_any_host_but_pages_do_not(probe, db, client, settings):
    settings.ALLOWED_HOSTS = ["jipp.example.id"]  # what docs/deploy.md tells a deployment to set
    response = client.get(probe, HTTP_HOST="127.0.0.1:8000")  # what the HEALTHCHECK sends
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]
    assert (
        response["X-Frame-Options"] == "DENY" and "default-src 'none'" in response["Content-Security-Policy"]
    )
    assert client.get(probe, HTTP_HOST="10.0.3.7").status_code == 200  # a load balancer's probe
    assert client.get(reverse("home"), HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get(reverse("home"), HTTP_HOST="jipp.example.id").status_code == 200
    # Only GET and HEAD are probes; anything else goes through the usual checks.
    assert client.post(probe, HTTP_HOST="127.0.0.1:8000").status_code == 400
