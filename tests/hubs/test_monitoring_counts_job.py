"""The job worker keeps the monitoring overview's re-confirmation counts warm (hubs.tasks), so no
officer or ministry visit waits for the grouped count over every published record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hubs import monitoring
from hubs.tasks import refresh_monitoring_counts
from innovations.models import Innovation
from tests.hubs.conftest import make_innovation

pytestmark = pytest.mark.django_db


def _due(agency):
    innovation = make_innovation(agency)
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    Innovation.objects.filter(pk=innovation.pk).update(last_confirmed_on=long_ago)
    return innovation


def test_the_refresh_job_counts_and_the_overview_then_reads_the_stored_counts(
    world, client, django_assert_max_num_queries, django_assert_num_queries
):
    _due(world.pekanbaru)
    make_innovation(world.siak)  # published now: not due
    assert refresh_monitoring_counts() == 1  # one province with records due
    with django_assert_num_queries(0):
        assert monitoring.reconfirmation_due_counts() == {world.riau.pk: 1}

    # A record that falls due shows after the next refresh (the figure moves by the day).
    _due(world.siak)
    assert monitoring.reconfirmation_due_counts() == {world.riau.pk: 1}
    refresh_monitoring_counts()
    assert monitoring.reconfirmation_due_counts() == {world.riau.pk: 2}

    # The ministry's overview uses the stored counts: its grouped count over the records never runs.
    client.force_login(world.ministry)
    with django_assert_max_num_queries(20) as captured:
        response = client.get(reverse("monitoring"))
    assert response.status_code == 200
    assert not any(
        "GROUP BY" in q["sql"] and "last_confirmed_on" in q["sql"] for q in captured.captured_queries
    )
