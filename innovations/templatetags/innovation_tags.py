import datetime
from html import escape

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from innovations.models import SDG_GOALS, Innovation

register = template.Library()


@register.simple_tag
def facet_options(name, options):
    """The checkboxes of one facet. Built in Python with the standard library's escape (the same five
    characters as Django's): a hundred options through template loops or format_html cost more than
    the page's queries."""
    name = escape(str(name))
    items = []
    for value, label, count, selected in options:
        value = escape(str(value))
        number = (intcomma(count) if count >= 1000 else str(count)) if count else "–"
        items.append(
            f'<li><input type="checkbox" name="{name}" value="{value}" id="f-{name}-{value}"'
            f'{" checked" if selected else ""}><label for="f-{name}-{value}">{escape(str(label))} '
            f'<span class="count">{number}</span></label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value is escaped above


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
