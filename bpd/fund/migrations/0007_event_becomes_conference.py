"""The Fund's own event table becomes the conference list (bpd.conferences): every event
is copied to a conference (listed ones published, ones a leader added "suggested" by
that leader), every application points at its copy, and the old table goes."""

from django.db import migrations, models
from django.utils.text import slugify


def copy_events(apps, schema_editor):
    Event = apps.get_model("fund", "Event")
    Conference = apps.get_model("conferences", "Conference")
    Application = apps.get_model("fund", "Application")
    taken = set(Conference.objects.values_list("slug", flat=True))
    for event in Event.objects.order_by("pk"):
        base = slugify(f"{event.name} {event.starts_on:%Y}")[:200] or "conference"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        first = Application.objects.filter(event=event).order_by("pk").first()
        conference = Conference.objects.create(
            name=event.name,
            slug=slug,
            url=event.url,
            city=event.city,
            country=event.country,
            starts_on=event.starts_on,
            ends_on=max(event.ends_on, event.starts_on),
            status="published" if event.listed else "suggested",
            suggested_by_id=None if event.listed or first is None else first.applicant_id,
        )
        Application.objects.filter(event=event).update(conference=conference)


def copy_back(apps, schema_editor):
    Event = apps.get_model("fund", "Event")
    Application = apps.get_model("fund", "Application")
    for application in Application.objects.exclude(conference=None).select_related("conference"):
        conference = application.conference
        event, _created = Event.objects.get_or_create(
            name=conference.name,
            starts_on=conference.starts_on,
            defaults={
                "url": conference.url,
                "city": conference.city,
                "country": conference.country,
                "ends_on": conference.ends_on,
                "listed": conference.status == "published",
            },
        )
        application.event = event
        application.save(update_fields=["event"])


def check_constraints_now(apps, schema_editor):
    """PostgreSQL defers foreign-key checks to the end of the transaction; the rows written
    above must be checked before the tables are altered below ("pending trigger events")."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0001_initial"),
        ("fund", "0006_issue12_visa_checks_letters_refunds"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="conference",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="conferences.conference",
            ),
        ),
        migrations.RunPython(copy_events, copy_back),
        migrations.RunPython(check_constraints_now, check_constraints_now),
        migrations.RemoveField(model_name="application", name="event"),
        migrations.RenameField(model_name="application", old_name="conference", new_name="event"),
        migrations.AlterField(
            model_name="application",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                to="conferences.conference",
                verbose_name="event",
            ),
        ),
        migrations.DeleteModel(name="Event"),
    ]
