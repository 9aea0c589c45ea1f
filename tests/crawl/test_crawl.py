"""Walk the portal the way each of its users can: from the home page and the workspace, follow every
link and GET form shown, on ``seed_demo`` data, and fail on anything a person would trip over (the
checks are listed in tests/crawl/crawler.py). Run alone with ``make test ARGS="tests/crawl"``."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jipp import access
from jipp.accounts.models import AccessRequest
from replication.models import ReplicationRequest
from tests.crawl.crawler import Crawler

# role → demo account (jipp/demo.py, innovations/demo_workflow.py); None is the anonymous visitor.
ROLES = {
    "anonymous": None,
    "applicant": "calon.staf",  # signed up, access request pending, no rights yet
    "staff": "staf.siak",  # agency staff (requests replications)
    "officer": "petugas.riau",  # hub officer
    "origin": "staf.denpasar",  # staff of an agency whose innovation others replicate
    "ministry": "kementerian",
    "admin": "admin",
}
# Pages per role; also at most 40 pages per URL pattern and 5 query variants per path, and 60 s.
MAX_PAGES = 1000


@pytest.fixture
def demo(db, settings):
    settings.JIPP_DEMO = True
    call_command("load_regions", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())


def _check_role(role, user):
    """The demo account really is what the crawl claims to test."""
    roles = access.roles_of(user)
    if role == "applicant":
        assert roles == access.Roles() and not user.is_superuser  # no rights at all
        assert AccessRequest.objects.pending().filter(user=user).exists()
    elif role == "staff":
        assert roles.is_staff_member and not roles.is_officer
    elif role == "officer":
        assert roles.is_officer and not roles.is_ministry
    elif role == "origin":
        assert ReplicationRequest.objects.filter(source__agency_id__in=roles.staff_agency_ids).exists()
    elif role == "ministry":
        assert roles.is_ministry and not roles.is_admin
    elif role == "admin":
        assert roles.is_admin


@pytest.mark.parametrize("role", list(ROLES))
def test_every_link_shown_to_the_role_works(role, demo, client, settings):
    username = ROLES[role]
    if username:
        user = get_user_model().objects.get(username=username)
        _check_role(role, user)
        client.force_login(user)
    starts = ("/", "/ruang-kerja/") + (("/admin/",) if role == "admin" else ())
    result = Crawler(client, role, starts=starts, max_pages=MAX_PAGES, admin=role == "admin").run()
    statuses = dict(sorted(result.statuses.items()))
    summary = f"[{role}] {result.pages} pages in {result.seconds:.1f} s; statuses {statuses}" + (
        f"; {result.truncated}" if result.truncated else ""
    )
    print(summary)  # noqa: T201 - the per-role figures, shown with -s or on failure
    assert result.pages >= 20, summary  # the crawl really walked the portal
    assert not result.failures, f"{summary}\n{len(result.failures)} failures:\n" + "\n".join(result.failures)
