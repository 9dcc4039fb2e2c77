"""Form fields shared across apps."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.countries import country_choices, localized_country_choices
from lantern.guard.emails import is_disposable
from lantern.privacy import normalize_email


def _choices_in_reader_language() -> list[tuple[str, str]]:
    """Evaluated at each rendering: the names in the page's language, in its alphabet's order."""
    return [("", str(_("Choose your country"))), *localized_country_choices()]


class CountryField(forms.ChoiceField):
    """A country select whose 249 choices are shared, not deep-copied into every form."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_choices_in_reader_language, **kwargs)
        self._valid = frozenset(code for code, _ in country_choices())

    def __deepcopy__(self, memo: dict[int, Any]) -> CountryField:
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.error_messages = self.error_messages.copy()
        return result

    def valid_value(self, value: Any) -> bool:
        return value in self._valid


class SupporterEmailField(forms.CharField):
    """An address as the supporter typed it, accepted when `normalize_email` can read it and
    it is not at a disposable-mail domain.

    The address is kept as typed (trimmed); the services normalize, hash and seal it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        raw: str = super().clean(value)
        if raw:
            try:
                normalize_email(raw)
            except ValidationError:
                raise ValidationError(_("Enter a valid email address."), code="invalid") from None
            if is_disposable(raw):
                raise ValidationError(
                    _(
                        "Addresses from throwaway-mail services cannot be used here. Please "
                        "enter an address you keep."
                    ),
                    code="disposable",
                )
        return raw


class PostingForm(forms.Form):
    """When something went into the post, and its tracking number (a batch, a petition)."""

    posted_on = forms.DateField(
        label=_("Posted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100, required=False)
