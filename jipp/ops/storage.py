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

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PortalS3Storage(S3Storage):
    """django-storages' S3 backend whose plain ``url()`` is the portal's own ``MEDIA_URL`` address
    (served by ``public_media``), so public pages link a stable URL; with parameters or an expiry it is
    the usual short-lived signed URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if parameters is None and expire is None and http_method is None:
            return settings.MEDIA_URL + filepath_to_uri(name)
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
