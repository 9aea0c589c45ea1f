"""Evidence uploads (*bukti dukung*): the shared rules of jipp.uploads, plus the per-innovation limit."""

from jipp.uploads import EXTENSIONS, JPEG, MAX_BYTES, PDF, PNG, WEBP, CleanFile, sniff, validate_upload

MAX_FILES_PER_INNOVATION = 20

__all__ = [
    "EXTENSIONS",
    "JPEG",
    "MAX_BYTES",
    "MAX_FILES_PER_INNOVATION",
    "PDF",
    "PNG",
    "WEBP",
    "CleanFile",
    "sniff",
    "validate_upload",
]
