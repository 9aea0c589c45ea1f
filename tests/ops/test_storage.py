"""Private files: streamed as downloads from local disk, or redirected to a short-lived signed URL
on S3-compatible object storage (an in-process S3 from moto stands in for it)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory

from jipp.storage import private_file_response


class _Field:
    """Enough of a FileField for FieldFile."""

    def __init__(self, storage):
        self.storage = storage
        self.name = "file"


def _fieldfile(storage, name, content):
    saved = storage.save(name, ContentFile(content))
    return FieldFile(None, _Field(storage), saved)


def test_local_private_file_is_a_nosniff_attachment(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    fieldfile = _fieldfile(storage, "evidence/sk.pdf", b"%PDF-1.4 keputusan")
    response = private_file_response(RequestFactory().get("/"), fieldfile, "SK Bupati.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SK Bupati.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 keputusan"


def test_html_upload_is_never_served_as_a_page(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    fieldfile = _fieldfile(storage, "evidence/x.bin", b"<script>alert(1)</script>")
    response = private_file_response(RequestFactory().get("/"), fieldfile, "laporan.bin")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_object_storage_file_redirects_to_a_short_lived_signed_url(monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3
    from storages.backends.s3 import S3Storage

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
        storage = S3Storage(
            bucket_name="jipp-media",
            region_name="ap-southeast-3",
            querystring_auth=True,
            querystring_expire=300,
            signature_version="s3v4",
            file_overwrite=False,
            default_acl=None,
        )
        fieldfile = _fieldfile(storage, "evidence/sk.pdf", b"%PDF-1.4 keputusan")
        response = private_file_response(RequestFactory().get("/"), fieldfile, "SK Bupati.pdf")
        assert response.status_code == 302
        url = urlsplit(response["Location"])
        query = parse_qs(url.query)
        assert query["X-Amz-Expires"] == ["300"]
        assert "X-Amz-Signature" in query
        assert query["response-content-disposition"] == ['attachment; filename="SK Bupati.pdf"']
        assert "no-store" in response["Cache-Control"]
        # The object itself is private: without a signature there is nothing to read.
        assert storage.bucket.Object(fieldfile.name).get()["Body"].read() == b"%PDF-1.4 keputusan"


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
    assert s3.stdout.split() == ["storages.backends.s3.S3Storage", "120"], s3.stderr
