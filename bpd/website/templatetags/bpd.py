from django import template

from bpd.website import languages

register = template.Library()


@register.filter
def country_name(code):
    """ISO 3166 code to the country's name in the reader's language."""
    return languages.country_name(code)
