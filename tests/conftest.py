"""The test world: two provinces with hubs, agencies in each, and a person in every role.

    Riau (14)  — hub "riau", agencies: pekanbaru (Kota Pekanbaru), siak (Kabupaten Siak)
    Bali (51)  — hub "bali", agency: denpasar (Kota Denpasar)
    people     — staff_pekanbaru, staff_siak, staff_denpasar, officer_riau, officer_bali, ministry, admin

Regions are created by hand here (two provinces, four regencies) to keep the suite fast; the real
38/514 list is tested by the load_regions tests.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from jipp.models import Agency, Hub, Membership, Province, Regency, University

PASSWORD = "correct-horse-battery-staple"


def make_user(username, **extra):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.id", password=PASSWORD, **extra
    )
    return user


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Every test starts with an empty cache: rate-limit counters and cached figures never carry over.
    cache.clear()
    # Uploaded files (evidence) go to a per-test directory, never into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Messages are sent right after the commit, by the process that wrote them, so tests read them
    # in mail.outbox; tests/notifications cover the worker's way (NOTIFICATIONS_DELIVERY = "worker").
    settings.NOTIFICATIONS_DELIVERY = "inline"
    # Hashed names need collectstatic first; tests/jipp/test_static.py covers the real storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db):
    riau = Province.objects.create(code="14", name="Riau", slug="riau")
    bali = Province.objects.create(code="51", name="Bali", slug="bali")
    pekanbaru_city = Regency.objects.create(
        province=riau, code="14.71", name="Kota Pekanbaru", slug="kota-pekanbaru-14-71", kind="kota"
    )
    siak_regency = Regency.objects.create(
        province=riau, code="14.08", name="Kabupaten Siak", slug="kabupaten-siak-14-08", kind="kabupaten"
    )
    denpasar_city = Regency.objects.create(
        province=bali, code="51.71", name="Kota Denpasar", slug="kota-denpasar-51-71", kind="kota"
    )
    badung_regency = Regency.objects.create(
        province=bali, code="51.03", name="Kabupaten Badung", slug="kabupaten-badung-51-03", kind="kabupaten"
    )
    hub_riau = Hub.objects.create(province=riau, name="Hub JIPP Riau", slug="riau", year_designated=2021)
    hub_bali = Hub.objects.create(province=bali, name="Hub JIPP Bali", slug="bali", year_designated=2021)
    unri = University.objects.create(name="Universitas Riau", slug="universitas-riau", province=riau)
    unud = University.objects.create(name="Universitas Udayana", slug="universitas-udayana", province=bali)
    hub_riau.universities.add(unri)
    hub_bali.universities.add(unud)

    pekanbaru = Agency.objects.create(
        name="Disdukcapil Kota Pekanbaru",
        slug="disdukcapil-pekanbaru",
        level="regency",
        province=riau,
        regency=pekanbaru_city,
    )
    siak = Agency.objects.create(
        name="DPMPTSP Kabupaten Siak",
        slug="dpmptsp-siak",
        level="regency",
        province=riau,
        regency=siak_regency,
    )
    denpasar = Agency.objects.create(
        name="Disdukcapil Kota Denpasar",
        slug="disdukcapil-denpasar",
        level="regency",
        province=bali,
        regency=denpasar_city,
    )

    staff_pekanbaru = make_user("staff_pekanbaru")
    staff_siak = make_user("staff_siak")
    staff_denpasar = make_user("staff_denpasar")
    officer_riau = make_user("officer_riau")
    officer_bali = make_user("officer_bali")
    ministry = make_user("ministry")
    admin = make_user("admin", is_staff=True, is_superuser=True)
    outsider = make_user("outsider")  # signed in, no role at all

    Membership.objects.create(user=staff_pekanbaru, role="staff", agency=pekanbaru)
    Membership.objects.create(user=staff_siak, role="staff", agency=siak)
    Membership.objects.create(user=staff_denpasar, role="staff", agency=denpasar)
    Membership.objects.create(user=officer_riau, role="officer", hub=hub_riau)
    Membership.objects.create(user=officer_bali, role="officer", hub=hub_bali)
    Membership.objects.create(user=ministry, role="ministry")

    return SimpleNamespace(
        riau=riau,
        bali=bali,
        pekanbaru_city=pekanbaru_city,
        siak_regency=siak_regency,
        denpasar_city=denpasar_city,
        badung_regency=badung_regency,
        hub_riau=hub_riau,
        hub_bali=hub_bali,
        unri=unri,
        unud=unud,
        pekanbaru=pekanbaru,
        siak=siak,
        denpasar=denpasar,
        staff_pekanbaru=staff_pekanbaru,
        staff_siak=staff_siak,
        staff_denpasar=staff_denpasar,
        officer_riau=officer_riau,
        officer_bali=officer_bali,
        ministry=ministry,
        admin=admin,
        outsider=outsider,
    )


# --- Every email the suite captures is read (issue 10) ----------------------------------------------
# After the body of each test that left mail in the locmem outbox (only those pay for it), every link in
# every message must be absolute, on settings.JIPP_SITE_URL, and answer 200 to its recipient (signed in
# as the user with the To address). A hook around the test call rather than a fixture teardown: it runs
# after the test body but before any fixture is torn down (the database rolled back or flushed), so it
# works the same for db, transactional_db and live_server tests, and one-time links are opened only once
# the test is done with them. Tests without database access get the address checks only.
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # a failing test body raises here, and its email is not read
    from django.core import mail

    from tests.mailcheck import check_outbox

    if getattr(mail, "outbox", None):
        fetch = (
            bool(_DB_FIXTURES & set(item.fixturenames)) or item.get_closest_marker("django_db") is not None
        )
        problems = check_outbox(mail.outbox, test_id=item.nodeid, fetch=fetch)
        if problems:
            raise AssertionError("Links in the emails this test sent do not work:\n" + "\n".join(problems))
    return result


# pytest-xdist (`make test` runs `pytest -n auto --dist loadgroup`): each worker has its own test
# database (test_jipp_gw0, ...) and its own local-memory cache; live_server listens on a port the system
# picks, screenshots are named after their test. Tests that share something fixed across workers run in
# one worker, one after another, through an xdist_group (tryfirst: before xdist reads the marks):
#   restore-db  the fixed database jipp_restore_roundtrip, made and dropped on the shared server
#   gunicorn    gunicorn subprocesses on ports picked free, then released, then bound by gunicorn
#   workers     job workers (manage.py procrastinate worker) in subprocesses, timed against the clock
#   e2e         the browser journeys: one Chromium at a time on the machine (2 cores), so their
#               15-second waits never race a second browser for the processor
XDIST_GROUPS = {
    "tests/ops/test_backup.py": "restore-db",
    "tests/ops/test_shared_cache.py": "gunicorn",
    "tests/jobs/test_workers.py": "workers",
    "tests/e2e/": "e2e",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for prefix, group in XDIST_GROUPS.items():
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))
