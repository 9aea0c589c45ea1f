from django import template

from jipp.monitoring import record_url as _record_url

register = template.Library()


@register.filter
def record_url(obj):
    """``obj.get_absolute_url()``, or "" while the record's page is not part of this build."""
    return _record_url(obj)
