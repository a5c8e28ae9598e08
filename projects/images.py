"""Project pictures: checked by their content, re-encoded without metadata, resized, with a thumbnail.

Re-encoding drops everything but the pixels (EXIF with GPS positions, camera
serials, XMP, comments). The pixel count is checked from the header before any
pixel is decoded, so a small file that would unpack into gigabytes (a
decompression bomb) is refused without using the memory.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is either a bomb or needlessly large
LONG_EDGE = 1600
THUMBNAIL_EDGE = 480
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile


def process(upload: UploadedFile) -> ProcessedImage:
    """The upload as a clean picture and thumbnail, or a ValidationError a person can act on."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Das Bild ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    picture = _open(upload)
    picture = ImageOps.exif_transpose(picture)  # keep the orientation the EXIF data gave before dropping it
    keeps_transparency = picture.mode in ("RGBA", "LA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    picture = picture.convert("RGBA" if keeps_transparency else "RGB")
    out_format, extension = ("PNG", "png") if keeps_transparency else ("JPEG", "jpg")
    return ProcessedImage(
        image=_encoded(picture, LONG_EDGE, out_format, extension),
        thumbnail=_encoded(picture, THUMBNAIL_EDGE, out_format, extension),
    )


def _open(upload: UploadedFile) -> Image.Image:
    allowed = ", ".join(ACCEPTED_FORMATS.values())
    not_a_picture = ValidationError(
        _("Diese Datei ist kein Bild, das wir annehmen. Erlaubt sind: %(allowed)s.") % {"allowed": allowed},
        code="type",
    )
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(upload)
            if picture.format not in ACCEPTED_FORMATS:
                raise not_a_picture
            if picture.width * picture.height > MAX_PIXELS:
                raise _too_many_pixels(picture)
            picture.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(None) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise not_a_picture from None
    return picture


def _too_many_pixels(picture: Image.Image | None) -> ValidationError:
    if picture is None:
        message = _("Das Bild hat zu viele Bildpunkte; erlaubt sind höchstens %(limit)s Megapixel.") % {
            "limit": MAX_PIXELS // 1_000_000
        }
    else:
        message = _(
            "Das Bild hat %(width)s × %(height)s Bildpunkte; erlaubt sind höchstens %(limit)s Megapixel."
        ) % {"width": picture.width, "height": picture.height, "limit": MAX_PIXELS // 1_000_000}
    return ValidationError(message, code="too_many_pixels")


def _encoded(picture: Image.Image, edge: int, out_format: str, extension: str) -> ContentFile:
    copy = picture.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if out_format == "JPEG":
        copy.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        copy.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"image.{extension}")
