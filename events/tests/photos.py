"""Test photos that carry what must never be stored: a GPS position, XMP, PNG text chunks."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825
SECRET = b"Secret street 5"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>'
    + SECRET
    + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def jpeg_with_gps_and_xmp(size: tuple[int, int] = (2400, 1600)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 13.0, 47.0), 3: "E", 4: (21.0, 0.0, 42.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif, xmp=XMP)
    data = out.getvalue()
    assert b"SERIAL-12345" in data and SECRET in data  # the test photo really carries them
    with Image.open(BytesIO(data)) as check:
        assert check.getexif().get_ifd(GPS_IFD)[1] == "N"
    return data


def png_with_text_chunks() -> bytes:
    image = Image.new("RGBA", (300, 200), (10, 120, 200, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_itxt("Location", "52.2297 N, 21.0122 E")
    info.add_text("Author", "Anna Nowak", zip=True)
    out = BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    data = out.getvalue()
    with Image.open(BytesIO(data)) as check:
        assert check.text["Comment"] == SECRET.decode()  # type: ignore[attr-defined]  # PNG only
    return data


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, data, content_type=kind)


def assert_nothing_but_pixels(stored: bytes) -> None:
    """The stored file is a plain JPEG: no EXIF, GPS, XMP, text, ICC, comment; none of the
    secrets appears anywhere in its bytes."""
    for needle in (SECRET, b"SERIAL-12345", b"CameraMaker", b"Anna Nowak", b"52.2297", b"Exif"):
        assert needle not in stored
    assert b"xmpmeta" not in stored and b"http://ns.adobe.com/xap" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
        # Only the JFIF header (APP0) is left of the application segments.
        assert [marker for marker, _ in getattr(image, "applist", [])] in ([], ["APP0"])
