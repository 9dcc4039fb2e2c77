"""The built-in rule kinds. Importing this package registers them (see `base.register`)."""

from letters.screening.checks import code, contacts, language, length, words

__all__ = ["code", "contacts", "language", "length", "words"]
