"""Reads for learning programmes: what visitors see, a programme's cohorts with their
places, a member's own enrolments, and what a host needs to record attendance."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from bpd.learning.models import Cohort, Enrolment, Material, Programme, ProgrammeText
from bpd.members.roles import is_executor
from bpd.website import languages

E = Enrolment.Status


def published():
    return Programme.objects.filter(status=Programme.Status.PUBLISHED)


def with_places(cohorts):
    """Cohorts annotated with `taking_part` and `waiting`."""
    return cohorts.annotate(
        taking_part=Count("enrolments", filter=Q(enrolments__status=E.ENROLLED)),
        waiting=Count("enrolments", filter=Q(enrolments__status=E.WAITING)),
    )


def index(now=None):
    """Published programmes, each with `open_cohorts` (sign-up open now). Two queries."""
    now = now or timezone.now()
    return list(
        published()
        .annotate(
            open_cohorts=Count(
                "cohorts",
                filter=Q(cohorts__signup_opens_at__lte=now, cohorts__signup_closes_at__gt=now),
            )
        )
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class Text:
    description: str
    language: str
    translated: bool  # False: the reader's language had none, this is the original


def text_for(programme, language=None) -> Text:
    language = language or languages.current()
    if language != programme.language:
        found = (
            ProgrammeText.objects.filter(programme=programme, language=language)
            .values_list("description", flat=True)
            .first()
        )
        if found:
            return Text(found, language, True)
        return Text(programme.description, programme.language, False)
    return Text(programme.description, programme.language, True)


def book_club_reading_list(request, language):
    """A page's `[[component:books]]`: the books of the first published book club (as the
    learning page orders programmes), two queries. None (nothing shown) without a book
    club or while its list is empty."""
    programme = published().filter(kind=Programme.Kind.BOOK_CLUB).order_by("title", "pk").first()
    if programme is None:
        return None
    books = list(
        Material.objects.filter(programme=programme, kind=Material.Kind.BOOK).order_by(
            "position", "pk"
        )
    )
    return {"programme": programme, "books": books} if books else None


def materials(programme):
    return list(
        Material.objects.filter(programme=programme)
        .select_related("offer__partner")
        .order_by("position", "pk")
    )


def cohorts(programme, user, now=None):
    """The programme's cohorts, newest first, each with places, its event, whether
    sign-up is open (`open`), the viewer's enrolment (`mine`) and whether they host it."""
    now = now or timezone.now()
    rows = list(
        with_places(Cohort.objects.filter(programme=programme))
        .select_related("event")
        .order_by("-signup_opens_at", "pk")
    )
    mine, hosting = {}, set()
    if user.is_authenticated:
        mine = {e.cohort_id: e for e in Enrolment.objects.filter(user=user, cohort__in=rows)}
        hosting = set(
            Cohort.hosts.through.objects.filter(user_id=user.pk, cohort__in=rows).values_list(
                "cohort_id", flat=True
            )
        )
    staff = user.is_authenticated and is_executor(user)
    for cohort in rows:
        cohort.open = cohort.signup_opens_at <= now < cohort.signup_closes_at
        cohort.left = max(0, cohort.capacity - cohort.taking_part)
        cohort.mine = mine.get(cohort.pk)
        cohort.can_host = staff or cohort.pk in hosting
    return rows


def enrolments_of(user):
    """The member's enrolments (withdrawn ones left out), newest first."""
    return list(
        Enrolment.objects.filter(user=user)
        .exclude(status=E.WITHDRAWN)
        .select_related("cohort__programme", "cohort__event")
        .order_by("-signed_up_at", "-pk")
    )


def hosted_by(user):
    """Cohorts `user` may run: those they host, or every cohort for executors."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    if is_executor(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(hosts=user)


def completions_shown(user):
    """What a member chose to show on their profile: programme titles they completed."""
    return list(
        Enrolment.objects.filter(user=user, show_completion=True, completed_at__isnull=False)
        .select_related("cohort__programme")
        .order_by("completed_at")
    )
