"""Public evidence files at their ``MEDIA_URL`` address, served by the app (docs/deploy.md): stable
links and a year's caching, on disk or object storage alike."""

import hashlib
import mimetypes

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from innovations import rules as innovation_rules
from innovations.models import Evidence

PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def public_media(request, name):
    """A public evidence file at its ``MEDIA_URL`` address; 404 for anything not public (drafts,
    removed files, files of an edit still under review), which are served only by the
    permission-checked ``innovations:evidence_download``. The rule is
    ``innovations.rules.get_evidence_for_user``'s."""
    pk = Evidence.objects.filter(file=name).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    evidence = innovation_rules.get_evidence_for_user(AnonymousUser(), pk)  # 404 unless public
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
    response.public_file = True  # the same for everyone: jipp.ops.middleware leaves its caching alone
    return response
