from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms

from events.models import EventReport
from events.services import MAX_SIDE, add_photo, clean_photo
from lantern.testing import make_campaign

GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>'
    b"Secret street 5</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def jpeg_with_gps(size: tuple[int, int] = (2400, 1200)) -> BytesIO:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "PhoneOS 1.0"  # Software
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (52.0, 13.0, 47.0), 3: "E", 4: (21.0, 0.0, 42.0)}  # Warsaw
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif, icc_profile=icc, xmp=XMP, comment=b"Secret street 5")
    out.seek(0)
    return out


def test_the_test_photo_really_carries_gps_xmp_icc_and_a_comment() -> None:
    with Image.open(jpeg_with_gps()) as image:
        assert image.getexif().get_ifd(GPS_IFD)[1] == "N"
        assert "icc_profile" in image.info
        assert "xmp" in image.info
        assert image.info.get("comment") == b"Secret street 5"


def test_a_photo_with_gps_exif_is_stored_without_any_metadata() -> None:
    clean = clean_photo(jpeg_with_gps())
    data = clean.file.read()
    with Image.open(BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert not stored.getexif().get_ifd(GPS_IFD)
        for key in ("exif", "icc_profile", "xmp", "comment", "photoshop"):
            assert key not in stored.info
    for marker in (
        b"Exif",
        b"CameraMaker",
        b"PhoneOS",
        b"adobe:ns:meta",
        b"Secret street",
        b"acsp",
    ):
        assert marker not in data


def test_a_large_photo_is_resized_to_at_most_1600_pixels() -> None:
    clean = clean_photo(jpeg_with_gps((4000, 3000)))
    assert (clean.width, clean.height) == (MAX_SIDE, 1200)


def test_a_small_photo_keeps_its_size() -> None:
    clean = clean_photo(jpeg_with_gps((640, 480)))
    assert (clean.width, clean.height) == (640, 480)


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes() -> None:
    image = Image.new("RGB", (300, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    clean = clean_photo(out)
    assert (clean.width, clean.height) == (100, 300)


def test_a_transparent_png_becomes_a_jpeg_on_white() -> None:
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    with Image.open(clean_photo(out).file) as stored:
        assert stored.format == "JPEG"
        assert stored.getpixel((25, 25)) == (255, 255, 255)


def test_a_file_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a photo"):
        clean_photo(BytesIO(b"%PDF-1.4 not a photo"))


@pytest.mark.django_db
def test_add_photo_stores_the_clean_file_with_a_random_name(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    event = EventReport.objects.create(
        campaign=make_campaign(),
        title="Street painting",
        city="Warsaw",
        country="PL",
        happened_at=datetime(2012, 12, 10, 12, tzinfo=UTC),
    )
    upload = jpeg_with_gps()
    upload.name = "IMG_2012-12-10_Marszalkowska_12.jpg"
    photo = add_photo(event, upload, caption="Warsaw (Poland)")
    assert photo.order == 0
    assert "Marszalkowska" not in photo.image.name
    assert (photo.width, photo.height) == (MAX_SIDE, 800)
    stored = (tmp_path / photo.image.name).read_bytes()
    assert b"Exif" not in stored and b"CameraMaker" not in stored
    assert add_photo(event, jpeg_with_gps((10, 10))).order == 1
