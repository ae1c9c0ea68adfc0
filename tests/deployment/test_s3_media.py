"""Uploads in an S3-compatible bucket, against a real S3 server (issue #15).

moto in server mode runs as a separate process on a free port, speaking the S3
protocol over HTTP; django-storages and boto3 talk to it as they would to any
S3-compatible store. The storage settings are the production ones
(config.settings.base.s3_media_storage). A document and an image are uploaded
through Wagtail's models, read back, and the document is served through its
URL by Wagtail's view, as an attachment after its checks (FILE-01).
"""

import io
import shutil
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from bench.processes import free_port, port_answers, wait_until
from config.settings.base import s3_media_storage
from courses.catalogue import CATALOGUE_DIR, catalogue_load

pytestmark = pytest.mark.servers
BUCKET = "knowhow-media-test"
KEYS = {"access_key": "testing-key-id", "secret_key": "testing-secret"}


@pytest.fixture(scope="module")
def s3_server():
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("moto.server")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: port_answers(port), timeout=60, what="moto's S3 server starting")
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="eu-west-2",
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        yield endpoint, client
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def in_the_bucket(s3_server, settings):
    endpoint, client = s3_server
    media = s3_media_storage(
        bucket=BUCKET,
        endpoint_url=endpoint,
        region="eu-west-2",
        custom_domain="knowhow.example.org/media",
        **KEYS,
    )
    with override_settings(STORAGES={**settings.STORAGES, "default": media}):
        yield client


def keys(client, prefix):
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def png(width=40, height=30):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_document_is_stored_in_the_bucket_and_served_through_django(in_the_bucket, client, rep):
    content = b"Model agreement on workplace monitoring.\n" * 50
    document = Document(title="Model agreement")
    document.file.save("model-agreement.txt", ContentFile(content), save=False)
    document.save()

    assert document.file.name in keys(in_the_bucket, "documents/")
    head = in_the_bucket.head_object(Bucket=BUCKET, Key=document.file.name)
    assert head["ContentLength"] == len(content)
    # Private: the bucket does not hand it to anyone who asks.
    acl = in_the_bucket.get_object_acl(Bucket=BUCKET, Key=document.file.name)
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]

    document.refresh_from_db()
    with document.file.open("rb") as stored_file:
        assert stored_file.read() == content
    assert document.get_file_size() == len(content)

    client.force_login(rep)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_image_and_its_renditions_are_stored_in_the_bucket(in_the_bucket):
    image = Image(title="Chart", file=ImageFile(io.BytesIO(png()), name="chart.png"))
    image.save()
    assert image.file.name in keys(in_the_bucket, "original_images/")
    assert (image.width, image.height) == (40, 30)

    rendition = image.get_rendition("width-20")
    assert (rendition.width, rendition.height) == (20, 15)
    assert rendition.file.name in keys(in_the_bucket, "images/")
    body = in_the_bucket.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"].read()
    assert PILImage.open(io.BytesIO(body)).size == (20, 15)
    # Served from the site's own host (the proxy forwards /media/ to the
    # bucket), so the pages' img-src 'self' holds.
    assert rendition.url == f"https://knowhow.example.org/media/{rendition.file.name}"


@pytest.mark.django_db
def test_the_catalogue_loader_writes_its_templates_to_the_bucket(in_the_bucket, tmp_path):
    for name in ["data-rights-introductory.yaml", "data-rights-intermediate.yaml"]:
        shutil.copy(CATALOGUE_DIR / name, tmp_path / name)
    catalogue_load(directory=tmp_path)
    written = {document.file.name for document in Document.objects.all()}
    assert written
    assert written <= set(keys(in_the_bucket, "documents/"))
