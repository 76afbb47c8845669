"""Reads of the audit log."""

from django.db.models import Q

from bpd.audit.models import Entry
from bpd.audit.services import object_key


def history(obj, *, limit=None):
    """Entries about `obj`, or filed under it (a round's history includes its applications')."""
    kind, pk = object_key(obj)
    entries = Entry.objects.filter(
        Q(subject_type=kind, subject_id=pk) | Q(parent_type=kind, parent_id=pk)
    ).select_related("actor")
    return entries[:limit] if limit else entries


def search(*, person="", subject_type="", subject_id="", verb=""):
    """The staff view's filters: a person (who acted, or whom it is about; by email or
    recorded label), an object (type and optionally id) and a verb."""
    entries = Entry.objects.all()
    if person:
        entries = entries.filter(
            Q(actor_label__icontains=person)
            | Q(person__email__icontains=person)
            | Q(subject_label__icontains=person)
        )
    if subject_type:
        entries = entries.filter(Q(subject_type=subject_type) | Q(parent_type=subject_type))
    if subject_id:
        entries = entries.filter(Q(subject_id=subject_id) | Q(parent_id=subject_id))
    if verb:
        entries = entries.filter(verb=verb)
    return entries.select_related("person")


def subject_types():
    """Object types present in the log, for the filter's choices."""
    return list(
        Entry.objects.order_by("subject_type")
        .exclude(subject_type="")
        .values_list("subject_type", flat=True)
        .distinct()
    )
