"""Writes of the people who run learning programmes: executors create and change
programmes (with their descriptions in other languages) and their cohorts; a cohort's
hosts change their own cohort and the programme's materials. Each write checks who is
asking, checks bounds again (forms check them first), runs in one transaction and is
recorded in the audit log."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.learning import services
from bpd.learning.models import TEXT_LIMIT, Cohort, Material, Programme, ProgrammeText
from bpd.members.roles import is_executor
from bpd.website import slugs

# A programme's public page; an address another learning page answers ("manage", "mine")
# cannot be a programme's.
DETAIL = "learning:detail"
PROGRAMME_FIELDS = ("kind", "title", "slug", "language", "description", "status")
COHORT_FIELDS = (
    "name",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "event",
    "sessions_to_complete",
)
MATERIAL_FIELDS = ("kind", "title", "author", "url", "offer", "position")
MAX_CAPACITY = 1000
MAX_SESSIONS = 200


class ManageError(services.LearningError):
    """A change refused; `field` names the form field at fault, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def may_run_programme(user, programme) -> bool:
    """Executors, and the hosts of any cohort of the programme (its reading list)."""
    if not user.is_authenticated:
        return False
    return is_executor(user) or programme.cohorts.filter(hosts=user).exists()


def save_programme(*, programme=None, by, data: dict) -> Programme:
    """Executors create (`programme` None) or change a programme. `data` holds
    PROGRAMME_FIELDS and `texts` ({language: description}; "" removes one)."""
    if not is_executor(by):
        raise ManageError(_("Only executors create and change programmes."))
    with transaction.atomic():
        if programme is None:
            programme, before = Programme(created_by=by), {}
        else:
            programme = Programme.objects.select_for_update().get(pk=programme.pk)
            before = {key: getattr(programme, key) for key in PROGRAMME_FIELDS}
        for key in ("kind", "language", "status"):
            setattr(programme, key, data.get(key, getattr(programme, key)))
        programme.title = " ".join((data.get("title") or "").split())[:140]
        programme.description = (data.get("description") or "").replace("\r\n", "\n").strip()
        if not programme.title:
            raise ManageError(_("Give the programme a title."), "title")
        if not programme.description or len(programme.description) > TEXT_LIMIT:
            raise ManageError(
                _("Describe the programme (at most 8,000 characters)."), "description"
            )
        if programme.kind not in Programme.Kind.values:
            raise ManageError(_("Choose what kind of programme it is."), "kind")
        if programme.status not in Programme.Status.values:
            raise ManageError(_("Choose the programme's status."), "status")
        if programme.language not in dict(settings.LANGUAGES):
            raise ManageError(_("Choose a language of the site."), "language")
        slug = (data.get("slug") or "").strip()
        if slug and slug != programme.slug:
            if slugify(slug) != slug or slugs.answered_elsewhere(DETAIL, slug):
                raise ManageError(_("This address cannot be used: choose another."), "slug")
            if Programme.objects.filter(slug=slug).exclude(pk=programme.pk).exists():
                raise ManageError(_("Another programme has this address already."), "slug")
            programme.slug = slug
        elif not programme.slug:
            programme.slug = slugs.unique_slug(
                Programme.objects.exclude(pk=programme.pk),
                programme.title,
                fallback="programme",
                url_name=DETAIL,
                length=140,
            )
        try:
            with transaction.atomic():
                programme.save()
        except IntegrityError:
            raise ManageError(_("Another programme has this address already."), "slug") from None
        _save_texts(programme, data.get("texts") or {})
        after = {key: getattr(programme, key) for key in PROGRAMME_FIELDS}
        audit.log(
            actor=by,
            verb=Verb.LEARNING_CHANGED,
            subject=programme,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            what="programme",
        )
    return programme


def _save_texts(programme, texts):
    languages = dict(settings.LANGUAGES)
    for language, text in texts.items():
        text = (text or "").replace("\r\n", "\n").strip()[:TEXT_LIMIT]
        if language not in languages:
            continue
        if language == programme.language or not text:
            ProgrammeText.objects.filter(programme=programme, language=language).delete()
        else:
            ProgrammeText.objects.update_or_create(
                programme=programme, language=language, defaults={"description": text}
            )


def save_cohort(*, cohort=None, programme=None, by, data: dict, hosts=None) -> Cohort:
    """Executors create a cohort of `programme` or change any cohort; a cohort's hosts
    change their own (not who hosts it). `hosts`: users, executors only. More places
    give the people waiting theirs, in the order they signed up."""
    executor = is_executor(by)
    with transaction.atomic():
        if cohort is None:
            if not executor:
                raise ManageError(_("Only executors create cohorts."))
            cohort, before = Cohort(programme=programme), {}
        else:
            cohort = services.locked(cohort)
            if not (executor or cohort.hosts.filter(pk=by.pk).exists()):
                raise ManageError(_("Only the cohort's hosts and executors change it."))
            before = {key: str(getattr(cohort, key)) for key in COHORT_FIELDS}
        for key in COHORT_FIELDS:
            if key in data:
                setattr(cohort, key, data[key])
        cohort.name = " ".join((cohort.name or "").split())[:120]
        if not cohort.name:
            raise ManageError(_("Give the cohort a name, such as Spring 2027."), "name")
        if not 1 <= (cohort.capacity or 0) <= MAX_CAPACITY:
            raise ManageError(_("Places: a whole number from 1 to 1,000."), "capacity")
        if not 1 <= (cohort.sessions_to_complete or 0) <= MAX_SESSIONS:
            raise ManageError(
                _("Sessions to attend: a whole number from 1 to 200."), "sessions_to_complete"
            )
        if not (cohort.signup_opens_at and cohort.signup_closes_at):
            raise ManageError(_("Give when sign-up opens and closes."), "signup_opens_at")
        if cohort.signup_closes_at <= cohort.signup_opens_at:
            raise ManageError(_("Sign-up must close after it opens."), "signup_closes_at")
        cohort.save()
        if hosts is not None and executor:
            cohort.hosts.set(hosts)
        services.fill_places(cohort)
        after = {key: str(getattr(cohort, key)) for key in COHORT_FIELDS}
        audit.log(
            actor=by,
            verb=Verb.LEARNING_CHANGED,
            subject=cohort,
            parent=cohort.programme,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            what="cohort",
            hosts=[user.pk for user in hosts] if hosts is not None and executor else None,
        )
    return cohort


def save_material(*, material=None, programme, by, data: dict) -> Material:
    """Add a material to the programme's list, or change one (executors and its hosts)."""
    if not may_run_programme(by, programme):
        raise ManageError(_("Only the programme's hosts and executors change its materials."))
    with transaction.atomic():
        material = material or Material(programme=programme)
        for key in MATERIAL_FIELDS:
            if key in data:
                value = data[key]
                setattr(material, key, value.strip() if isinstance(value, str) else value)
        material.title = " ".join(material.title.split())[:200]
        if not material.title:
            raise ManageError(_("Give the material's title."), "title")
        if material.kind not in Material.Kind.values:
            raise ManageError(_("Choose what kind of material it is."), "kind")
        clash = Material.objects.filter(
            programme=programme, title=material.title, author=material.author
        ).exclude(pk=material.pk)
        if clash.exists():
            raise ManageError(_("This programme lists this title by this author already."), "title")
        material.save()
        audit.log(
            actor=by,
            verb=Verb.LEARNING_CHANGED,
            subject=material,
            parent=programme,
            what="material",
            title=material.title,
        )
    return material


def remove_material(*, material, by) -> None:
    programme = material.programme
    if not may_run_programme(by, programme):
        raise ManageError(_("Only the programme's hosts and executors change its materials."))
    with transaction.atomic():
        audit.log(
            actor=by,
            verb=Verb.LEARNING_CHANGED,
            subject=programme,
            what="material removed",
            title=material.title,
        )
        material.delete()
