from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from letters.models import Letter
from mail.models import MailItem


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What became of it"), choices=MailItem.Outcome.choices)


class HeldLettersForm(forms.Form):
    """Letters held after a person's release: handed over to them, or given back."""

    HANDED_OVER = "handed_over"
    GIVEN_BACK = "given_back"

    letter = forms.ModelMultipleChoiceField(
        queryset=Letter.objects.filter(
            status__in=Letter.READY_FOR_MAIL,
            mail_item__isnull=True,
            case__status__in=Case.NOT_IN_CUSTODY,
        ),
        label=_("Letters"),
        error_messages={
            "required": _("Tick the letters first."),
            "invalid_choice": _("A ticked letter is no longer held: reload the page."),
        },
    )
    outcome = forms.ChoiceField(
        choices=[
            (HANDED_OVER, _("Handed over in person")),
            (GIVEN_BACK, _("Give back to the writers")),
        ]
    )
