"""Reading Lantern's PDFs in tests: their text and the fonts they embed (pypdf, not by eye)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class PdfFont:
    name: str  # the PostScript name without the subset tag: "NotoSans-Regular"
    embedded: bool


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap where the layout likes)."""
    return re.sub(r"\s+", " ", text)


def _descriptor(font: DictionaryObject) -> DictionaryObject | None:
    if "/FontDescriptor" in font:
        descriptor = font["/FontDescriptor"].get_object()
        return descriptor if isinstance(descriptor, DictionaryObject) else None
    for descendant in font.get("/DescendantFonts", []):
        found = _descriptor(descendant.get_object())
        if found is not None:
            return found
    return None


def pdf_fonts(pdf: bytes) -> set[PdfFont]:
    """Every font the pages use, and whether its program is embedded in the file."""
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for ref in resources.get_object().get("/Font", {}).values():
            font = ref.get_object()
            descriptor = _descriptor(font)
            source = descriptor if descriptor is not None and "/FontName" in descriptor else None
            name = str(source["/FontName"] if source else font.get("/BaseFont", "")).lstrip("/")
            name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.add(PdfFont(name, embedded))
    return fonts


@dataclass(frozen=True)
class Placed:
    text: str
    left_mm: float  # from the page's left edge to the start of the text
    top_mm: float  # from the page's top edge to the text's baseline


def text_positions(pdf: bytes, page: int) -> list[Placed]:
    """Where each run of text on a page (0-based) is printed, measured from the top-left."""
    reader = PdfReader(io.BytesIO(pdf))
    sheet = reader.pages[page]
    height = float(sheet.mediabox.height)
    found: list[Placed] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        found.append(Placed(text.strip(), x / 72 * 25.4, (height - y) / 72 * 25.4))

    sheet.extract_text(visitor_text=visit)
    return found


def page_size_mm(pdf: bytes, page: int) -> tuple[float, float]:
    """The page's width and height in millimetres (0-based page)."""
    box = PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return float(box.width) / 72 * 25.4, float(box.height) / 72 * 25.4


@dataclass(frozen=True)
class QrCode:
    text: str
    left_mm: float  # the code's bounding box, from the page's top-left corner
    top_mm: float
    right_mm: float
    bottom_mm: float

    @property
    def centre_mm(self) -> tuple[float, float]:
        return (self.left_mm + self.right_mm) / 2, (self.top_mm + self.bottom_mm) / 2


def qr_codes(pdf: bytes, page: int, *, dpi: int = 200) -> list[QrCode]:
    """Every QR code on a page as a phone would read it: the page rendered by PDFium, the
    codes decoded by zxing-cpp, with where each sits on the page."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    mm = 25.4 / dpi
    found = []
    for code in zxingcpp.read_barcodes(image):
        at = code.position
        corners = [at.top_left, at.top_right, at.bottom_left, at.bottom_right]
        xs, ys = [p.x for p in corners], [p.y for p in corners]
        found.append(QrCode(code.text, min(xs) * mm, min(ys) * mm, max(xs) * mm, max(ys) * mm))
    return found
