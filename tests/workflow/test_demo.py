import pytest
from django.core.management import call_command

from innovations.models import Innovation, InnovationRevision
from jipp.accounts.models import AccessRequest
from jipp.models import Agency


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
    # One for an agency in the directory, one with a proposed new unit (issue 12).
    assert AccessRequest.objects.pending().count() == 2
    proposed = AccessRequest.objects.pending().get(agency__status=Agency.Status.PROPOSED)
    assert proposed.agency.parent.name == "Pemerintah Kota Pekanbaru"
    # Demo offices are units of their region's government; a duplicate waits to be merged.
    assert Agency.objects.get(slug="dinas-kesehatan-kota-pekanbaru").parent == proposed.agency.parent
    assert Agency.objects.filter(name="Disdik Kota Dumai", parent__name="Pemerintah Kota Dumai").exists()
    assert samples.count() == 6
