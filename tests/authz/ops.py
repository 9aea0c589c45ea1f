from django.core.files.base import ContentFile

from tests.authz import Case, everyone


def _evidence(w, *, status="published", **extra):
    from innovations.models import Evidence
    from tests.innovations.conftest import make_innovation

    innovation = make_innovation(w.pekanbaru, status=status)
    evidence = Evidence.objects.create(
        innovation=innovation,
        title="Foto layanan",
        file=ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, name="foto.png"),
        content_type="image/png",
        size=40,
        **extra,
    )
    return {"name": evidence.file.name}


CASES = [
    # Readiness probe for load balancers: database and cache reachable. Public, like /healthz.
    Case("readyz", "get", everyone(200)),
    Case("readyz", "post", everyone(405)),
    # ops (issue 10 #2): public evidence files at MEDIA_URL, the same for everyone. Files that are not
    # public are 404 here for everyone, their owners included (they use innovations:evidence_download).
    Case("public_media", "get", everyone(200), kwargs=_evidence),
    Case(
        "public_media",
        "get",
        everyone(404),
        kwargs=lambda w: _evidence(w, status="draft"),
        id="public_media[get, draft]",
    ),
    Case(
        "public_media",
        "get",
        everyone(404),
        kwargs=lambda w: _evidence(w, is_removed=True),
        id="public_media[get, removed]",
    ),
    Case("public_media", "post", everyone(405), kwargs=_evidence),
]
