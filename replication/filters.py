"""Filters of the public replication list and its open data (django-filter)."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovations.models import Sector
from jipp.models import Hub, Province
from replication.models import ReplicationRequest

PUBLIC_STAGE_CHOICES = [
    (value, label)
    for value, label in ReplicationRequest.Status.choices
    if value in ReplicationRequest.PUBLIC_STATUSES
]


class PublicReplicationFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        field_name="requesting_agency__province",
        to_field_name="slug",
        queryset=Province.objects.order_by("name"),
        label=_("Province"),
        empty_label=_("All provinces"),
    )
    hub = django_filters.ModelChoiceFilter(
        field_name="hub",
        to_field_name="slug",
        queryset=Hub.objects.order_by("name"),
        label=_("Hub"),
        empty_label=_("All hubs"),
    )
    stage = django_filters.ChoiceFilter(
        field_name="status", choices=PUBLIC_STAGE_CHOICES, label=_("Stage"), empty_label=_("All stages")
    )
    sector = django_filters.ChoiceFilter(
        field_name="source__sector", choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors")
    )
    year = django_filters.NumberFilter(
        method="filter_year",
        label=_("Year requested"),
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )

    class Meta:
        model = ReplicationRequest
        fields = []

    def filter_year(self, queryset, name, value):
        year = int(value)
        if not 2000 <= year <= 2100:
            return queryset.none()
        # A range on the timestamp (not __year) so an index on created_at can serve it.
        tz = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
        return queryset.filter(created_at__gte=start, created_at__lt=end)
