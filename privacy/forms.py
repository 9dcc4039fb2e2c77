from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.forms import SupporterEmailField
from privacy.models import PrivacyRequest


class PrivacyRequestForm(forms.Form):
    email = SupporterEmailField(label=_("Your email address"))
    kind = forms.ChoiceField(
        label=_("What you ask for"),
        choices=[
            (PrivacyRequest.Kind.EXPORT, _("A copy of what Lantern holds about this address")),
            (PrivacyRequest.Kind.ERASURE, _("Erase my name, city and address")),
        ],
        widget=forms.RadioSelect,
        initial=PrivacyRequest.Kind.EXPORT,
    )
