"""Files the imported content refers to (`/assets/…`, `featured_image`, external images):
stored once in the platform's media storage, images as WebP with their size, and named
by their content so a second import finds them unchanged."""

import hashlib
import mimetypes
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image

from bpd.content_import.models import ImportedFile
from bpd.website import images

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
# Files linked from pages that are worth keeping as they are (a flyer, slides).
DOCUMENT_SUFFIXES = {".pdf", ".txt", ".csv", ".ics"}
IMAGE_WIDTH = 1200
MAX_ASSET_BYTES = 10 * 1024 * 1024


@dataclass
class Stored:
    url: str
    width: int | None = None
    height: int | None = None


class AssetProblem(ValueError):
    """The reference cannot be carried over; the message says why, for the report."""


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def _name(reference, digest, suffix):
    stem = slugify(PurePosixPath(reference).stem)[:60] or "file"
    return f"imported/{stem}-{digest[:12]}{suffix}"


class Assets:
    """Finds, converts and (unless `dry_run`) stores referenced files for one import run."""

    def __init__(self, root, *, dry_run, run=None, fetcher=None):
        self.root = Path(root).resolve()
        self.dry_run = dry_run
        self.run = run
        self.fetcher = fetcher
        self.cache = {}

    def local_path(self, reference):
        """The file under the site's folder a local reference names, or raise AssetProblem."""
        path = unquote(urlsplit(reference).path)
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root):
            raise AssetProblem(f"{reference} points outside the site's folder; not imported")
        if not candidate.is_file():
            raise AssetProblem(f"{reference} does not exist in the site's folder")
        return candidate

    def store_local(self, reference):
        if reference in self.cache:
            return self.cache[reference]
        path = self.local_path(reference)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            raise AssetProblem(
                f"{reference} is an SVG, which can carry scripts; convert it to PNG and import again"
            )
        if suffix not in IMAGE_SUFFIXES | DOCUMENT_SUFFIXES:
            raise AssetProblem(f"{reference}: files of type {suffix or 'unknown'} are not imported")
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise AssetProblem(
                f"{reference} is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB; not imported"
            )
        stored = self._store(reference, path.read_bytes(), is_image=suffix in IMAGE_SUFFIXES)
        self.cache[reference] = stored
        return stored

    def store_external(self, url):
        """An image from another site, downloaded (only when a fetcher is given)."""
        if url in self.cache:
            return self.cache[url]
        data, _content_type = self._download(url)
        stored = self._store(url, data, is_image=True)
        self.cache[url] = stored
        return stored

    def _store(self, reference, data, *, is_image):
        digest = _digest(data)
        existing = ImportedFile.objects.filter(source=reference, digest=digest).first()
        if existing:
            return Stored(existing.file.url, existing.width, existing.height)
        if is_image:
            try:
                upload = images.check_upload(ContentFile(data, name="upload"))
                content, width, height = images.webp_rendition(upload, width=IMAGE_WIDTH)
            except images.ImageRejected as error:
                raise AssetProblem(f"{reference}: {error}") from None
            name, body = _name(reference, digest, ".webp"), content.read()
        else:
            width = height = None
            name, body = _name(reference, digest, Path(reference).suffix.lower()), data
        url = default_storage.url(name)
        if not self.dry_run:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(body))
            ImportedFile.objects.update_or_create(
                source=reference,
                defaults={
                    "digest": digest,
                    "file": name,
                    "width": width,
                    "height": height,
                    "run": self.run,
                },
            )
        return Stored(url, width, height)

    def _download(self, url):
        """(bytes, content type) of an image on another site, or raise AssetProblem."""
        if self.fetcher is None:
            raise AssetProblem(
                "external images are not downloaded unless --fetch-external is given"
            )
        data, content_type = self.fetcher.get(url)
        if not content_type.startswith("image/") or content_type == "image/svg+xml":
            raise AssetProblem(f"{url} is not an image we import ({content_type or 'no type'})")
        return data, content_type

    def open_for_post(self, reference, *, external):
        """(file name, bytes) of a post's featured image, for the post's own image field."""
        if external:
            data, content_type = self._download(reference)
            suffix = mimetypes.guess_extension(content_type) or ".img"
            name = (slugify(PurePosixPath(urlsplit(reference).path).stem) or "image") + suffix
        else:
            path = self.local_path(reference)
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                raise AssetProblem(f"{reference} is not an image we import")
            data, name = path.read_bytes(), path.name
        try:
            images.check_upload(ContentFile(data, name=name))
            with Image.open(BytesIO(data)) as image:
                image.verify()
        except (images.ImageRejected, OSError, SyntaxError) as error:
            raise AssetProblem(f"{reference}: {error}") from None
        return name, data, _digest(data)
