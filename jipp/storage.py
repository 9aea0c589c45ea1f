"""Serving files (evidence attachments) from whichever storage holds them.

Public files (evidence of published records, not removed, not part of an edit under review) are
served by the app itself at ``MEDIA_URL`` (``public_media``), on one machine with no media server,
with a year's ``Cache-Control: public, immutable`` (stored names are random and never reused), an
``ETag`` and ``Last-Modified``. The same on disk and on S3: with object storage the app streams the
object (files are at most 10 MB), so pages link the portal's own stable URL, browsers and CDNs cache
it for a year, and the bucket stays private. A redirect to a signed URL could not be cached like that
(the signature expires after minutes, and every page would carry a different URL).

Media live on local disk by default (``MEDIA_ROOT``) and on S3-compatible object storage when
``S3_BUCKET`` is set (see settings and docs/deploy.md). Private files are never given a public URL:
the permission-checked view ``innovations:evidence_download`` looks the evidence up through
``jipp.access`` and streams it itself (from disk or from the bucket) with
``X-Content-Type-Options: nosniff`` and ``Cache-Control: private, no-store``; the bucket stays private.
"""

import hashlib
import mimetypes

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response
from django.utils.encoding import filepath_to_uri
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from storages.backends.s3 import S3Storage


class PortalS3Storage(S3Storage):
    """django-storages' S3 backend whose plain ``url()`` is the portal's own ``MEDIA_URL`` address
    (served by ``public_media``), so public pages link a stable URL; with parameters or an expiry it is
    the usual short-lived signed URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if parameters is None and expire is None and http_method is None:
            return settings.MEDIA_URL + filepath_to_uri(name)
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)


# --- Public files ---------------------------------------------------------------------------------
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def public_media(request, name):
    """A public evidence file at its ``MEDIA_URL`` address; 404 for anything not public (drafts,
    removed files, files of an edit still under review), which are served only by the
    permission-checked ``innovations:evidence_download``. The rule is ``jipp.access``'s."""
    from innovations.models import Evidence
    from jipp import access

    pk = Evidence.objects.filter(file=name).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    evidence = access.get_evidence_for_user(AnonymousUser(), pk)  # 404 unless public
    digest = hashlib.blake2b(f"{evidence.file.name}|{evidence.size}".encode(), digest_size=12)
    etag = f'"{digest.hexdigest()}"'
    last_modified = int(evidence.uploaded_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        try:
            handle = evidence.file.open("rb")
        except Exception as error:  # noqa: BLE001 - missing on disk or in the bucket: not found
            raise Http404 from error
        pdf = evidence.content_type == "application/pdf"
        extension = mimetypes.guess_extension(evidence.content_type) or ""
        filename = f"bukti-{evidence.pk}{extension}"
        response = FileResponse(
            handle, content_type=evidence.content_type, as_attachment=pdf, filename=filename
        )
        if not pdf:  # re-encoded images are shown in the browser
            response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response.public_file = True  # the same for everyone: jipp.middleware leaves its caching alone
    return response
