from __future__ import annotations

from io import BytesIO

from PIL import Image


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 3), (179, 71, 0)).save(buffer, format="PNG")
    return buffer.getvalue()
