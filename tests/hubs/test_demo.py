"""The hub demo seeder fills every hub page and is idempotent."""

import pytest
from django.core.management import call_command

from hubs import demo as demo_hubs
from hubs.models import HubDocument, HubEvent, HubTeamMember
from jipp import demo
from jipp.models import Hub


@pytest.mark.django_db
def test_demo_hubs_fills_team_events_and_documents_and_runs_twice(settings):
    settings.JIPP_DEMO = True
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo.seed()
    demo_hubs.seed()
    counts = (HubTeamMember.objects.count(), HubEvent.objects.count(), HubDocument.objects.count())
    demo_hubs.seed()
    assert (HubTeamMember.objects.count(), HubEvent.objects.count(), HubDocument.objects.count()) == counts
    for hub in Hub.objects.all():
        assert hub.team.exists() and hub.events.exists() and hub.documents.exists()
        assert hub.universities.count() >= 1
    assert HubDocument.objects.exclude(file="").exists()
