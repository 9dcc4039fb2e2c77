from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.forms import CountryField, SupporterEmailField
from petitions.models import Signature
from petitions.services import SignatureInput


def signer_name(value: str) -> str:
    """The name as signed: without surrounding spaces, and not spaces alone."""
    name = value.strip()
    if not name:
        raise ValidationError(_("Enter your name."), code="required")
    return name


class SignForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Your name"))
    name_display = forms.ChoiceField(
        choices=Signature.NameDisplay.choices,
        initial=Signature.NameDisplay.FULL,
        widget=forms.RadioSelect,
        label=_("Show my name on public lists"),
    )
    email = SupporterEmailField(
        label=_("Email"), help_text=_("Used only to count you once. Stored encrypted.")
    )
    country = CountryField(label=_("Country"))
    city = forms.CharField(max_length=100, required=False, label=_("City"))
    consent_letter = forms.BooleanField(
        required=False, label=_("Put my name on the letter delivered with the petition")
    )
    consent_contact = forms.BooleanField(
        required=False, label=_("The organizers may email me about this campaign")
    )

    def clean_name(self) -> str:
        return signer_name(self.cleaned_data["name"])

    def to_input(self) -> SignatureInput:
        data = self.cleaned_data
        return SignatureInput(
            name=data["name"],
            email=data["email"],
            country=data["country"],
            city=data["city"],
            name_display=data["name_display"],
            consent_letter=data["consent_letter"],
            consent_contact=data["consent_contact"],
        )


class FreezeForm(forms.Form):
    place = forms.CharField(
        max_length=100,
        required=False,
        label=_("Sent from (printed by the date)"),
        help_text=_("For example: Stockholm."),
    )
