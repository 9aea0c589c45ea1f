import pytest
from django.core.management import call_command

from innovations.models import Innovation, InnovationRevision
from jipp.accounts.models import AccessRequest


@pytest.mark.django_db
def test_demo_has_a_record_in_every_state_and_is_idempotent(settings):
    settings.JIPP_DEMO = True
    call_command("load_regions", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    samples = Innovation.objects.filter(slug__startswith="demo-")
    assert set(samples.values_list("status", flat=True)) >= {"draft", "submitted", "returned", "published"}
    assert InnovationRevision.objects.filter(status="submitted").count() == 1
    assert Innovation.objects.due_for_confirmation().filter(slug="demo-pontianak-jemput-bola").exists()
    assert AccessRequest.objects.pending().count() == 1
    assert samples.count() == 6
