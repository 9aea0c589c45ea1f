"""jipp/uploads.py: type by content, size limit, decompression bombs, re-encoding, random names."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jipp import uploads


def image_bytes(fmt, size=(8, 8), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "expected"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_images_are_recognised_by_content_whatever_their_name(fmt, expected):
    upload = SimpleUploadedFile("anything.txt", image_bytes(fmt), content_type="text/plain")
    assert uploads.validate_upload(upload).content_type == expected


def test_a_pdf_is_recognised_by_content():
    upload = SimpleUploadedFile("x.bin", b"%PDF-1.7\n%%EOF\n")
    checked = uploads.validate_upload(upload)
    assert (checked.content_type, checked.size, checked.original_name) == ("application/pdf", 15, "x.bin")


def test_a_file_over_10_mb_is_refused():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * uploads.MAX_BYTES + b"%%EOF")
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        uploads.validate_upload(upload)


def test_a_decompression_bomb_is_refused():
    # 8000 × 6000 one-bit pixels: a small PNG that would decode to 48 megapixels.
    upload = SimpleUploadedFile("bomb.png", image_bytes("PNG", size=(8000, 6000), mode="1"))
    assert upload.size < 100_000
    with pytest.raises(ValidationError, match="too large"):
        uploads.validate_upload(upload)


def test_an_image_whose_header_lies_about_its_format_is_refused():
    # JPEG magic bytes in front of a PNG body.
    upload = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + image_bytes("PNG"))
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload)


def test_random_names_reveal_nothing_and_carry_the_detected_extension():
    first = uploads.random_name("hub-documents", "image/png")
    second = uploads.random_name("hub-documents", "image/png")
    assert first != second
    assert first.startswith("hub-documents/") and first.endswith(".png")
