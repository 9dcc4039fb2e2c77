"""Machine translation as an optional helper for translators: one interface, a registry.

A backend is any object with a `name` and a `translate(text, source, target)` method. It is
registered under a name with `register_backend`, and chosen with the setting
``LETTERS_MT_BACKEND`` (default "none": no backend, nothing leaves the server). Lantern
ships no backend: a deployment that has one adds a module that calls `register_backend` in
its AppConfig.ready(). A machine draft is only ever a draft; a translator reads it, corrects
it and saves it, and the saved translation records the backend when the draft was kept as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class MachineTranslator(Protocol):
    name: str

    def translate(self, text: str, source: str, target: str) -> str: ...


_BACKENDS: dict[str, Callable[[], MachineTranslator]] = {}


def register_backend(name: str, factory: Callable[[], MachineTranslator]) -> None:
    _BACKENDS[name] = factory


def unregister_backend(name: str) -> None:
    _BACKENDS.pop(name, None)


def get_backend() -> MachineTranslator | None:
    """The configured backend, None when the setting is "none"; unknown names fail loudly."""
    name = str(getattr(settings, "LETTERS_MT_BACKEND", "none") or "none")
    if name == "none":
        return None
    try:
        factory = _BACKENDS[name]
    except KeyError as exc:
        known = ", ".join(sorted(_BACKENDS)) or "none registered"
        raise ImproperlyConfigured(
            f"LETTERS_MT_BACKEND={name!r} is not a registered backend ({known})"
        ) from exc
    return factory()


@dataclass(frozen=True)
class Draft:
    text: str
    backend: str


def machine_draft(text: str, source: str, target: str) -> Draft | None:
    """A machine translation to start from, or None without a backend."""
    backend = get_backend()
    if backend is None or not source:
        return None
    return Draft(backend.translate(text, source, target), backend.name)
