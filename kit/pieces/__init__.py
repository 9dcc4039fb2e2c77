"""The pieces of the offline kit, in the order the kit page lists them (docs/KIT.md)."""

from __future__ import annotations

from kit.pieces import petition, postcards, poster, stickers
from kit.pieces.base import KitSpec, Piece

PIECES: dict[str, Piece] = {
    piece.slug: piece for piece in (poster.PIECE, stickers.PIECE, petition.PIECE, postcards.PIECE)
}

__all__ = ["PIECES", "KitSpec", "Piece"]
