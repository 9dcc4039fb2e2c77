from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """The language's own name ("Беларуская", "Čeština"), or its code if Django has none."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code
