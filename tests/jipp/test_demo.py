from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from jipp.models import Agency, Hub, Membership


@pytest.mark.django_db
def test_seed_demo_refuses_without_explicit_permission(settings):
    settings.JIPP_DEMO = False
    with pytest.raises(CommandError, match="JIPP_DEMO=1"):
        call_command("seed_demo", stdout=StringIO())
    assert not Hub.objects.exists()


@pytest.mark.django_db
def test_seed_demo_creates_the_network_and_is_idempotent(settings):
    settings.JIPP_DEMO = True
    call_command("load_regions", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    hubs = set(Hub.objects.values_list("province__name", "year_designated"))
    assert {("Riau", 2021), ("Kalimantan Barat", 2021), ("Bali", 2021), ("Maluku", 2021)} <= hubs
    assert all(hub.universities.exists() for hub in Hub.objects.all())
    assert set(Agency.objects.values_list("level", flat=True)) >= {"province", "regency"}
    assert set(Membership.objects.values_list("role", flat=True)) == {"staff", "officer", "ministry"}
    assert "petugas.riau" in out.getvalue() and "jipp-demo-2026" in out.getvalue()

    counts = (Hub.objects.count(), Agency.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Hub.objects.count(), Agency.objects.count(), Membership.objects.count()) == counts


def test_server_error_page_is_static_and_translated():
    # ops (issue 10 #5): handler500 renders the site layout in the request's language, without the
    # request, the session or the database (this test has no database access).
    from django.utils import translation

    from jipp.ops.errors import server_error

    for language in ("id", "en"):
        with translation.override(language):
            response = server_error(RequestFactory().get("/"))
        assert response.status_code == 500
        content = response.content.decode()
        assert f'<html lang="{language}">' in content and content.count("<h1") == 1
        assert 'class="site-header"' in content and "Traceback" not in content
