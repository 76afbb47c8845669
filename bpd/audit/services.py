"""The one writer of the audit log. Every programme records through `log`."""

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb

FORGOTTEN = "deleted member"


def object_key(obj):
    """("app_label.model", "pk") for a model instance, or ("", "") for None."""
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _label(obj):
    return str(obj)[:200] if obj is not None else ""


def _user_label(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return getattr(user, "email", "") or str(user.pk)


def log(
    *,
    actor,
    verb,
    subject=None,
    parent=None,
    person=None,
    before=None,
    after=None,
    reason="",
    **detail,
):
    """Record that `actor` (a user, or None for the system) did `verb` to `subject`.

    `parent` files the entry under a second object too (an application's round);
    `person` is the member the entry is about. Call it inside the transaction of
    the change it records, so both are written or neither.
    """
    verb = Verb(verb)
    subject_type, subject_id = object_key(subject)
    parent_type, parent_id = object_key(parent)
    return Entry.objects.create(
        actor=actor if _user_label(actor) else None,
        actor_label=_user_label(actor),
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=_label(subject),
        parent_type=parent_type,
        parent_id=parent_id,
        person=person,
        before=before or {},
        after=after or {},
        reason=reason,
        detail=_jsonable(detail),
    )


def log_many(entries):
    """Write several prepared entries in one query (for bulk reads such as a CSV export)."""
    return Entry.objects.bulk_create(entries)


def entry(*, actor, verb, subject=None, person=None, **detail):
    """An unsaved entry for `log_many`."""
    subject_type, subject_id = object_key(subject)
    return Entry(
        actor=actor,
        actor_label=_user_label(actor),
        verb=Verb(verb),
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=_label(subject),
        person=person,
        detail=_jsonable(detail),
    )


def forget_person(user):
    """Keep the entries about and by a departing member, without their name or address."""
    key = object_key(user)
    Entry.objects.filter(actor=user).update(actor_label=FORGOTTEN)
    Entry.objects.filter(subject_type=key[0], subject_id=key[1]).update(subject_label=FORGOTTEN)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
