"""Images in pages and rich text are served from the local storage with DEBUG off, and
nothing else of the media folder is."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_media")]


def _image(title: str = "교육 현장"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 600), (20, 90, 160)).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file.save(
        "class-photo.png", ImageFile(buffer, name="class-photo.png"), save=False
    )
    image.save()
    return image


def test_a_rich_text_image_is_served_as_the_image_it_is(client, settings):
    assert settings.DEBUG is False
    image = _image()
    html = expand_db_html(
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth"/>'
    )
    src = html.split('src="')[1].split('"')[0]
    assert src.startswith("/media/images/")

    response = client.get(src)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    served = PILImage.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.format == "PNG" and served.width == 800


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/..%2fdocuments%2fsecret.pdf",
        "/media/images/%2e%2e/documents/secret.pdf",
        "/media/images/page.html",
        "/media/images/.hidden.png",
        "/media/original_images/class-photo.png",
        "/media/documents/secret.pdf",
    ],
)
def test_nothing_else_of_the_media_folder_is_served(client, path):
    _image()
    default_storage.save("documents/secret.pdf", ContentFile(b"%PDF-1.4 secret"))
    default_storage.save("images/page.html", ContentFile(b"<script>alert(1)</script>"))
    default_storage.save("images/.hidden.png", ContentFile(b"x"))

    assert client.get(path).status_code == 404
