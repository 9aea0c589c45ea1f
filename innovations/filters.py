"""Facets of the innovation list, shared by the pages, the API and the exports (django-filter).

Facets filter on ``Innovation.facet_keys`` (values of one facet OR'ed with ``&&``, facets AND'ed):
checked in the newest-first index, which INCLUDEs the keys, when browsing. With search words,
province/hub and sector use the btree (province, sector, status) and stage, form and type plain
column tests, so no long GIN posting list is read. Unknown values are dropped with a message on
pages and give a 400 in the API; they never reach SQL.
"""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innovations.models import SDG_GOALS, Award, Form, Kind, Sector, Stage
from jipp.models import Agency, Hub, Province, Regency

FIRST_YEAR = 2000


def year_choices():
    return [(str(year), str(year)) for year in range(date.today().year, FIRST_YEAR - 1, -1)]


class _SharedChoices:
    """A choice field whose choices the forms built from it share. Django deep-copies every field's
    choices into each form (about 900 copies of lazy labels for this filter form, about a millisecond
    on every list and search page); no form changes them, so sharing them is safe."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class SharedMultipleChoiceField(_SharedChoices, django_filters.fields.MultipleChoiceField):
    pass


class SharedChoiceField(_SharedChoices, django_filters.fields.ChoiceField):
    pass


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A multiple-choice facet filtering on ``facet_keys`` with ``prefix:value`` tokens."""

    field_class = SharedMultipleChoiceField

    def __init__(self, *args, prefix, column=None, **kwargs):
        self.prefix = prefix
        self.column = column
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.column and getattr(self.parent, "searching", False):
            # A value in most rows (stage "implemented", type "digital") would make the GIN index
            # read a posting list of half the table; a plain column test on the rows found by the
            # other conditions is cheaper.
            return qs.filter(**{f"{self.column}__in": value})
        return qs.filter(facet_keys__overlap=[f"{self.prefix}:{v}" for v in value])


class ModelFacetFilter(django_filters.ModelMultipleChoiceFilter):
    """Provinces and hubs by slug; both narrow to provinces (a hub serves one province)."""

    def __init__(self, *args, key, **kwargs):
        self.key = key
        super().__init__(*args, to_field_name="slug", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if getattr(self.parent, "searching", False):
            # The column, not facet_keys: with the sector it is the btree innovation_place_sector,
            # which finds "health in East Java" without intersecting two long GIN posting lists.
            return qs.filter(province_id__in=[self.key(obj) for obj in value])
        return qs.filter(facet_keys__overlap=[f"p:{self.key(obj)}" for obj in value])


class SingleFacetFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField

    def __init__(self, *args, keys, **kwargs):
        self.keys = keys
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.keys[value] == "r:0" and getattr(self.parent, "searching", False):
            return qs.filter(replication_count=0)  # most rows: a column test, not the GIN index
        return qs.filter(facet_keys__contains=[self.keys[value]])


AWARD_KEYS = {"any": "a:any", **{program: f"a:{program}" for program in Award.Program.values}}
REPLICATED_KEYS = {"yes": "r:1", "no": "r:0"}


class InnovationFilter(django_filters.FilterSet):
    province = ModelFacetFilter(queryset=Province.objects.all(), key=lambda p: p.pk, label=_("Province"))
    hub = ModelFacetFilter(queryset=Hub.objects.all(), key=lambda h: h.province_id, label=_("Hub"))
    level = FacetFilter(prefix="l", choices=Agency.Level.choices, label=_("Government level"))
    region = FacetFilter(prefix="rk", choices=Regency.Kind.choices, label=_("Kind of region"))
    sector = FacetFilter(prefix="s", column="sector", choices=Sector.choices, label=_("Sector"))
    stage = FacetFilter(prefix="g", column="stage", choices=Stage.choices, label=_("Stage"))
    form = FacetFilter(prefix="f", column="form", choices=Form.choices, label=_("Form"))
    type = FacetFilter(
        prefix="k", column="kind", choices=Kind.choices, label=pgettext_lazy("innovation type", "Type")
    )
    year = FacetFilter(prefix="y", choices=year_choices, label=_("Year started"))
    sdg = FacetFilter(
        prefix="d", choices=[(str(goal), label) for goal, label in SDG_GOALS.items()], label=_("SDG goal")
    )
    award = SingleFacetFilter(
        keys=AWARD_KEYS,
        choices=[("any", _("Any award")), *Award.Program.choices],
        label=_("Award"),
    )
    replicated = SingleFacetFilter(
        keys=REPLICATED_KEYS,
        choices=[("yes", _("Replicated elsewhere")), ("no", _("Not replicated yet"))],
        label=_("Replication"),
    )

    def __init__(self, *args, searching=False, **kwargs):
        # With search words the candidates come from the text index and the facets are checked on
        # columns (btree (province, sector, status), plain tests); without, the newest rows are read
        # from the index that INCLUDEs facet_keys, so facet tests on the keys cost no heap access.
        self.searching = searching
        super().__init__(*args, **kwargs)

    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.listed(), to_field_name="slug", field_name="agency", label=_("Agency")
    )

    # Facet name -> key prefix, for reading counts back out of facet_keys.
    PREFIXES = {
        "level": "l",
        "region": "rk",
        "sector": "s",
        "stage": "g",
        "form": "f",
        "type": "k",
        "year": "y",
        "sdg": "d",
    }


def cleaned_filterset(data, queryset, *, searching=False):
    """A bound filterset whose invalid fields are dropped (with their errors kept for display)."""
    filterset = InnovationFilter(data, queryset=queryset, searching=searching)
    filterset.is_valid()
    return filterset
