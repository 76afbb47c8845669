"""Loading visa requirements and consulate wait times. Everything is checked before anything is written."""

import csv
import datetime as dt
import io

from django.db import transaction

from bpd.fund import visa, waittimes
from bpd.fund.models import VisaDataset, VisaRequirement, WaitTime, WaitTimeImport
from bpd.members.gazetteer import fold
from bpd.members.models import City


def load_visa_requirements(path_or_text, *, as_of, source):
    """Replace the requirements with a passport-index-style CSV (Passport,Destination,Requirement)."""
    if "\n" in str(path_or_text):
        text = path_or_text
    else:
        with open(path_or_text, encoding="utf-8") as handle:
            text = handle.read()
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["Passport", "Destination", "Requirement"]:
        raise waittimes.WaitTimeError([(1, "the header must be: Passport,Destination,Requirement")])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):
        passport, destination = (
            record["Passport"].strip().upper(),
            record["Destination"].strip().upper(),
        )
        if len(passport) != 2 or len(destination) != 2:
            problems.append((number, "country codes must have two letters"))
            continue
        value = record["Requirement"].strip()
        requirement = visa.requirement_from_dataset(value)
        if requirement == visa.Requirement.UNKNOWN:
            problems.append((number, f"unknown requirement {value!r}"))
            continue
        days = int(value) if value.isdigit() else None
        rows.append(
            VisaRequirement(
                passport=passport, destination=destination, requirement=requirement.value, days=days
            )
        )
    if problems:
        raise waittimes.WaitTimeError(problems[:20])
    with transaction.atomic():
        VisaRequirement.objects.all().delete()
        VisaRequirement.objects.bulk_create(rows, batch_size=5000)
        dataset = VisaDataset.objects.create(source=source, as_of=as_of, rows=len(rows))
    return dataset


def import_wait_times(*, content, kind, destination, as_of, source, imported_by):
    """`kind` is "csv" or "state_department_html". Returns the WaitTimeImport."""
    if as_of > dt.date.today():
        raise waittimes.WaitTimeError([(0, "the as-of date is in the future")])
    rows = (
        waittimes.parse_csv(content)
        if kind == "csv"
        else waittimes.parse_state_department_html(content)
    )
    problems, resolved = [], []
    for row in rows:
        country = row.country or _country_of_post(row.post)
        if not country:
            problems.append(
                (
                    row.line,
                    f"cannot tell which country the post {row.post!r} is in; use the CSV import",
                )
            )
            continue
        resolved.append((row, country))
    if problems:
        raise waittimes.WaitTimeError(problems)
    with transaction.atomic():
        batch = WaitTimeImport.objects.create(
            source=source, destination=destination.upper(), as_of=as_of, imported_by=imported_by
        )
        WaitTime.objects.bulk_create(
            WaitTime(
                batch=batch,
                post=row.post,
                post_country=country,
                category=row.category,
                wait_days=row.wait.days,
                closed=row.wait.closed,
            )
            for row, country in resolved
        )
    return batch


def _country_of_post(post):
    """The country of a consulate named by its city (the biggest city of that name)."""
    city = City.objects.filter(ascii_name=fold(post.split("(")[0])).order_by("-population").first()
    return city.country if city else ""
