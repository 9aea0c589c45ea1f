"""Each facet narrows the list, and its counts are right."""

import pytest
from django.urls import reverse

from innovations.models import Award, Innovation

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(card["name"] for card in response.context["cards"])


def counts(response, facet):
    for name, _label, options, _open in response.context["facet_groups"]:
        if name == facet:
            return {value: count for value, _l, count, _s in options}
    raise AssertionError(facet)


@pytest.fixture
def records(world, make):
    a = make(world.pekanbaru, name="A", sector="health", stage="trial", form="governance", kind="non_digital",
             started_on="2019-05-01", sdgs=[3, 5])  # fmt: skip
    b = make(world.siak, name="B", sector="health", stage="implemented", sdgs=[3], started_on="2021-01-01")
    c = make(world.denpasar, name="C", sector="education", stage="implemented", sdgs=[4])
    Award.objects.create(innovation=b, program="kipp", rank="top45", year=2022)
    Innovation.objects.filter(pk=c.pk).update(replication_count=2)
    make(world.denpasar, name="Draft", sector="health", status="draft")
    return a, b, c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "riau"}, ["A", "B"]),
        ({"province": ["riau", "bali"]}, ["A", "B", "C"]),
        ({"hub": "bali"}, ["C"]),
        ({"level": "regency"}, ["A", "B", "C"]),
        ({"level": "province"}, []),
        ({"region": "kabupaten"}, ["B"]),
        ({"sector": "health"}, ["A", "B"]),
        ({"sector": "health", "stage": "implemented"}, ["B"]),
        ({"stage": "trial"}, ["A"]),
        ({"form": "governance"}, ["A"]),
        ({"type": "non_digital"}, ["A"]),
        ({"year": "2021"}, ["B"]),
        ({"sdg": "5"}, ["A"]),
        ({"sdg": ["4", "5"]}, ["A", "C"]),
        ({"award": "any"}, ["B"]),
        ({"award": "kipp"}, ["B"]),
        ({"award": "iga"}, []),
        ({"replicated": "yes"}, ["C"]),
        ({"replicated": "no"}, ["A", "B"]),
        ({"agency": "dpmptsp-siak"}, ["B"]),
    ],
)
def test_each_facet_narrows_the_list(client, records, params, expected):
    response = client.get(reverse("innovations:list"), params)
    assert response.status_code == 200
    assert names(response) == expected


def test_facet_counts_are_exact_for_small_results(client, records):
    response = client.get(reverse("innovations:list"))
    assert response.context["result"].facets_exact
    assert counts(response, "sector")["health"] == 2
    assert counts(response, "sector")["education"] == 1
    assert counts(response, "province") == {"riau": 2, "bali": 1}
    assert counts(response, "hub") == {"riau": 2, "bali": 1}
    assert counts(response, "award")["kipp"] == 1
    assert counts(response, "replicated") == {"yes": 1, "no": 2}
    assert counts(response, "sdg")["3"] == 2


def test_facet_counts_follow_the_search_and_filters(client, records):
    response = client.get(reverse("innovations:list"), {"sector": "health"})
    assert counts(response, "stage") == {"initiative": 0, "trial": 1, "implemented": 1}
    response = client.get(reverse("innovations:list"), {"q": "Siak"})
    assert counts(response, "province") == {"riau": 1}


def test_award_facet_follows_awards_added_and_removed(records):
    a = records[0]
    award = Award.objects.create(innovation=a, program="iga", rank="innovative", year=2023)
    a.refresh_from_db()
    assert {"a:iga", "a:any"} <= set(a.facet_keys)
    award.delete()
    a.refresh_from_db()
    assert "a:any" not in a.facet_keys


def test_unknown_facet_values_are_ignored_with_a_message(client, records):
    response = client.get(
        reverse("innovations:list"), {"sector": "nope", "province": "atlantis", "year": "abc"}
    )
    assert response.status_code == 200
    assert names(response) == ["A", "B", "C"]
    assert response.context["invalid_filters"]


def test_filter_forms_share_their_choices_and_still_speak_each_language(db):
    """A facet field's choices are shared with the form built from it (not deep-copied for each form),
    fields stay separate per form, and labels follow the language active when they are drawn."""
    from django.http import QueryDict
    from django.utils import translation

    from innovations.filters import cleaned_filterset

    first = cleaned_filterset(QueryDict("sector=health"), Innovation.objects.none())
    second = cleaned_filterset(QueryDict(""), Innovation.objects.none())
    # The form's field shares the filter field's choices instead of a deep copy made for the form.
    sector = first.form.fields["sector"]
    assert sector._choices is first.filters["sector"].field._choices
    assert first.form.fields["sector"] is not second.form.fields["sector"]
    labels = dict(first.form.fields["sector"].choices)
    with translation.override("en"):
        english = str(labels["health"])
    with translation.override("id"):
        indonesian = str(labels["health"])
    assert english == "Health" and indonesian != english
    assert first.form.cleaned_data["sector"] == ["health"] and second.form.cleaned_data["sector"] == []
