"""Images every app shows: resized WebP renditions of uploads (pages never serve
originals) and the initials placeholder for people without a photo."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
MAX_PIXELS = 24_000_000
# Pillow refuses to decode anything larger at all (a "decompression bomb").
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRejected(ValueError):
    """An upload we will not decode; the message is for the person who sent it."""


def check_upload(upload):
    """Refuse, before decoding a single pixel, a file that is too big, not an image, too
    many pixels, or damaged. Returns the upload, rewound."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImageRejected(_("The photo is larger than 5 MB. Please send a smaller one."))
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size  # read from the header only
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise ImageRejected(
                    _("The photo is too large (at most %(side)s pixels on a side).")
                    % {"side": MAX_SIDE}
                )
            image.verify()  # checks the file is whole, without decoding the pixels
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # a truncated file fails here, not later on a page
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(
            _("The photo is too large (at most %(side)s pixels on a side).") % {"side": MAX_SIDE}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ImageRejected(
            _("This file is not a photo we can read (JPEG, PNG or WebP).")
        ) from None
    upload.seek(0)
    return upload


def webp_rendition(source, *, width, square=False, quality=80):
    """A WebP copy of `source` at most `width` pixels wide (cropped square if asked).

    Returns (ContentFile, width, height).
    """
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        if square:
            image = ImageOps.fit(image, (width, width))
        elif image.width > width:
            image = image.resize((width, round(image.height * width / image.width)))
        buffer = BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=6)
        return ContentFile(buffer.getvalue()), image.width, image.height


def initials_portrait(name, *, size=320):
    """A plain portrait placeholder with the person's initials, as PNG bytes.

    Used when someone on the team roster has no photo yet; staff replace it by uploading one.
    """
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    image = Image.new("RGB", (size, size), (34, 34, 34))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.1, size * 0.1, size * 0.9, size * 0.9), fill=(255, 200, 61))
    try:
        font = ImageFont.load_default(size=size // 3)
    except (ImportError, OSError):
        font = None  # Pillow without FreeType: its small bitmap font still shows the initials
    draw.text((size / 2, size / 2), initials, fill=(34, 34, 34), font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
