"""Import Markdown files with YAML front matter into pages and news posts.

Reads this repository's `content/` folder and also an existing Jekyll site
checkout: top-level and nested pages, `<lang>/` folders, `_posts/` and
`_articles/<lang>/`. Everything is read and checked first; only when every
file is valid is anything written, in one transaction, so a bad file never
leaves a half-imported site behind.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import reversion
import yaml
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from bpd.news.models import Post, Tag
from bpd.pages.models import Page
from bpd.website import languages

EXTENSIONS = {".md", ".markdown", ".html"}
POST_FOLDERS = {"_posts", "_articles"}
LIQUID = re.compile(r"\{%-?.*?-?%\}|\{\{-?.*?-?\}\}", re.DOTALL)
POST_FILENAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
SERVABLE_PATH = re.compile(r"^(?:[\w-]+/)*$")
DEFAULT_AUTHOR = "Black Python Devs"


class ContentError(Exception):
    """One or more files cannot be imported. `problems` is a list of (file, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(f"{name}: {message}" for name, message in problems))


@dataclass
class Item:
    kind: str  # "page" or "post"
    source: str
    language: str
    url_key: str  # page path or post slug
    fields: dict
    tags: list = field(default_factory=list)
    image: Path | None = None


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (file, reason)
    warnings: list = field(default_factory=list)  # (file, message)

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )


def split_front_matter(text):
    """(front matter text, body) or (None, text) when the file has none."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return None, text
    match = re.match(
        r"^---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S | re.M
    )
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def normalise_language(value):
    code = str(value).strip().lower().replace("_", "-")
    if code in languages.CODES:
        return code
    primary = code.split("-")[0]
    return primary if primary in languages.CODES else None


def strip_liquid(body, source, report):
    for match in LIQUID.finditer(body):
        line = body.count("\n", 0, match.start()) + 1
        tag = " ".join(match.group(0).split())
        report.warnings.append((source, f"line {line}: removed Liquid tag {tag}"))
    return LIQUID.sub("", body)


def parse_when(value):
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    text = str(value).strip()
    # Jekyll writes "2024-01-31 10:00:00 -0500"; Django wants "-05:00".
    text = re.sub(r"\s*([+-]\d{2}):?(\d{2})$", r"\1:\2", text)
    parsed = parse_datetime(text)
    if parsed:
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)
    day = parse_date(text)
    if day:
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    raise ValueError(f"cannot read the date {value!r}")


def path_from_permalink(permalink, language):
    path = str(permalink).strip().lstrip("/")
    first, _sep, rest = path.partition("/")
    if first in languages.CODES:
        path = rest
    path = re.sub(r"(^|/)index\.html?$", r"\1", path)
    path = re.sub(r"\.html?$", "/", path)
    if path and not path.endswith("/"):
        path += "/"
    return path


def _language_folder(parts):
    """The language named by the folder a file sits in, if any."""
    if parts and parts[0] in POST_FOLDERS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in languages.CODES:
        return parts[0]
    return None


def _title_from_body(body):
    match = re.search(r"^#\s+(.+)$", body, re.M)
    return match.group(1).strip() if match else None


def _layout(value, path):
    if path == "" or value == "home":
        return Page.Layout.HOME
    if value in {"team", "leadership"}:
        return Page.Layout.TEAM
    return Page.Layout.DEFAULT


def _tags(value):
    if not value:
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    return [str(tag).strip() for tag in value if str(tag).strip()]


def _author(value):
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value else DEFAULT_AUTHOR


def parse_file(path, root, report):
    """One file to an Item, or None when it is not content. Raises ValueError on a problem."""
    relative = path.relative_to(root)
    source = relative.as_posix()
    parts = relative.parts
    raw, body = split_front_matter(path.read_text(encoding="utf-8"))
    if raw is None:
        report.skipped.append((source, "no front matter"))
        return None
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (front matter line {mark.line + 1})" if mark else ""
        raise ValueError(f"invalid YAML{where}: {getattr(error, 'problem', error)}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of keys to values")
    if meta.get("published") is False:
        report.skipped.append((source, "marked published: false"))
        return None

    declared = meta.get("lang", meta.get("language"))
    if declared is not None:
        language = normalise_language(declared)
        if language is None:
            raise ValueError(
                f"unknown language {declared!r}; the site's languages are "
                + ", ".join(languages.CODES)
            )
    else:
        language = _language_folder(parts) or languages.DEFAULT

    body = strip_liquid(body, source, report).strip() + "\n"
    title = meta.get("title") or _title_from_body(body) or path.stem.replace("-", " ").title()
    common = {
        "title": str(title)[:200],
        "description": str(
            meta.get("description") or meta.get("summary") or meta.get("excerpt") or ""
        )[:300],
        "body": body,
        "needs_review": bool(meta.get("needs_review", False)),
        "source_path": source,
    }

    if parts[0] in POST_FOLDERS:
        name_match = POST_FILENAME.match(path.stem)
        slug = slugify(meta.get("slug") or (name_match.group(2) if name_match else path.stem))
        when = meta.get("date") or (name_match.group(1) if name_match else None)
        if not when:
            raise ValueError("a post needs a date, in front matter or as YYYY-MM-DD- in its name")
        if not slug:
            raise ValueError("cannot make an address (slug) from this post's name")
        image = None
        if meta.get("image"):
            candidate = (root / str(meta["image"]).lstrip("/")).resolve()
            if candidate.is_file() and root.resolve() in candidate.parents:
                image = candidate
            else:
                report.warnings.append(
                    (source, f"image {meta['image']!r} not found; post kept without it")
                )
        return Item(
            kind="post",
            source=source,
            language=language,
            url_key=slug,
            fields={
                **common,
                "translation_key": slugify(meta.get("translation_key") or meta.get("ref") or slug),
                "published_at": parse_when(when),
                "author_name": _author(meta.get("author"))[:120],
                "image_alt": str(meta.get("image_alt", ""))[:200],
            },
            tags=_tags(meta.get("tags")),
            image=image,
        )

    if meta.get("permalink"):
        page_path = path_from_permalink(meta["permalink"], language)
    else:
        segments = list(parts[:-1])
        if segments and segments[0] in languages.CODES:
            segments = segments[1:]
        if path.stem != "index":
            segments.append(path.stem)
        page_path = "".join(f"{segment}/" for segment in segments)
    if not SERVABLE_PATH.match(page_path):
        raise ValueError(f"the address {page_path!r} has characters a page address cannot use")
    key = meta.get("translation_key") or meta.get("ref") or page_path.strip("/") or "home"
    menu = meta.get("menu")
    if menu is not None and not isinstance(menu, int):
        raise ValueError("menu must be a whole number (the position in the main menu)")
    return Item(
        kind="page",
        source=source,
        language=language,
        url_key=page_path,
        fields={
            **common,
            "translation_key": slugify(str(key).replace("/", "-")),
            "layout": _layout(meta.get("layout"), page_path),
            "in_menu": menu,
        },
    )


def content_files(root):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        folders = relative[:-1]
        if any(part.startswith(".") for part in relative):
            continue
        if any(part.startswith("_") and part not in POST_FOLDERS for part in folders):
            continue
        if folders and folders[0] in {"assets", "node_modules", "vendor", "static"}:
            continue
        if path.is_file() and path.suffix.lower() in EXTENSIONS:
            yield path


# Bounds on what one import reads: a page or post is far below a megabyte, and a site
# far below ten thousand files. Anything larger is refused before it is read.
MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 10_000


def _unreadable(path, root):
    """Why `path` is not read at all, or None."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return "is a link to a file outside the folder; copy the file in instead"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"is {size // 1024} KB; a page or post may be at most {MAX_FILE_BYTES // 1024} KB"
    return None


def read_tree(root):
    """Parse and check every file. Returns (items, report); raises ContentError."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([(str(root), "is not a folder")])
    report = Report()
    items, problems, seen_urls, seen_keys = [], [], {}, {}
    for count, path in enumerate(content_files(root), start=1):
        source = path.relative_to(root).as_posix()
        if count > MAX_FILES:
            raise ContentError([(str(root), f"holds more than {MAX_FILES} content files")])
        problem = _unreadable(path, root)
        if problem:
            problems.append((source, problem))
            continue
        try:
            item = parse_file(path, root, report)
        except (ValueError, UnicodeDecodeError) as error:
            problems.append((source, str(error)))
            continue
        if item is None:
            continue
        url = (item.kind, item.language, item.url_key)
        if url in seen_urls:
            problems.append(
                (
                    source,
                    f"duplicate address: {seen_urls[url]} has the same one ({_url_label(item)})",
                )
            )
            continue
        key = (item.kind, item.language, item.fields["translation_key"])
        if key in seen_keys:
            problems.append(
                (
                    source,
                    f"duplicate translation key {key[2]!r} in {item.language}: also in {seen_keys[key]}",
                )
            )
            continue
        seen_urls[url] = seen_keys[key] = source
        items.append(item)
    problems += _conflicts_with_database(items)
    if problems:
        raise ContentError(problems)
    return items, report


def _url_label(item):
    if item.kind == "post":
        return languages.prefixed(f"news/{item.url_key}/", item.language)
    return languages.prefixed(item.url_key, item.language)


def _conflicts_with_database(items):
    """A translation key already used by a different address would break the unique constraint."""
    problems = []
    for item in items:
        model, url_field = (Page, "path") if item.kind == "page" else (Post, "slug")
        clash = (
            model.objects.filter(
                language=item.language, translation_key=item.fields["translation_key"]
            )
            .exclude(**{url_field: item.url_key})
            .first()
        )
        if clash:
            problems.append(
                (
                    item.source,
                    f"translation key {item.fields['translation_key']!r} is already used by {clash.get_absolute_url()}",
                )
            )
    return problems


def _apply(instance, fields):
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def import_tree(root, *, dry_run=False):
    """Import everything under `root`; all or nothing. Returns a Report."""
    items, report = read_tree(root)
    if dry_run:
        report.created = [item.source for item in items]
        return report
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {Path(root).name or root}")
        for item in items:
            if item.kind == "page":
                instance = Page.objects.filter(language=item.language, path=item.url_key).first()
                created = instance is None
                instance = instance or Page(language=item.language, path=item.url_key)
                changed = _apply(instance, item.fields)
            else:
                instance = Post.objects.filter(language=item.language, slug=item.url_key).first()
                created = instance is None
                instance = instance or Post(language=item.language, slug=item.url_key)
                changed = _apply(instance, item.fields)
                if item.image and not Path(instance.image.name).stem.startswith(item.image.stem):
                    with item.image.open("rb") as handle:
                        instance.image.save(item.image.name, File(handle), save=False)
                    changed = True
            if created or changed:
                instance.save()
            if item.kind == "post":
                tags = [
                    Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                    for name in item.tags
                ]
                if {tag.pk for tag in tags} != set(instance.tags.values_list("pk", flat=True)):
                    instance.tags.set(tags)
                    changed = True
            if created:
                report.created.append(item.source)
            elif changed:
                report.updated.append(item.source)
            else:
                report.unchanged.append(item.source)
    return report
