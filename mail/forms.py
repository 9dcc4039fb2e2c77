from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mail.models import MailItem


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What became of it"), choices=MailItem.Outcome.choices)
