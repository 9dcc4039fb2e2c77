from django import template

register = template.Library()


@register.filter
def thousands(value: int) -> str:
    """12345 -> "12,345" (locale-aware formatting comes with the translations)."""
    return f"{int(value):,}"
