"""The Fund's audit events move into the platform's audit log, where they outlive rounds."""

from django.db import migrations


def forwards(apps, schema_editor):
    Entry = apps.get_model("audit", "Entry")
    AuditEvent = apps.get_model("fund", "AuditEvent")
    known = {
        "round_created", "round_changed", "submitted", "withdrawn", "conflict_declared",
        "review_submitted", "decision_staged", "decisions_released", "offered", "waitlisted",
        "declined", "offer_accepted", "offer_declined", "offer_lapsed", "rate_set",
        "booking_added", "booking_status", "out_of_pocket_recorded", "out_of_pocket_settled",
        "visa_outcome", "report_submitted",
    }  # fmt: skip
    entries = []
    events = AuditEvent.objects.select_related("actor", "round", "application__applicant")
    for event in events.iterator():
        detail = dict(event.detail or {})
        before = {"status": detail.pop("before")} if "before" in detail else {}
        after = {"status": detail.pop("after")} if "after" in detail else {}
        application = event.application
        subject = ("fund.application", application) if application else ("fund.round", event.round)
        entries.append(
            Entry(
                at=event.at,
                actor=event.actor,
                actor_label=event.actor.email if event.actor else "",
                verb=f"fund.{event.action}" if event.action in known else "fund.round_changed",
                subject_type=subject[0],
                subject_id=str(subject[1].pk),
                subject_label=f"{event.round.name} #{application.pk}"
                if application
                else event.round.name,
                parent_type="fund.round" if application else "",
                parent_id=str(event.round_id) if application else "",
                person=application.applicant if application else None,
                before=before,
                after=after,
                detail=detail if event.action in known else {**detail, "action": event.action},
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("fund", "0002_applicant_kept_anonymously"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
    ]
