"""Serving private files (evidence attachments) from whichever storage holds them.

Media live on local disk by default (``MEDIA_ROOT``) and on S3-compatible object storage when
``S3_BUCKET`` is set (see settings and docs/deploy.md). Private files are never given a public URL:
a permission-checked view looks the object up through ``jipp.access`` and then returns
``private_file_response(request, obj.file, filename)``:

- local disk: the file is streamed by the app server with ``Content-Disposition: attachment``,
  ``X-Content-Type-Options: nosniff`` and ``Cache-Control: private, no-store``;
- object storage: a redirect to a short-lived signed URL (``S3_URL_EXPIRE`` seconds, 300 by
  default) that forces the same download disposition; the bucket itself stays private.
"""

import mimetypes

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Types a browser would render inline; everything is sent as a download anyway, and nosniff stops
# the browser from guessing HTML out of an upload.
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def is_object_storage(storage) -> bool:
    return storage.__class__.__module__.startswith("storages.")


def signed_url(fieldfile, filename: str, *, expire: int | None = None) -> str:
    """A short-lived URL for a file in object storage that downloads under ``filename``."""
    storage = fieldfile.storage
    expire = expire or getattr(settings, "S3_URL_EXPIRE", 300)
    content_type = mimetypes.guess_type(filename)[0] or FALLBACK_CONTENT_TYPE
    disposition = _attachment(filename)
    return storage.url(
        fieldfile.name,
        parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        expire=expire,
    )


def private_file_response(request, fieldfile, filename: str):
    """Send a private file after the caller has checked permission. Never cached by anyone."""
    if is_object_storage(fieldfile.storage):
        response = HttpResponseRedirect(signed_url(fieldfile, filename))
    else:
        content_type = mimetypes.guess_type(filename)[0] or FALLBACK_CONTENT_TYPE
        response = FileResponse(
            fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _attachment(filename: str) -> str:
    # The same encoding FileResponse uses: plain ASCII names as is, others as RFC 5987 filename*.
    from urllib.parse import quote

    try:
        filename.encode("ascii")
        safe = filename.replace("\\", "\\\\").replace('"', r"\"")
        return f'attachment; filename="{safe}"'
    except UnicodeEncodeError:
        return f"attachment; filename*=utf-8''{quote(filename)}"
