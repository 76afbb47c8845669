"""Reads: the newest figures, cached until a new snapshot is saved (it bumps the
content version: `registry.add_public_content` in apps.py)."""

from bpd.insights.models import Snapshot
from bpd.website.versions import CONTENT, versioned


def latest(part):
    """The newest snapshot's `part` ("public" or "staff") as a dict, with "id"; None
    before the first run. One query per content version, then the cache."""
    if part not in {"public", "staff"}:
        raise ValueError(part)
    key = f"insights:{part}:{CONTENT.get()}"
    found = versioned.get(key)
    if found is None:
        row = Snapshot.objects.order_by("-computed_at", "-pk").values_list("pk", part).first()
        found = {"id": row[0], **row[1]} if row else {}
        versioned.set(key, found, 3600)
    return found or None
