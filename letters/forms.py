from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.forms import CountryField, SupporterEmailField
from letters.models import Letter
from letters.services import LetterInput, new_submission_key

MAX_TEXT = 20_000
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class WriteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Letter.Kind.choices,
        initial=Letter.Kind.LETTER,
        widget=forms.RadioSelect,
        label=_("What do you send?"),
    )
    text = forms.CharField(
        max_length=MAX_TEXT,
        label=_("Your letter"),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    author_name = forms.CharField(
        max_length=200,
        label=_("Your name, as it is signed"),
        help_text=_("Your first name and a town are enough."),
    )
    author_country = CountryField(label=_("Your country"))
    author_email = SupporterEmailField(
        required=False,
        label=_("Email (optional)"),
        help_text=_("Only to tell you if your letter cannot be sent. Stored encrypted."),
    )
    consent_contact = forms.BooleanField(
        required=False, label=_("You may email me if my letter cannot be sent")
    )
    # Rendered into each new form; the same form sent twice (a retry) is one letter.
    submission_key = forms.CharField(
        required=False, initial=new_submission_key, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            if not isinstance(field, forms.ChoiceField):
                raise TypeError("kind is a choice field")
            field.choices = [(k, label) for k, label in Letter.Kind.choices if k in kinds]
            if kinds:
                field.initial = kinds[0]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write a few words."), code="required")
        return text

    def clean_submission_key(self) -> str:
        """A key this server could have made, or none (a damaged key only loses the dedupe)."""
        key: str = self.cleaned_data["submission_key"]
        return key if SUBMISSION_KEY.fullmatch(key) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent_contact") and not data.get("author_email"):
            self.add_error("author_email", _("Enter the address we may write to."))
        if data.get("author_email") and not data.get("consent_contact"):
            self.add_error(
                "consent_contact",
                _("Tick the box to let us keep your address, or leave the address empty."),
            )
        return data

    def to_input(self) -> LetterInput:
        data = self.cleaned_data
        return LetterInput(
            kind=data["kind"],
            text=data["text"],
            author_name=data["author_name"],
            author_country=data["author_country"],
            author_email=data["author_email"],
            consent_contact=data["consent_contact"],
            submission_key=data["submission_key"],
        )


class EditForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_TEXT, label=_("Text to print"), widget=forms.Textarea(attrs={"rows": 14})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        label=_("Reason, shown to the author"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Into"))
    text = forms.CharField(
        max_length=MAX_TEXT, label=_("Translation"), widget=forms.Textarea(attrs={"rows": 14})
    )
    machine_draft = forms.CharField(required=False, widget=forms.HiddenInput)
    machine_backend = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError("language is a choice field")
        field.choices = [(code, code) for code in languages]
