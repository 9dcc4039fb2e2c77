from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. CRM sync.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Lantern POSTs your new actions here, signed with the secret shown once."),
    )
