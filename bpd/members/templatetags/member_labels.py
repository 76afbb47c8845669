"""Readable labels for the codes the audit log stores: `{% load audit_labels %}`."""

from django import template
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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


DETAIL_LABELS = {
    "fields": _("fields seen"),
    "context": _("where"),
    "counts": _("records removed"),
    "member_since_year": _("member since"),
    "published_choice": _("what they published"),
    "role": _("role"),
    "roles": _("roles"),
}


@register.filter
def detail_label(key):
    """A key of an audit entry's details as staff read it ("fields seen"), not its code."""
    return str(DETAIL_LABELS.get(key, key.replace("_", " ")))
