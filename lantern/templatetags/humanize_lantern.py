from django import template

from lantern.i18n import format_number

register = template.Library()


@register.filter
def thousands(value: int) -> str:
    """12345 -> "12,345" in English, "12 345" in Belarusian: grouped for the page's language."""
    return format_number(value)
