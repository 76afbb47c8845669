"""Read a folder of Markdown/HTML files with YAML front matter: this repository's
`content/` folder or a Jekyll site checkout (its `_config.yml`: collections, permalinks,
defaults, languages, the menu and excludes).

Reading checks everything and raises ContentError naming every bad file before anything
is written; `bpd.content_import.runs` then writes in one transaction, so a bad file never
leaves a half-imported site behind.
"""

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from bpd.content_import import jekyll
from bpd.content_import.transform import Note
from bpd.news.models import Post
from bpd.pages.models import Page
from bpd.website import languages

EXTENSIONS = {".md", ".markdown", ".html", ".htm"}
POST_FOLDERS = {"_posts", "_articles"}
POST_FILENAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
SERVABLE_PATH = re.compile(r"^(?:[\w-]+/)*$")
DEFAULT_AUTHOR = "Black Python Devs"
IMAGE_KEYS = ("featured_image", "image", "cover_image", "thumbnail")
SKIPPED_FOLDERS = {"assets", "node_modules", "vendor", "static"}


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
    body: str = ""
    body_line: int = 1  # the line of the file the body starts on
    meta: dict = field(default_factory=dict)
    tags: list = field(default_factory=list)
    image: str | None = None  # a featured image reference (local path or URL)
    old_urls: list = field(default_factory=list)
    explicit: set = field(default_factory=set)  # structure the file sets itself
    redirect_to: str | None = None
    front_matter: str = ""

    def line_of(self, key):
        """The file line of front matter `key` (1, the opening ---, when it is not there)."""
        match = re.search(rf"^{re.escape(key)}\s*:", self.front_matter, re.M)
        return self.front_matter.count("\n", 0, match.start()) + 2 if match else 1

    @property
    def meta_redirects(self):
        """Old addresses the file names itself (jekyll-redirect-from's redirect_from)."""
        value = self.meta.get("redirect_from") or []
        return [value] if isinstance(value, str) else [str(old) for old in value]

    @property
    def is_html(self):
        return self.fields.get("body_format") == "html"


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (file, reason)
    warnings: list = field(default_factory=list)  # transform.Note: something not carried over
    changes: list = field(default_factory=list)  # transform.Note: carried over differently
    redirects: list = field(default_factory=list)  # (old, new)
    data: list = field(default_factory=list)  # one line per data file imported
    run: int | None = None

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped, "
            f"{len(self.redirects)} redirects, {len(self.warnings)} warnings"
        )

    def warn(self, source, line, message, hint=""):
        self.warnings.append(Note(source, line, message, hint))

    def change(self, source, line, message):
        self.changes.append(Note(source, line, message, level="info"))

    def text(self, *, dry_run=False):
        """The whole report, as the command prints it and the run keeps it."""
        would = "would be " if dry_run else ""
        lines = []
        for label, names in (("created", self.created), ("updated", self.updated),
                             ("unchanged", self.unchanged)):  # fmt: skip
            lines.append(f"{len(names)} {would}{label}" + (":" if names else ""))
            lines += [f"  {name}" for name in names]
        if self.skipped:
            lines.append(f"{len(self.skipped)} skipped:")
            lines += [f"  {name}: {reason}" for name, reason in self.skipped]
        if self.redirects:
            lines.append(f"{len(self.redirects)} redirects (old address -> new):")
            lines += [f"  {old} -> {new}" for old, new in self.redirects]
        if self.data:
            lines.append("Data:")
            lines += [f"  {line}" for line in self.data]
        if self.changes:
            lines.append(f"{len(self.changes)} changes made while carrying content over:")
            lines += [f"  {note}" for note in _in_order(self.changes)]
        lines.append(f"{len(self.warnings)} warnings (not carried over, or needs you):")
        lines += [f"  {note}" for note in _in_order(self.warnings)]
        return "\n".join(lines)


def _in_order(notes):
    """Notes grouped by file (in the order files were read), by line within a file."""
    first = {}
    for index, note in enumerate(notes):
        first.setdefault(note.source, index)
    return sorted(notes, key=lambda note: (first[note.source], note.line))


def max_file_bytes():
    """Bound on one file (BPD_IMPORT_MAX_FILE_KB, or --max-file-kb)."""
    return settings.IMPORT_MAX_FILE_KB * 1024


MAX_FILES = 10_000


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


def _title_from_body(body):
    match = re.search(r"^#\s+(.+)$", body, re.M) or re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


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


def _kind(parts, config):
    """("post" | "page" | None, collection or None) for a file at `parts`."""
    if parts[0] == "_posts":
        return "post", config.collections["_posts"]
    collection = config.collection_for(parts)
    if collection is not None:
        return ("page" if collection.output else None), collection
    if parts[0] == "_articles":
        return "post", None  # an undeclared _articles/ folder: news, as before
    return "page", None


def _language(meta, parts):
    declared = meta.get("lang", meta.get("language"))
    if declared is not None:
        language = normalise_language(declared)
        if language is None:
            raise ValueError(
                f"unknown language {declared!r}; the site's languages are "
                + ", ".join(languages.CODES)
            )
        return language
    inner = parts[1:] if parts[0].startswith("_") else parts
    if len(inner) > 1 and inner[0] in languages.CODES:
        return inner[0]
    return languages.DEFAULT


def _jekyll_url(meta, parts, stem, kind, collection, config, when):
    """The address Jekyll published the file at."""
    output_ext = ".html"
    if kind == "post":
        inner = "/".join([*parts[1:-1], stem])
        title = POST_FILENAME.match(stem).group(2) if POST_FILENAME.match(stem) else stem
        template = str(meta.get("permalink") or config.permalink)
        template = jekyll.STYLES.get(template, template)
        categories = _tags(meta.get("categories") or meta.get("category"))
        return jekyll.expand(template, path=inner, title=title, output_ext=output_ext,
                             collection="posts", date=when, categories=categories)  # fmt: skip
    if collection is not None:
        inner = "/".join([*parts[1:-1], stem])
        template = str(
            meta.get("permalink") or collection.permalink or "/:collection/:path:output_ext"
        )
        url = jekyll.expand(template, path=inner, title=stem, output_ext=output_ext,
                            collection=collection.name)  # fmt: skip
        return re.sub(r"/index(?:\.html)?/?$", "/", url)
    if meta.get("permalink"):
        return jekyll.expand(str(meta["permalink"]), path="/".join([*parts[:-1], stem]),
                             title=stem, output_ext=output_ext)  # fmt: skip
    folder = "".join(f"{part}/" for part in parts[:-1])
    if stem == "index":
        return "/" + folder
    pretty = config.permalink.endswith("/")
    return "/" + folder + stem + ("/" if pretty else output_ext)


def parse_file(path, root, report, config=None):
    """One file to an Item, or None when it is not content. Raises ValueError on a problem."""
    config = config or jekyll.SiteConfig(
        collections={"_posts": jekyll.Collection("posts", True, None)}
    )
    relative = path.relative_to(root)
    source = relative.as_posix()
    parts = relative.parts
    raw, body = split_front_matter(path.read_text(encoding="utf-8"))
    if raw is None:
        report.skipped.append((source, "no front matter"))
        return None
    # "---", the front matter's lines, "---": the body starts on the line after.
    body_line = raw.count("\n") + 4 if raw else 3
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # Line 1 is the opening "---": front matter line N is file line N + 1.
        where = f" (line {mark.line + 2})" if mark else ""
        raise ValueError(f"invalid YAML{where}: {getattr(error, 'problem', error)}") from None
    if not isinstance(meta, dict):
        raise ValueError("line 2: front matter must be a mapping of keys to values")
    kind, collection = _kind(parts, config)
    if kind is None:
        report.skipped.append((source, f"collection {collection.name} has output: false"))
        return None
    explicit = set(meta)
    meta = {**config.defaults_for(source, "posts" if kind == "post" else
                                  (collection.name if collection else "pages")), **meta}  # fmt: skip
    if meta.get("published") is False:
        report.skipped.append((source, "marked published: false"))
        return None
    language = _language(meta, parts)
    is_html = path.suffix.lower() in {".html", ".htm"}
    title = meta.get("title") or _title_from_body(body) or path.stem.replace("-", " ").title()
    common = {
        "title": str(title)[:200],
        "description": str(
            meta.get("description") or meta.get("summary") or meta.get("excerpt") or ""
        )[:300],
        "body_format": "html" if is_html else "markdown",
        "needs_review": bool(meta.get("needs_review", False)),
        "source_path": source,
    }
    image = next((str(meta[key]) for key in IMAGE_KEYS if meta.get(key)), None)
    redirect_to = meta.get("redirect_to")
    if isinstance(redirect_to, list):
        redirect_to = redirect_to[0] if redirect_to else None
    redirect_from = meta.get("redirect_from") or []
    redirect_from = [redirect_from] if isinstance(redirect_from, str) else list(redirect_from)

    if kind == "post":
        name_match = POST_FILENAME.match(path.stem)
        slug = slugify(meta.get("slug") or (name_match.group(2) if name_match else path.stem))
        when = meta.get("date") or (name_match.group(1) if name_match else None)
        if not when:
            raise ValueError("a post needs a date, in front matter or as YYYY-MM-DD- in its name")
        if not slug:
            raise ValueError("cannot make an address (slug) from this post's name")
        published_at = parse_when(when)
        old = _jekyll_url(meta, parts, path.stem, kind, collection, config, published_at)
        return Item(
            kind="post",
            source=source,
            language=language,
            url_key=slug,
            fields={
                **common,
                "translation_key": slugify(meta.get("translation_key") or meta.get("ref") or slug),
                "published_at": published_at,
                "author_name": _author(meta.get("author"))[:120],
                "image_alt": str(meta.get("image_alt", ""))[:200],
            },
            body=body,
            body_line=body_line,
            meta=meta,
            tags=_tags(meta.get("tags")),
            image=image,
            old_urls=[*jekyll.old_urls(old), *map(str, redirect_from)],
            explicit=explicit,
            front_matter=raw,
        )

    old = _jekyll_url(meta, parts, path.stem, kind, collection, config, None)
    if meta.get("permalink"):
        page_path = path_from_permalink(meta["permalink"], language)
    elif collection is not None:
        page_path = path_from_permalink(old, language)
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
    if menu is not None and (
        not isinstance(menu, int) or isinstance(menu, bool) or not 0 <= menu <= 1000
    ):
        raise ValueError(
            "menu must be a whole number from 0 to 1000 (the position in the main menu)"
        )
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
        body=body,
        body_line=body_line,
        meta=meta,
        image=image,
        old_urls=[*jekyll.old_urls(old), *map(str, redirect_from)],
        explicit=explicit,
        redirect_to=str(redirect_to) if redirect_to else None,
        front_matter=raw,
    )


def content_files(root, config=None, report=None):
    """Every content file under `root`, not following links into folders."""
    config = config or jekyll.SiteConfig()
    readable = {"_posts", "_articles", *config.collections}
    for folder, dirs, files in os.walk(root, followlinks=False):
        relative_folder = Path(folder).relative_to(root)
        keep = []
        for name in sorted(dirs):
            relative = (relative_folder / name).as_posix()
            if name.startswith(".") or (relative_folder == Path(".") and name in SKIPPED_FOLDERS):
                continue
            if name.startswith("_") and not (relative_folder == Path(".") and name in readable):
                continue
            if config.is_excluded(relative):
                continue
            keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if name.startswith(".") or path.suffix.lower() not in EXTENSIONS:
                continue
            if config.is_excluded(relative):
                if report is not None:
                    report.skipped.append((relative, "excluded in _config.yml"))
                continue
            yield path


def _unreadable(path, root):
    """Why `path` is not read at all, or None."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return "is a link to a file outside the folder; copy the file in instead"
    size = path.stat().st_size
    limit = max_file_bytes()
    if size > limit:
        return (
            f"is {size // 1024} KB; a page or post may be at most {limit // 1024} KB "
            "(BPD_IMPORT_MAX_FILE_KB or --max-file-kb raise the limit)"
        )
    return None


def read_tree(root):
    """Parse and check every file. Returns (items, report, config); raises ContentError."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([(str(root), "is not a folder")])
    report = Report()
    try:
        config = jekyll.read_config(root)
    except jekyll.ConfigError as error:
        raise ContentError([("_config.yml", str(error))]) from None
    for code in config.languages:
        if normalise_language(code) is None:
            report.warn("_config.yml", 1, f"the site's language {code!r} is not one of the "
                        "platform's (" + ", ".join(languages.CODES) + "); its pages are refused")  # fmt: skip
    items, problems, seen_urls, seen_keys = [], [], {}, {}
    for count, path in enumerate(content_files(root, config, report), start=1):
        source = path.relative_to(root).as_posix()
        if count > MAX_FILES:
            raise ContentError([(str(root), f"holds more than {MAX_FILES} content files")])
        problem = _unreadable(path, root)
        if problem:
            problems.append((source, problem))
            continue
        try:
            item = parse_file(path, root, report, config)
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
    return items, report, config


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
