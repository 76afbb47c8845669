"""Issue 10 findings 5 and 6: photos keep no original, no metadata and no guessable name,
move when fewer people may see them, go with the account; uploads cannot take a worker down."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bpd.members import services
from tests.members.test_profile import form_data


def jpeg_with_gps(size=(800, 600)):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (6.0, 31.0, 0.0), 4: (3.0, 22.0, 0.0)}  # GPSInfo: Accra
    exif[0x010F] = "PhoneMaker"
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(client, content, name="me at home in Accra.jpg", **extra):
    photo = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post("/members/profile/about/", form_data("about", photo=photo, **extra))


def test_5_only_a_small_copy_is_kept_without_metadata_or_a_guessable_name(signed_in, settings):
    client, profile = signed_in

    upload(client, jpeg_with_gps())

    profile.refresh_from_db()
    assert not profile.photo  # no original
    name = profile.photo_small.name
    assert "Accra" not in name
    assert len(name.rsplit("/", 1)[-1]) >= 24
    with Image.open(profile.photo_small) as small:
        assert small.format == "WEBP"
        assert not small.getexif()
        assert "exif" not in small.info
    stored = [p.name for p in (settings.MEDIA_ROOT / "members").rglob("*") if p.is_file()]
    assert stored == [name.rsplit("/", 1)[-1]]


def test_5_replacing_or_removing_a_photo_deletes_the_old_file(
    signed_in, settings, django_capture_on_commit_callbacks
):
    client, profile = signed_in
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jpeg_with_gps())
    profile.refresh_from_db()
    first = settings.MEDIA_ROOT / profile.photo_small.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jpeg_with_gps((400, 400)))
    profile.refresh_from_db()
    assert not first.exists()
    second = settings.MEDIA_ROOT / profile.photo_small.name
    assert second.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/profile/about/", form_data("about", remove_photo="on"))
    profile.refresh_from_db()
    assert not profile.photo_small
    assert not second.exists()


def test_5_a_narrower_audience_moves_the_photo_to_a_new_address(
    signed_in, settings, django_capture_on_commit_callbacks
):
    client, profile = signed_in
    client.post("/members/profile/privacy/", form_data("privacy", name_visibility=3))
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jpeg_with_gps())
    profile.refresh_from_db()
    public_address = profile.photo_small.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/profile/privacy/", form_data("privacy", name_visibility=2))

    profile.refresh_from_db()
    assert profile.photo_small.name != public_address
    assert not (settings.MEDIA_ROOT / public_address).exists()


def test_5_deleting_the_account_deletes_the_photo(signed_in, settings):
    client, profile = signed_in
    upload(client, jpeg_with_gps())
    profile.refresh_from_db()
    path = settings.MEDIA_ROOT / profile.photo_small.name

    services.delete_account(user=profile.user)

    assert not path.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xd8" + b"0" * (6 * 1024 * 1024), "larger than 5 MB"),
        ("huge", "too large"),
        ("truncated", "not a photo we can read"),
        (b"GIF89a not really", "not a photo we can read"),
    ],
)
def test_6_bad_uploads_get_a_clear_message_and_nothing_is_stored(signed_in, content, message):
    client, profile = signed_in
    if content == "huge":  # 12000 x 12000: tiny as a PNG, 432 MB once decoded
        buffer = BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG")
        content = buffer.getvalue()
    elif content == "truncated":
        content = jpeg_with_gps()[:2000]

    response = upload(client, content)

    assert response.status_code == 200
    assert message in response.text
    profile.refresh_from_db()
    assert not profile.photo_small
