"""Rebuild NotoSansCJKsc-Regular-Subset.otf from Debian's fonts-noto-cjk (see README.md).

Run with fontTools installed (it is not a dependency of Lantern):

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb ex
    python lantern/fonts/subset_cjk.py ex/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import subprocess  # noqa: S404 - runs fontTools' own command line
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SC_INDEX = 2  # "Noto Sans CJK SC" in the collection


def _double_byte(codec: str, rows: range) -> set[str]:
    found = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes([row, cell]).decode(codec))
            except UnicodeDecodeError:
                continue
    return found


def subset_characters() -> str:
    """Kana, Hangul, CJK punctuation and the common Han characters of China and Japan."""
    chars = {
        chr(code)
        for start, end in [
            (0x3000, 0x303F),  # CJK symbols and punctuation
            (0x3040, 0x30FF),  # Hiragana, Katakana
            (0x3130, 0x318F),  # Hangul compatibility jamo
            (0xFF00, 0xFFEF),  # full-width forms
        ]
        for code in range(start, end + 1)
    }
    chars |= _double_byte("gb2312", range(0xB0, 0xD8))  # GB 2312 level 1 Hanzi
    chars |= _double_byte("euc_jp", range(0xB0, 0xD0))  # JIS X 0208 level 1 Kanji
    chars |= _double_byte("euc_kr", range(0xB0, 0xC9))  # the 2,350 Hangul of KS X 1001
    return "".join(sorted(chars))


def main(collection: str) -> None:
    text_file = HERE / "cjk-subset.txt"
    text_file.write_text(subset_characters(), encoding="utf-8")
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "fontTools.subset",
            collection,
            f"--font-number={SC_INDEX}",
            f"--text-file={text_file}",
            "--layout-features=*",
            "--name-IDs=*",
            "--no-hinting",
            f"--output-file={HERE / 'NotoSansCJKsc-Regular-Subset.otf'}",
        ],
        check=True,
    )
    text_file.unlink()


if __name__ == "__main__":
    main(sys.argv[1])
