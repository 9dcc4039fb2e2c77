from __future__ import annotations

from django import forms

from campaigns.models import Campaign
from partners.models import Partner


class ImportActionsForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all())
    partner = forms.ModelChoiceField(queryset=Partner.objects.all())
    file = forms.FileField(help_text="CSV in the format of docs/IMPORT.md")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        campaign, partner = data.get("campaign"), data.get("partner")
        if (
            isinstance(campaign, Campaign)
            and isinstance(partner, Partner)
            and not campaign.partners.filter(pk=partner.pk).exists()
        ):
            raise forms.ValidationError(f"{partner} does not take part in {campaign}.")
        return data
