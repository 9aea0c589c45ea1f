"""Media storage: local disk or S3-compatible object storage (an in-process S3 from moto stands in
for it); public files streamed by the app at MEDIA_URL, private ones only by the checked view."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse


def test_settings_use_object_storage_only_when_a_bucket_is_configured():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "o=s.STORAGES['default'];print(o['BACKEND'], o.get('OPTIONS',{}).get('querystring_expire'))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "DJANGO_SETTINGS_MODULE": "jipp.settings",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@db/jipp",
    }
    root = Path(__file__).parents[2]
    local = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True)
    s3 = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **env,
            "S3_BUCKET": "jipp-media",
            "S3_ENDPOINT_URL": "https://s3.example.id",
            "S3_URL_EXPIRE": "120",
        },
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert local.stdout.split()[0] == "django.core.files.storage.FileSystemStorage", local.stderr
    assert s3.stdout.split() == ["jipp.ops.storage.PortalS3Storage", "120"], s3.stderr


# --- Public files at MEDIA_URL (issue 10 #2) -------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # served as stored; uploads were checked and re-encoded before
YEAR = "public, max-age=31536000, immutable"


def _evidence(innovation, name, content, content_type, **extra):
    from innovations.models import Evidence

    return Evidence.objects.create(
        innovation=innovation,
        title="Bukti",
        file=ContentFile(content, name=name),
        content_type=content_type,
        size=len(content),
        **extra,
    )


@pytest.fixture
def published(world):
    from tests.innovations.conftest import make_innovation

    return make_innovation(world.pekanbaru, name="Layanan Akta Keliling")


def _assert_public_file(response, content, content_type):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == YEAR
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert "sandbox" in response["Content-Security-Policy"]


def test_public_evidence_linked_from_the_record_is_served_with_long_cache_headers(published, client):
    image = _evidence(published, "foto.png", PNG, "image/png")
    pdf = _evidence(published, "sk.pdf", b"%PDF-1.4 keputusan", "application/pdf")
    page = client.get(published.get_absolute_url()).content.decode()
    for evidence in (image, pdf):
        assert evidence.file.url.startswith("/media/evidence/") and evidence.file.url in page
    response = client.get(image.file.url)
    _assert_public_file(response, PNG, "image/png")
    assert response["Content-Disposition"].startswith("inline")
    response = client.get(pdf.file.url)
    _assert_public_file(response, b"%PDF-1.4 keputusan", "application/pdf")
    assert response["Content-Disposition"] == f'attachment; filename="bukti-{pdf.pk}.pdf"'
    # Revalidation costs nothing: the same ETag or date answers 304 with the same caching.
    again = client.get(image.file.url, HTTP_IF_NONE_MATCH=response_etag(client, image))
    assert again.status_code == 304 and again["Cache-Control"] == YEAR
    since = client.get(image.file.url, HTTP_IF_MODIFIED_SINCE=client.get(image.file.url)["Last-Modified"])
    assert since.status_code == 304


def response_etag(client, evidence):
    return client.get(evidence.file.url)["ETag"]


def test_public_file_keeps_public_caching_for_signed_in_people(published, world, client):
    image = _evidence(published, "foto.png", PNG, "image/png")
    client.force_login(world.staff_siak)
    response = client.get(image.file.url)
    assert response.status_code == 200 and response["Cache-Control"] == YEAR
    assert "Cookie" not in response.get("Vary", "")


def test_files_that_are_not_public_are_not_served_at_media_url(published, world, client):
    from innovations.models import InnovationRevision
    from tests.innovations.conftest import make_innovation

    draft = make_innovation(world.pekanbaru, status="draft")
    revision = InnovationRevision.objects.create(innovation=published, created_by=world.staff_pekanbaru)
    hidden = [
        _evidence(draft, "draf.png", PNG, "image/png"),
        _evidence(published, "usulan.png", PNG, "image/png", revision=revision),
        _evidence(published, "dihapus.png", PNG, "image/png", is_removed=True),
    ]
    client.force_login(world.staff_pekanbaru)  # even their owner gets them only from the checked view
    for evidence in hidden:
        assert client.get(evidence.file.url).status_code == 404, evidence.file.name
        private = client.get(reverse("innovations:evidence_download", args=[evidence.pk]))
        assert private.status_code in (200, 404)
        assert private["Cache-Control"] == "private, no-store"
    assert client.get("/media/evidence/tidak-ada.png").status_code == 404
    assert client.get("/media/../var/secret_key").status_code == 404
    # A file listed in the database but missing from storage is a 404, not a 500.
    gone = _evidence(published, "hilang.png", PNG, "image/png")
    gone.file.storage.delete(gone.file.name)
    assert client.get(gone.file.url).status_code == 404


def test_public_files_on_object_storage_are_streamed_by_the_app(published, client, settings, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        boto3.client("s3", region_name="ap-southeast-3").create_bucket(
            Bucket="jipp-media", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "jipp.ops.storage.PortalS3Storage",
                "OPTIONS": {
                    "bucket_name": "jipp-media",
                    "region_name": "ap-southeast-3",
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "signature_version": "s3v4",
                    "file_overwrite": False,
                    "default_acl": None,
                },
            },
        }
        from innovations.models import Evidence

        assert Evidence._meta.get_field("file").storage.__class__.__name__ == "PortalS3Storage"
        image = _evidence(published, "foto.png", PNG, "image/png")
        assert image.file.url.startswith("/media/evidence/")  # the portal's address, not the bucket's
        assert image.file.url in client.get(published.get_absolute_url()).content.decode()
        _assert_public_file(client.get(image.file.url), PNG, "image/png")
        hidden = _evidence(published, "dihapus.png", PNG, "image/png", is_removed=True)
        assert client.get(hidden.file.url).status_code == 404
