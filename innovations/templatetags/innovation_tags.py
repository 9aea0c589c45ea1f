import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from innovations.models import SDG_GOALS, Innovation

register = template.Library()


@register.simple_tag
def facet_options(name, options):
    """The checkboxes of one facet. Built in Python: a hundred options through template loops cost
    more than the page's queries."""
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="{0}" value="{1}" id="f-{0}-{1}"{2}>'
        '<label for="f-{0}-{1}">{3} <span class="count">{4}</span></label></li>',
        (
            (name, value, mark_safe(" checked") if selected else "", label, intcomma(count) if count else "–")
            for value, label, count, selected in options
        ),
    )


@register.filter
def field_label(name):
    return Innovation._meta.get_field(name).verbose_name


@register.filter
def display_value(value, name):
    """A stored value as people read it: choice labels, SDG names, dates."""
    field = Innovation._meta.get_field(name)
    if name == "sdgs":
        return ", ".join(f"{goal}. {SDG_GOALS.get(goal, '')}" for goal in value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return value
