"""The private-data access log and the deletion log move into the platform's audit log."""

from django.db import migrations


def forwards(apps, schema_editor):
    Entry = apps.get_model("audit", "Entry")
    AccessLog = apps.get_model("members", "AccessLog")
    DeletionLog = apps.get_model("members", "DeletionLog")
    entries = []
    for log in AccessLog.objects.select_related("staff", "member").iterator():
        entries.append(
            Entry(
                at=log.at,
                actor=log.staff,
                actor_label=log.staff.email if log.staff else "",
                verb="member.private_viewed",
                subject_type="members.user",
                subject_id=str(log.member_id),
                subject_label=log.member.email,
                person=log.member,
                detail={
                    "fields": [f.strip() for f in log.fields.split(",")],
                    "context": log.context,
                },
            )
        )
    for log in DeletionLog.objects.iterator():
        entries.append(
            Entry(
                at=log.deleted_at,
                verb="member.account_deleted",
                detail={
                    "member_since_year": log.member_since_year,
                    "roles": [r for r in log.roles.split(",") if r],
                    "published_choice": log.published_choice,
                    "counts": log.counts,
                },
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("members", "0002_directory_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="AccessLog"),
        migrations.DeleteModel(name="DeletionLog"),
    ]
