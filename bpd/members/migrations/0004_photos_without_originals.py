"""Photos: originals (with their metadata and file names) are deleted, and each small
copy moves to a random, unguessable name."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations


def forwards(apps, schema_editor):
    Profile = apps.get_model("members", "Profile")
    for profile in Profile.objects.exclude(photo="", photo_small="").iterator():
        if profile.photo_small:
            old = profile.photo_small.name
            if default_storage.exists(old):
                with default_storage.open(old, "rb") as current:
                    content = current.read()
                name = default_storage.save(
                    f"members/{secrets.token_urlsafe(18)}.webp", ContentFile(content)
                )
                default_storage.delete(old)
                profile.photo_small = name
            else:
                profile.photo_small = ""
        if profile.photo and default_storage.exists(profile.photo.name):
            default_storage.delete(profile.photo.name)
        profile.photo = ""
        profile.photo_source_name = ""
        profile.save(update_fields=["photo", "photo_small", "photo_source_name"])


class Migration(migrations.Migration):
    dependencies = [("members", "0003_logs_move_to_audit")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
