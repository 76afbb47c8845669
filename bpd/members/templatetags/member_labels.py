"""Readable labels for the codes the audit log stores: `{% load audit_labels %}`."""

from django import template
from django.apps import apps
from django.utils.text import capfirst

from bpd.audit.verbs import Verb
from bpd.members.roles import Role

register = template.Library()


@register.filter
def verb_label(code):
    """An audit verb's translated label ("Decision staged"), never its code."""
    try:
        return Verb(code).label
    except ValueError:
        return code


@register.filter
def kind_label(code):
    """An object kind ("fund.application") as the model's translated name ("Application")."""
    if not code:
        return ""
    try:
        return str(capfirst(apps.get_model(code)._meta.verbose_name))
    except (LookupError, ValueError):
        return code


@register.filter
def role_labels(groups):
    """Groups (or their names) as the roles' translated labels, joined: "Community leader, Treasurer"."""
    names = [getattr(group, "name", group) for group in groups]
    return ", ".join(str(Role(name).label) if name in Role.values else name for name in names)
