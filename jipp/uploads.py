"""Validation of uploaded documents and images, reusable by any form that takes a file.

The rules (the same as for innovation evidence):
- the type is decided by the file's *content* (its magic bytes), never by its name or the browser's
  Content-Type: PDF, JPEG, PNG or WebP only — HTML, SVG and everything else is refused;
- at most ``MAX_UPLOAD_BYTES`` (10 MB);
- images are opened with Pillow and fully decoded within ``MAX_IMAGE_PIXELS``, so a truncated file or a
  decompression bomb is refused instead of reaching a visitor's browser;
- the stored name is random (see ``random_name``) with the extension of the detected type.
Files are later served with the detected type, ``X-Content-Type-Options: nosniff`` and never as HTML.
"""

import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels is far beyond any scanned page or photo people attach, far below a bomb.
MAX_IMAGE_PIXELS = 40_000_000

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", WEBP: ".webp"}
ALLOWED_TYPES = tuple(EXTENSIONS)
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    original_name: str


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file announce, or None when it is none of the allowed ones."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _check_image(upload, content_type):
    from PIL import Image

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; treat the warning as a bomb.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    raise ValidationError(_("The file's content does not match an allowed type."))
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_("The image is too large (more than 40 megapixels)."))
                image.load()  # decodes every pixel: truncated or corrupt images fail here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image is too large (more than 40 megapixels).")) from error
    except Exception as error:  # noqa: BLE001 - any decoder failure means "not a usable image"
        raise ValidationError(_("The image could not be read; it may be damaged.")) from error
    finally:
        upload.seek(0)


def _check_pdf(upload):
    # A PDF ends with %%EOF (possibly followed by a little whitespace); a page with a PDF header
    # glued on front (a polyglot) rarely does, and a truncated upload never does.
    size = upload.size
    upload.seek(max(0, size - 1024))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(_("The PDF file is incomplete or damaged."))


def check_upload(upload) -> CheckedUpload:
    """Validate an ``UploadedFile``; return its detected type, or raise ``ValidationError``."""
    if upload is None:
        raise ValidationError(_("Choose a file."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(_("Only PDF, JPEG, PNG or WebP files are accepted."))
    if content_type == PDF:
        _check_pdf(upload)
    else:
        _check_image(upload, content_type)
    return CheckedUpload(content_type, upload.size, (upload.name or "")[-200:])


def random_name(prefix: str, content_type: str) -> str:
    """A stored file name that reveals nothing of the uploader's: ``prefix/<random>.<detected ext>``."""
    return f"{prefix}/{secrets.token_urlsafe(18)}{EXTENSIONS[content_type]}"
