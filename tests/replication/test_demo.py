import pytest
from django.core.management import call_command

from innovations.models import Innovation
from replication.models import ReplicationRequest


@pytest.mark.django_db
def test_demo_has_every_stage_and_a_lineage_three_deep_and_is_idempotent():
    from jipp import demo as network_demo
    from replication import demo

    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    context = network_demo.seed()
    demo.seed(context=context)
    counts = (ReplicationRequest.objects.count(), Innovation.objects.count())
    demo.seed(context=context)
    assert (ReplicationRequest.objects.count(), Innovation.objects.count()) == counts

    assert set(ReplicationRequest.objects.values_list("status", flat=True)) == set(
        ReplicationRequest.Status.values
    )
    deepest = Innovation.objects.get(replicated_from__replicated_from__isnull=False, status="published")
    assert deepest.replicated_from.replicated_from.replicated_from is None
    assert deepest.replicated_from.status == "published"
    assert all(i.is_sample for i in Innovation.objects.all())
    for innovation in Innovation.objects.all():
        published_children = innovation.replications.filter(status="published").count()
        assert innovation.replication_count == published_children
    stalled = ReplicationRequest.objects.stalled()
    assert stalled.filter(status="interest").exists()
