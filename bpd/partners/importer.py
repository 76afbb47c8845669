"""Import BPD's current site's `_data/partnerships.yml` into partners and their offers.

Each entry of the file (name, promo_code, description, url, logo) becomes a `Partner`
(matched by the address made from its name, else by its name whatever its case) and one
approved public `Offer`: a shared code when promo_code is a code, a landing-page link
when it is an address. A re-run finds the same rows and updates them instead of adding
new ones.

All or nothing: the whole file is read and every entry checked before anything is
written, in one transaction; each problem names the entry (its number and name) and the
field. Descriptions are HTML on the old site: they are sanitised with nh3 (what was
removed is reported) and kept as plain text, links written out as "text (address)".
Logos are imported when the Jekyll checkout is given (`site_root`): a raster image becomes
a WebP (`bpd.website.images`); SVG is refused by the site's image checks, so such a logo
is skipped and reported, as is a missing file. Nothing is ever dropped silently: every
skip is a warning in the report.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nh3
import yaml
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.partners.models import CODE_LIMIT, TEXT_LIMIT, Offer, Partner
from bpd.website import images

MAX_BYTES = 1_000_000
MAX_ENTRIES = 500
# The logo is kept as a WebP at most this wide, as communities keep theirs.
LOGO_WIDTH = 320
FIELDS = {"name", "promo_code", "description", "url", "logo"}
NOTE = "Imported from partnerships.yml"
# Kept by the sanitiser; everything else is removed (and reported).
ALLOWED_TAGS = {"a", "b", "br", "code", "em", "i", "p", "strong"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
_http_url = URLValidator(schemes=["http", "https"])
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PERCENT_OFF = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s?%\s+off\b", re.I)
_DAY_TRIAL = re.compile(r"\b(\d{1,3})[- ]day\s+(free\s+)?trial\b", re.I)
_NAMES_BPD = re.compile(r"\b(Black Python Devs|BPD)\b")
_GIVES = re.compile(r"\b(donat\w*|will go to|goes to|give\w* back|contribut\w*)\b", re.I)


class PartnershipsError(Exception):
    """The file cannot be imported; `problems` lists each one (for staff, in their
    language). Nothing was written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Entry:
    """One entry of the file, checked and ready to write."""

    number: int
    name: str
    slug: str
    kind: str
    code: str  # the shared code (kind SHARED_CODE)
    link: str  # the offer's address: where to redeem the code, or the landing page
    website: str  # the partner's address, when the file gives an absolute one
    text: str  # the description as plain text
    value: str
    gives_back: str
    logo: bytes | None = None  # the WebP rendition
    logo_size: tuple = (None, None)

    @property
    def label(self):
        return _("entry %(number)s (%(name)s)") % {"number": self.number, "name": self.name}

    @property
    def title(self):
        return f"{self.name}: {self.value}"[:140]


@dataclass
class Report:
    dry_run: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def summary(self):
        counts = {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "warnings": len(self.warnings),
        }
        if self.dry_run:
            return (
                _(
                    "Dry run, nothing written: would create %(created)s, would update "
                    "%(updated)s, %(unchanged)s unchanged, %(warnings)s warnings."
                )
                % counts
            )
        return (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(warnings)s warnings."
            )
            % counts
        )


# --- Reading and checking ---------------------------------------------------------------


def parse(data: bytes) -> list:
    """The file's entries (the raw YAML list), or PartnershipsError for a file that is too
    big, not UTF-8, not YAML, or not a list of at most MAX_ENTRIES entries."""
    if len(data) > MAX_BYTES:
        raise PartnershipsError(
            [_("The file is larger than %(limit)s bytes.") % {"limit": f"{MAX_BYTES:,}"}]
        )
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise PartnershipsError(
            [_("The file is not UTF-8 text (byte %(at)s).") % {"at": error.start}]
        ) from None
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)s)") % {"line": mark.line + 1} if mark else ""
        raise PartnershipsError(
            [_("The file is not valid YAML%(where)s.") % {"where": where}]
        ) from None
    if not isinstance(entries, list):
        raise PartnershipsError(
            [
                _(
                    "The file must be a list of partnerships (name, promo_code, description, url, logo)."
                )
            ]
        )
    if not entries:
        raise PartnershipsError([_("The file lists no partnership.")])
    if len(entries) > MAX_ENTRIES:
        raise PartnershipsError(
            [_("The file lists %(count)s partnerships; at most %(limit)s are imported at once.")
             % {"count": len(entries), "limit": MAX_ENTRIES}]
        )  # fmt: skip
    return entries


def _text(raw, key):
    """The field as a string ("" when absent); numbers are taken as written."""
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ValueError(_("must be text"))


def _is_http(value):
    try:
        _http_url(value)
    except ValidationError:
        return False
    return True


class _Markup(HTMLParser):
    """Counts tags and attributes, and writes the plain text of sanitised HTML (a link
    as "its words (its address)", unless the words are the address)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.parts, self.open_links = Counter(), Counter(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, _value in attrs:
            self.attributes[(tag, name)] += 1
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            self.parts.append("\n\n")
        elif tag == "a":
            self.open_links.append((len(self.parts), dict(attrs).get("href") or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self.open_links:
            start, href = self.open_links.pop()
            words = "".join(self.parts[start:]).strip()
            if href and href.rstrip("/") != words.rstrip("/"):
                self.parts.append(f" ({href})")
        elif tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        paragraphs = re.split(r"\n\s*\n", "".join(self.parts))
        return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _markup(html):
    reader = _Markup()
    reader.feed(html)
    reader.close()
    return reader


def sanitise(html) -> tuple[str, str, list[str]]:
    """(sanitised HTML, its plain text, what the sanitiser removed)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    before, after = _markup(html), _markup(cleaned)
    removed = [
        f"<{tag}> ({count})" if count > 1 else f"<{tag}>"
        for tag, count in sorted((before.tags - after.tags).items())
    ]
    removed += [
        _("%(attribute)s on <%(tag)s>") % {"attribute": name, "tag": tag}
        for (tag, name) in sorted(before.attributes - after.attributes)
        if tag in after.tags  # a removed tag's attributes went with it
    ]
    if "<!--" in html and "<!--" not in cleaned:
        removed.append(_("comments"))
    return cleaned, after.text(), removed


def value_of(text, kind) -> str:
    """What members get, in a few words, when the description says it plainly ("10% off",
    "a 30-day trial"); "" otherwise."""
    if match := _PERCENT_OFF.search(text):
        return f"{match.group(1)}% off"
    if match := _DAY_TRIAL.search(text):
        return f"a {match.group(1)}-day {'free ' if match.group(2) else ''}trial"
    return ""


def gives_back_of(text) -> str:
    """The one sentence saying what the partner gives BPD (names BPD and a giving verb);
    "" when there is none or more than one (then staff write it)."""
    found = [
        sentence.strip()
        for sentence in _SENTENCE_END.split(text)
        if _NAMES_BPD.search(sentence) and _GIVES.search(sentence)
    ]
    return found[0] if len(found) == 1 and len(found[0]) <= 300 else ""


def _logo(raw_path, site_root, label, warnings):
    """(WebP bytes, width, height) of the entry's logo, or None with a warning."""
    if not raw_path:
        return None
    if site_root is None:
        warnings.append(
            _("%(entry)s: logo %(path)s not imported (give --site-root to import logos).")
            % {"entry": label, "path": raw_path}
        )
        return None
    if urlsplit(raw_path).scheme or raw_path.startswith("//"):
        warnings.append(
            _(
                "%(entry)s: logo skipped: %(path)s is on another site (only files of the site are imported)."
            )
            % {"entry": label, "path": raw_path}
        )
        return None
    root = Path(site_root).resolve()
    path = (root / raw_path.lstrip("/")).resolve()
    if not path.is_relative_to(root):
        warnings.append(
            _("%(entry)s: logo skipped: %(path)s is outside the site.")
            % {"entry": label, "path": raw_path}
        )
        return None
    if not path.is_file():
        warnings.append(
            _("%(entry)s: logo file not found: %(path)s.") % {"entry": label, "path": raw_path}
        )
        return None
    with path.open("rb") as handle:
        head = handle.read(512).lstrip()
    if path.suffix.lower() in {".svg", ".svgz"} or head.startswith(b"<svg") or b"<svg" in head:
        warnings.append(
            _(
                "%(entry)s: logo skipped: SVG not accepted (%(path)s); upload a PNG, JPEG or WebP instead."
            )
            % {"entry": label, "path": raw_path}
        )
        return None
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        try:
            images.check_upload(upload)
        except images.ImageRejected as error:
            warnings.append(
                _("%(entry)s: logo skipped: %(path)s: %(reason)s")
                % {"entry": label, "path": raw_path, "reason": error}
            )
            return None
        content, width, height = images.webp_rendition(upload, width=LOGO_WIDTH)
    return content.read(), width, height


def check(entries, *, site_root=None) -> tuple[list[Entry], list[str]]:
    """Every entry checked: (entries, warnings), or PartnershipsError listing every problem."""
    problems, warnings, checked = [], [], []
    seen_slugs, seen_names = {}, {}
    for number, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            problems.append(
                _(
                    "entry %(number)s: not a partnership (expected name, promo_code, description, url, logo)."
                )
                % {"number": number}
            )
            continue
        try:
            name = _text(raw, "name")
        except ValueError as error:
            problems.append(
                _("entry %(number)s: name %(error)s.") % {"number": number, "error": error}
            )
            continue
        label = (
            _("entry %(number)s (%(name)s)") % {"number": number, "name": name}
            if name
            else _("entry %(number)s") % {"number": number}
        )

        def problem(key, message, label=label):
            problems.append(f"{label}: {key}: {message}")

        for key in sorted(set(raw) - FIELDS, key=str):
            warnings.append(
                _("%(entry)s: field %(field)s ignored.") % {"entry": label, "field": key}
            )
        values = {}
        for key in ("promo_code", "url", "description", "logo"):
            try:
                values[key] = _text(raw, key)
            except ValueError as error:
                problem(key, error)
        if len(values) < 4:
            continue
        code, url, description, logo = values.values()
        slug = slugify(name)[:140].strip("-")
        if not name:
            problem("name", _("missing"))
        elif len(name) > 120:
            problem("name", _("longer than 120 characters"))
        elif not slug:
            problem("name", _("has no letters or digits to make an address from"))
        else:
            other = seen_slugs.get(slug) or seen_names.get(name.lower())
            if other:
                problem("name", _("the same partner as entry %(other)s") % {"other": other})
            seen_slugs.setdefault(slug, number)
            seen_names.setdefault(name.lower(), number)
        kind, shared, link = None, "", ""
        if not code:
            problem("promo_code", _("missing"))
        elif re.match(r"^[a-z][a-z0-9+.-]*://", code, re.I):
            if len(code) > 500 or not _is_http(code):
                problem("promo_code", _("not a valid http(s) address"))
            kind, link = Offer.Kind.LINK, code
        elif len(code) > CODE_LIMIT or any(ch.isspace() or not ch.isprintable() for ch in code):
            problem(
                "promo_code",
                _("not a code (at most %(limit)s characters, no spaces)") % {"limit": CODE_LIMIT},
            )
        else:
            kind, shared = Offer.Kind.SHARED_CODE, code
        website = ""
        if url:
            if url.startswith("/") and not url.startswith("//"):
                warnings.append(
                    _(
                        "%(entry)s: url %(url)s is a page of the old site: not imported as the website."
                    )
                    % {"entry": label, "url": url}
                )
            elif len(url) > 500 or not _is_http(url):
                problem("url", _("not an http(s) address or a path of the site"))
            else:
                website = url
        _cleaned, text, removed = sanitise(description)
        if removed:
            warnings.append(
                _("%(entry)s: description: removed %(removed)s.")
                % {"entry": label, "removed": ", ".join(removed)}
            )
        if len(text) > TEXT_LIMIT:
            problem("description", _("longer than %(limit)s characters") % {"limit": TEXT_LIMIT})
        if problems and problems[-1].startswith(label):
            continue
        if kind == Offer.Kind.SHARED_CODE and not link:
            link = website  # where the code is used: the partner's landing page
        value = value_of(text, kind)
        if not value:
            value = _("A discount code") if kind == Offer.Kind.SHARED_CODE else _("An offer")
            warnings.append(
                _(
                    "%(entry)s: what members get not found in the description: %(value)s (edit it by hand)."
                )
                % {"entry": label, "value": value}
            )
        gives_back = gives_back_of(text)
        if not gives_back and text:
            warnings.append(
                _(
                    "%(entry)s: what the partner gives back not found in the description (left blank)."
                )
                % {"entry": label}
            )
        entry = Entry(
            number=number, name=name, slug=slug, kind=kind, code=shared, link=link,
            website=website, text=text, value=value, gives_back=gives_back,
        )  # fmt: skip
        rendition = _logo(logo, site_root, label, warnings)
        if rendition:
            entry.logo, entry.logo_size = rendition[0], rendition[1:]
        checked.append(entry)
    if problems:
        raise PartnershipsError(problems)
    return checked, warnings


# --- Writing ------------------------------------------------------------------------------


def _find_partner(entry):
    rows = Partner.objects.select_for_update()
    return (
        rows.filter(slug=entry.slug).first()
        or rows.annotate(lower=Lower("name")).filter(lower=entry.name.lower()).first()
    )


def _find_offer(partner, entry):
    """The offer this entry wrote before: the partner's public offer of the same kind with
    the same code or address, else its only public offer of that kind (the code changed)."""
    if partner is None or partner.pk is None:
        return None, 0
    offers = list(
        partner.offers.select_for_update()
        .filter(kind=entry.kind, audience=Offer.Audience.PUBLIC)
        .order_by("pk")
    )
    for offer in offers:
        if (entry.kind == Offer.Kind.SHARED_CODE and offer.shared_code == entry.code) or (
            entry.kind == Offer.Kind.LINK and offer.url == entry.link
        ):
            return offer, len(offers)
    return (offers[0] if len(offers) == 1 else None), len(offers)


def _stored_logo(partner):
    if not partner.logo:
        return None
    try:
        with partner.logo.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def _partner_changes(partner, entry):
    wanted = {"name": entry.name, "description": entry.text}
    if entry.website:
        wanted["website"] = entry.website
    if entry.gives_back and not partner.gives_back:
        wanted["gives_back"] = entry.gives_back  # what staff wrote is kept
    changes = {key: value for key, value in wanted.items() if getattr(partner, key) != value}
    if entry.logo is not None and _stored_logo(partner) != entry.logo:
        changes["logo"] = "(new logo)"
    return changes


def _offer_changes(offer, entry):
    wanted = {"description": entry.text}
    if entry.kind == Offer.Kind.SHARED_CODE:
        wanted["shared_code"] = entry.code
    if entry.link:
        wanted["url"] = entry.link
    return {key: value for key, value in wanted.items() if getattr(offer, key) != value}


def _save_logo(partner, entry):
    from django.core.files.base import ContentFile

    old = partner.logo.name if partner.logo else ""
    partner.logo.save(f"{entry.slug}-logo.webp", ContentFile(entry.logo), save=False)
    partner.logo_width, partner.logo_height = entry.logo_size
    if old and old != partner.logo.name:
        storage = partner.logo.storage
        transaction.on_commit(lambda: storage.delete(old))


def _apply(entry, partner, partner_changes, offer, offer_changes, *, by, now):
    """Write one entry: the partner, then its offer (created approved), audited."""
    new_partner = partner is None
    if new_partner:
        partner = Partner(
            name=entry.name, slug=entry.slug, description=entry.text, gives_back=entry.gives_back,
            website=entry.website, language="en",
        )  # fmt: skip
        before = {}
    else:
        before = {key: getattr(partner, key) for key in partner_changes if key != "logo"}
        for key, value in partner_changes.items():
            if key != "logo":
                setattr(partner, key, value)
    if entry.logo is not None and (new_partner or "logo" in partner_changes):
        _save_logo(partner, entry)
    if new_partner or partner_changes:
        partner.save()
        after = {"name": partner.name, "slug": partner.slug} if new_partner else partner_changes
        audit.log(
            actor=by, verb=Verb.PARTNER_CHANGED, subject=partner, before=before, after=after,
            reason=NOTE,
        )  # fmt: skip
    if offer is None:
        offer = Offer.objects.create(
            partner=partner, kind=entry.kind, title=entry.title, description=entry.text,
            value=entry.value, shared_code=entry.code, url=entry.link,
            audience=Offer.Audience.PUBLIC, status=Offer.Status.APPROVED, created_by=by,
            decided_by=by, decided_at=now, decision_note=NOTE,
        )  # fmt: skip
        audit.log(actor=by, verb=Verb.OFFER_CHANGED, subject=offer, parent=partner, reason=NOTE,
                  after={"kind": entry.kind, "title": offer.title})  # fmt: skip
        audit.log(actor=by, verb=Verb.OFFER_APPROVED, subject=offer, parent=partner, reason=NOTE)
    elif offer_changes:
        before = {key: getattr(offer, key) for key in offer_changes}
        for key, value in offer_changes.items():
            setattr(offer, key, value)
        offer.save(update_fields=list(offer_changes))
        audit.log(
            actor=by, verb=Verb.OFFER_CHANGED, subject=offer, parent=partner, before=before,
            after=offer_changes, reason=NOTE,
        )  # fmt: skip


def import_partnerships(data: bytes, *, site_root=None, dry_run=False, by=None, now=None) -> Report:
    """Import the bytes of a partnerships.yml: returns the report, or raises
    PartnershipsError (nothing written). `by`: who imports it (None: the system); a dry
    run checks and compares everything and writes nothing."""
    now = now or timezone.now()
    entries, warnings = check(parse(data), site_root=site_root)
    report = Report(dry_run=dry_run, warnings=warnings)
    try:
        with transaction.atomic():
            for entry in entries:
                _import_entry(entry, report, by=by, now=now, dry_run=dry_run)
            if not dry_run:
                audit.log(
                    actor=by, verb=Verb.PARTNERSHIPS_IMPORTED, reason=NOTE,
                    entries=len(entries), created=len(report.created),
                    updated=len(report.updated), unchanged=len(report.unchanged),
                    warnings=len(report.warnings),
                )  # fmt: skip
    except IntegrityError as error:
        raise PartnershipsError(
            [
                _("The database refused the import (%(error)s); nothing was written.")
                % {"error": error}
            ]
        ) from None
    return report


def _import_entry(entry, report, *, by, now, dry_run):
    partner = _find_partner(entry)
    partner_changes = _partner_changes(partner, entry) if partner else {}
    offer, public_offers = _find_offer(partner, entry)
    offer_changes = _offer_changes(offer, entry) if offer else {}
    kind = Offer.Kind(entry.kind).label
    if partner is None:
        report.created.append(
            _("%(entry)s: partner %(name)s and an approved public offer (%(kind)s)")
            % {"entry": entry.label, "name": entry.name, "kind": kind}
        )
    elif offer is None:
        report.created.append(
            _("%(entry)s: an approved public offer (%(kind)s) of %(name)s")
            % {"entry": entry.label, "name": partner.name, "kind": kind}
        )
        if public_offers:
            report.warnings.append(
                _(
                    "%(entry)s: %(name)s has %(count)s public offers of this kind and none with this code or address: a new one is added."
                )
                % {"entry": entry.label, "name": partner.name, "count": public_offers}
            )
    elif partner_changes or offer_changes:
        changed = [*partner_changes, *(f"offer {key}" for key in offer_changes)]
        report.updated.append(
            _("%(entry)s: %(name)s (%(fields)s)")
            % {"entry": entry.label, "name": partner.name, "fields": ", ".join(changed)}
        )
    else:
        report.unchanged.append(entry.label)
    if offer is not None and offer.status != Offer.Status.APPROVED:
        report.warnings.append(
            _("%(entry)s: the offer is %(status)s; the import does not approve it again.")
            % {"entry": entry.label, "status": offer.get_status_display().lower()}
        )
    if partner is not None and partner.status != Partner.Status.ACTIVE:
        report.warnings.append(
            _("%(entry)s: the partnership has ended; the import does not restart it.")
            % {"entry": entry.label}
        )
    if dry_run:
        return
    if partner is None or offer is None or partner_changes or offer_changes:
        _apply(entry, partner, partner_changes, offer, offer_changes, by=by, now=now)
