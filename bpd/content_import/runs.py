"""Writing an import: one transaction, one ImportRun that remembers what it created and
what each changed record was before, so `import_content --revert RUN` undoes it.

The platform's own structure wins where it has one: an existing page keeps its menu
position, layout and translation key unless the file sets them itself (or
`replace_structure` is given); a file that would replace a page's text with nothing
keeps the text; a file that duplicates one of the platform's pages under another
address becomes a redirect to it.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify

from bpd.content_import import data as site_data
from bpd.content_import.assets import AssetProblem, Assets
from bpd.content_import.fetch import Fetcher
from bpd.content_import.importer import IMAGE_KEYS, read_tree
from bpd.content_import.models import ImportedFile, ImportedObject, ImportRun
from bpd.content_import.transform import BodyConverter, _normal
from bpd.news.models import Post, Tag
from bpd.pages.models import Page
from bpd.website import languages, redirects, registry

SNAPSHOT = {
    "page": ("title", "description", "body", "body_format", "needs_review", "source_path",
             "layout", "in_menu", "translation_key"),
    "post": ("title", "description", "body", "body_format", "needs_review", "source_path",
             "translation_key", "published_at", "author_name", "image_alt", "image"),
}  # fmt: skip


@dataclass
class Options:
    dry_run: bool = False
    fetch_external: bool = False
    convert_embeds: bool = True
    replace_structure: bool = False
    book_club: str | None = None
    fetcher: object = None


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def _snapshot(instance, kind):
    values = {}
    for name in SNAPSHOT[kind]:
        value = getattr(instance, name)
        values[name] = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else (value.name if hasattr(value, "name") and not isinstance(value, str) else value)
        )
    if kind == "post":
        values["tags"] = sorted(instance.tags.values_list("pk", flat=True))
    return values


def _platform_view(url):
    """The name of the platform view answering `url` when it is not a content page."""
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return None if match.func.__module__.startswith("bpd.pages") else match.view_name


def _page_at(url):
    """The content page answering the site-relative `url`, or None."""
    path = url.lstrip("/")
    language = languages.DEFAULT
    first, _sep, rest = path.partition("/")
    if first in languages.CODES and first != languages.DEFAULT:
        language, path = first, rest
    return Page.objects.filter(language=language, path=path).first()


def _has_text(body, title):
    text = re.sub(r"<[^>]+>|\[\[component:[\w-]+\]\]|[#*_>\-`|]", " ", body)
    return bool(_normal(text)) and _normal(text) != _normal(title)


class Writer:
    def __init__(self, options, report, config):
        self.options = options
        self.report = report
        self.config = config
        self.run = None
        self.assets = None
        self.targets = {}  # old URL -> new URL
        self.titles = {}  # language -> {normalised title: page}, for duplicate_of

    def record(self, instance, action, before=None, label=""):
        if self.run is None:
            return
        ImportedObject.objects.create(
            run=self.run,
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk),
            action=action,
            before=before,
            label=label[:300],
        )

    def convert(self, item):
        converter = BodyConverter(
            source=item.source,
            assets=self.assets,
            components=set(registry.page_component_names()),
            convert_embeds=self.options.convert_embeds,
        )
        body = converter.convert(
            item.body,
            first_line=item.body_line,
            title=item.fields["title"],
            meta=item.meta,
            site={"title": "Black Python Devs"},
            is_html=item.is_html,
        )
        for note in converter.notes:
            (self.report.changes if note.level == "info" else self.report.warnings).append(note)
        return body

    # -- pages --------------------------------------------------------------------------

    def duplicate_of(self, item):
        """An existing page in the language with the same title at another address."""
        if item.language not in self.titles:
            pages = Page.objects.filter(language=item.language).only("title", "path", "language")
            self.titles[item.language] = {_normal(page.title): page for page in pages}
        page = self.titles[item.language].get(_normal(item.fields["title"]))
        return page if page is not None and page.path != item.url_key else None

    def write_page(self, item):
        url = languages.prefixed(item.url_key, item.language)
        if item.redirect_to:
            self.redirect_all(item, item.redirect_to)
            self.report.skipped.append((item.source, f"a redirect to {item.redirect_to}"))
            return
        existing = Page.objects.filter(language=item.language, path=item.url_key).first()
        if existing is None:
            twin = self.duplicate_of(item)
            if twin is not None:
                target = twin.get_absolute_url()
                self.redirect_all(item, target, also=[url])
                self.report.warn(
                    item.source, item.line_of("title"),
                    f"duplicates the platform's page {target} ({twin.title!r}); "
                    f"{url} now redirects there instead of being a second copy",
                    "If its text differs, merge it into that page in the admin.",
                )  # fmt: skip
                return
        platform = _platform_view(url)
        if platform:
            self.report.warn(
                item.source, item.line_of("permalink"),
                f"{url} is the platform's own page ({platform}); readers see that page, "
                "and this file's text is kept in the admin only",
                "Copy any text worth keeping into the platform's page or another page.",
            )  # fmt: skip
        fields = dict(item.fields)
        fields["body"] = self.convert(item)
        if existing is not None and "menu" not in item.explicit:
            fields["in_menu"] = existing.in_menu  # a file never takes a page out of the menu
        if existing is not None and not self.options.replace_structure:
            # A Jekyll layout names one of the old site's templates, not a platform layout:
            # an existing page keeps its own (the team roster, the home page).
            fields["layout"] = existing.layout
            if not {"translation_key", "ref"} & item.explicit:
                fields["translation_key"] = existing.translation_key
            if not _has_text(fields["body"], fields["title"]) and _has_text(
                existing.body, existing.title
            ):
                fields = {}  # the platform's page stays exactly as it is
                self.report.warn(
                    item.source, item.body_line,
                    f"kept the platform's text of {url}: after the old site's templates were "
                    "removed this file has no text of its own",
                )  # fmt: skip
        self.save(item, existing, Page(language=item.language, path=item.url_key), fields, "page")
        if existing is None:
            self.titles.pop(item.language, None)  # the new page is a title later files may repeat
        self.redirect_all(item, url)

    # -- posts --------------------------------------------------------------------------

    def write_post(self, item):
        url = languages.prefixed(f"news/{item.url_key}/", item.language)
        existing = Post.objects.filter(language=item.language, slug=item.url_key).first()
        fields = dict(item.fields)
        fields["body"] = self.convert(item)
        instance = existing or Post(language=item.language, slug=item.url_key)
        image = self.post_image(item, instance)
        self.save(item, existing, instance, fields, "post", image=image, tags=item.tags)
        self.redirect_all(item, url)

    def post_image(self, item, instance):
        """(name, bytes) of a new featured image, or None when unchanged or absent."""
        if not item.image:
            return None
        reference = item.image.replace("{{ site.baseurl }}", "").strip()
        line = next((item.line_of(key) for key in IMAGE_KEYS if item.meta.get(key)), 1)
        external = reference.startswith(("http://", "https://", "//"))
        if external and not self.options.fetch_external:
            self.report.warn(
                item.source, line,
                f"the featured image {reference} is on another site and was not downloaded",
                "Run with --fetch-external to download it, or upload it in the admin.",
            )  # fmt: skip
            return None
        try:
            name, content, digest = self.assets.open_for_post(reference, external=external)
        except AssetProblem as problem:
            self.report.warn(item.source, line, f"featured image not imported: {problem}",
                             "Add the file and import again, or upload it in the admin.")  # fmt: skip
            return None
        stem = f"{slugify(Path(name).stem)[:40]}-{digest[:12]}"
        if instance.image and Path(instance.image.name).stem.startswith(stem):
            return None
        return f"{stem}{Path(name).suffix.lower()}", content

    # -- both ---------------------------------------------------------------------------

    def save(self, item, existing, fresh, fields, kind, *, image=None, tags=None):
        instance = existing or fresh
        before = _snapshot(existing, kind) if existing is not None else None
        changed = False
        for name, value in fields.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed = True
        if image is not None:
            instance.image.save(image[0], ContentFile(image[1]), save=False)
            changed = True
        if existing is None or changed:
            instance.save()
        if tags is not None:
            found = [
                Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
                for name in tags
                if slugify(name)
            ]
            if {tag.pk for tag in found} != set(instance.tags.values_list("pk", flat=True)):
                instance.tags.set(found)
                changed = True
        if existing is None:
            self.report.created.append(item.source)
            self.record(instance, ImportedObject.Action.CREATED, label=item.source)
        elif changed:
            self.report.updated.append(item.source)
            self.record(instance, ImportedObject.Action.UPDATED, before=before, label=item.source)
        else:
            self.report.unchanged.append(item.source)

    def redirect_all(self, item, target, also=()):
        olds = [*item.old_urls, *also] if self.config.present else [*also, *item.meta_redirects]
        for old in olds:
            old = "/" + old.lstrip("/")
            if old.rstrip("/") == target.rstrip("/") or old in self.targets:
                continue
            self.targets[old] = target
            if _answers_itself(old):
                continue
            current = redirects.target_for(old)
            if current == target:
                continue
            if current is not None:
                self.report.warn(
                    item.source, 1,
                    f"{old} already redirects to {current}; left as it is (not to {target})",
                    "Change it in the admin (Website → Redirects) if the import is right.",
                )  # fmt: skip
                continue
            try:
                redirects.add_redirect(old, target, source=self.run.redirect_source)
            except ValueError as error:
                self.report.warn(item.source, 1, f"no redirect from {old}: {error}")
                continue
            self.report.redirects.append((old, target))

    # -- the menu -----------------------------------------------------------------------

    def menu(self):
        """`navigation` of _config.yml onto the platform's menu, never removing an entry."""
        for entry in self.config.navigation:
            url = "/" + entry.url.strip().lstrip("/")
            target = self.targets.get(url, url)
            page = _page_at(target)
            if page is None:
                if _platform_view(target):
                    self.report.change(
                        "_config.yml", entry.line,
                        f"menu entry {entry.text!r} ({entry.url}) is the platform's own page; "
                        "the platform's menu places it",
                    )  # fmt: skip
                else:
                    self.report.warn("_config.yml", entry.line,
                                     f"menu entry {entry.text!r} ({entry.url}) leads to no page",
                                     "Fix the address or add the page.")  # fmt: skip
                continue
            if page.path == "":
                self.report.change("_config.yml", entry.line,
                                   f"menu entry {entry.text!r}: the platform's logo leads home")  # fmt: skip
                continue
            if page.in_menu is not None:
                self.report.change("_config.yml", entry.line,
                                   f"menu entry {entry.text!r}: {target} is already in the menu "
                                   f"(position {page.in_menu}), kept there")  # fmt: skip
                continue
            highest = Page.objects.filter(language=page.language).aggregate(m=Max("in_menu"))["m"]
            before = _snapshot(page, "page")
            page.in_menu = (highest or 0) + 1
            page.save(update_fields=["in_menu", "body_html", "updated_at"])
            self.record(page, ImportedObject.Action.UPDATED, before=before, label="menu")
            self.report.change("_config.yml", entry.line,
                               f"menu entry {entry.text!r} put {target} in the menu at "
                               f"position {page.in_menu}")  # fmt: skip


def _answers_itself(url):
    """True when the old address is still a live address of the platform (no redirect)."""
    if not url.endswith("/"):
        return False
    return _page_at(url) is not None or _platform_view(url) is not None


def import_tree(root, *, dry_run=False, **options):
    """Import everything under `root`; all or nothing. Returns a Report."""
    opts = Options(dry_run=dry_run, **options)
    if opts.fetch_external and opts.fetcher is None:
        opts.fetcher = Fetcher()
    items, report, config = read_tree(root)
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(source=str(Path(root).resolve())[:500])
            writer = Writer(opts, report, config)
            writer.run = run
            writer.assets = Assets(
                root,
                dry_run=dry_run,
                run=run,
                fetcher=opts.fetcher if opts.fetch_external else None,
            )
            for item in items:
                if item.kind == "page":
                    writer.write_page(item)
                else:
                    writer.write_post(item)
            writer.menu()
            site_data.import_data(
                Path(root), report, book_club=opts.book_club, record=writer.record
            )
            run.summary = report.summary()[:300]
            run.report = report.text()
            run.save(update_fields=["summary", "report"])
            report.run = run.pk
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.run = None
    return report


def revert(run_id):
    """Undo import run `run_id`: delete what it created, restore what it changed.
    Returns a list of lines saying what was done. Raises ValueError if it cannot."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        raise ValueError(f"there is no import run {run_id}")
    if run.reverted_at:
        raise ValueError(f"import run {run_id} was already reverted on {run.reverted_at:%Y-%m-%d}")
    later = ImportRun.objects.filter(pk__gt=run.pk, reverted_at__isnull=True)
    if later.exists():
        raise ValueError(
            "later import runs exist ("
            + ", ".join(str(pk) for pk in later.values_list("pk", flat=True))
            + "); revert them first, newest first"
        )
    lines = []
    with transaction.atomic():
        for entry in run.entries.order_by("-pk").select_related("content_type"):
            model = entry.content_type.model_class()
            instance = model.objects.filter(pk=entry.object_id).first()
            if instance is None:
                continue
            if entry.action == ImportedObject.Action.CREATED:
                instance.delete()
                lines.append(f"deleted {entry.label or instance}")
                continue
            before = dict(entry.before or {})
            tags = before.pop("tags", None)
            for name, value in before.items():
                field = instance._meta.get_field(name)
                if field.get_internal_type() == "DateTimeField" and value:
                    value = timezone.datetime.fromisoformat(value)
                setattr(instance, name, value)
            instance.save()
            if tags is not None:
                instance.tags.set(tags)
            lines.append(f"restored {entry.label or instance}")
        removed = redirects.remove_redirects(run.redirect_source)
        lines.append(f"removed {removed} redirects")
        files = list(ImportedFile.objects.filter(run=run))
        for record in files:
            record.file.delete(save=False)
            record.delete()
        lines.append(f"removed {len(files)} imported files")
        run.reverted_at = timezone.now()
        run.save(update_fields=["reverted_at"])
    return lines
