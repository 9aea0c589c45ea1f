import pytest
from django.core.management import call_command

from innovations.models import Award, Innovation, SearchTerm

pytestmark = pytest.mark.django_db(transaction=True)


def test_generate_innovations_spreads_varied_published_records_over_regions():
    call_command("load_regions", verbosity=0)
    call_command("generate_innovations", count=600, chunk=200, workers=1)
    published = Innovation.objects.published()
    assert published.count() == 600
    assert published.values("province").distinct().count() > 30
    assert published.values("sector").distinct().count() == 20
    assert published.filter(replicated_from__isnull=False).exists()
    assert Award.objects.exists()
    record = published.exclude(acronym="").first()
    assert record.search_vector and record.facet_keys
    assert SearchTerm.objects.filter(term=record.acronym.lower()).exists()
    source = published.filter(replication_count__gt=0).first()
    assert source.replications.count() == source.replication_count
