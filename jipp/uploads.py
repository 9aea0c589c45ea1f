"""Validation of uploaded documents and images, for every form that takes a file (innovation evidence,
hub documents).

- The type is decided by the file's *content* (magic bytes), never by its name or the browser's claim:
  PDF, JPEG, PNG or WebP only; HTML, SVG and anything else are refused whatever they are called.
- At most 10 MB.
- Images are decoded by Pillow under a pixel limit (decompression bombs are refused) and re-encoded from
  pixels, so what is stored is a clean image without metadata or trailing payload.
- Stored names are random (``random_name``), with the extension of the detected type.
Files are served with the detected type, ``X-Content-Type-Options: nosniff``, and never as HTML.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# About 40 megapixels: more than any phone photo, far less than a decompression bomb needs.
MAX_IMAGE_PIXELS = 40_000_000

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", WEBP: ".webp"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


@dataclass
class CleanFile:
    content: ContentFile
    content_type: str
    size: int
    original_name: str


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes (magic numbers), or None when it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _reject(message, code):
    raise ValidationError(message, code=code)


def validate_upload(upload) -> CleanFile:
    """Check one uploaded file and return what to store, or raise ValidationError with a clear reason."""
    if upload.size is None or upload.size > MAX_BYTES:
        _reject(_("The file is larger than 10 MB."), "too_big")
    if upload.size == 0:
        _reject(_("The file is empty."), "empty")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _reject(_("The file is larger than 10 MB."), "too_big")
    content_type = sniff(data[:16])
    if content_type is None:
        _reject(
            _(
                "Only PDF documents and JPEG, PNG or WebP images can be uploaded "
                "(the file's content decides)."
            ),
            "wrong_type",
        )
    if content_type == PDF:
        payload = _check_pdf(data)
    else:
        payload = _reencode_image(data, content_type)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return CleanFile(ContentFile(payload), content_type, len(payload), name)


def _check_pdf(data: bytes) -> bytes:
    # A PDF must end with its trailer; a truncated or disguised file does not.
    if b"%%EOF" not in data[-2048:]:
        _reject(_("The PDF file is damaged or incomplete."), "bad_pdf")
    return data


def _reencode_image(data: bytes, content_type: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != PILLOW_FORMATS[content_type]:
                    _reject(_("The image does not match its format."), "wrong_type")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    _reject(_("The image is too large (more than 40 megapixels)."), "bomb")
                image.load()
                return _encode(image, content_type)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _reject(_("The image is too large (more than 40 megapixels)."), "bomb")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            _reject(_("The image could not be read; it may be damaged."), "bad_image")


def _encode(image, content_type: str) -> bytes:
    """Re-encode from pixels only: metadata (EXIF, comments, ICC profiles) and any trailing payload are
    dropped."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)
    if content_type == JPEG:
        mode = "RGB"
    elif content_type == PNG:
        mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
    clean = image.convert(mode)
    clean.info = {}
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif content_type == PNG:
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return out.getvalue()


def random_name(prefix: str, content_type: str) -> str:
    """A stored file name that reveals nothing of the uploader's: ``prefix/<random>.<detected ext>``."""
    return f"{prefix}/{secrets.token_urlsafe(18)}{EXTENSIONS[content_type]}"
