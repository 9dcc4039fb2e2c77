"""What a kit printout is asked for with: the case, the language, the paper, how many sheets,
and (for organizers) the partner the QR codes count for. Read from the query string, so that
the kit page and its download links work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from cases.models import Case
from kit.pieces import KitSpec
from kit.pieces.base import MAX_SHEETS, SIZES
from kit.printing import kit_languages
from kit.services import kit_spec
from partners.models import Partner

SIZE_LABELS = {"a4": _("A4"), "a3": _("A3")}


class KitForm(forms.Form):
    case = forms.ModelChoiceField(
        queryset=Case.objects.none(), to_field_name="slug", label=_("Person"), empty_label=None
    )
    language = forms.ChoiceField(label=_("Language of the printouts"))
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("QR codes count for"),
        empty_label=_("no partner (the organizers)"),
    )
    size = forms.ChoiceField(choices=[(s, SIZE_LABELS[s]) for s in SIZES], required=False)
    sheets = forms.IntegerField(
        min_value=1, max_value=MAX_SHEETS, required=False, label=_("Sheets")
    )

    def __init__(
        self, *args: Any, campaign: Campaign, partner: Partner | None, **kwargs: Any
    ) -> None:
        """`partner`: the partner area's own partner (fixed); None on the organizers' page,
        where the form offers the campaign's partners."""
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fixed_partner = partner
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)  # noqa: S101 (for mypy)
        case_field.queryset = campaign.cases.prefetch_related("names").order_by("name")
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, get_language_info(code)["name_local"]) for code in kit_languages(campaign)
        ]
        if partner is None:
            partner_field = self.fields["partner"]
            assert isinstance(partner_field, forms.ModelChoiceField)  # noqa: S101
            partner_field.queryset = campaign.partners.order_by("name")
        else:
            del self.fields["partner"]

    def spec(self) -> KitSpec:
        data = self.cleaned_data
        partner = self.fixed_partner if self.fixed_partner else data.get("partner")
        return kit_spec(
            self.campaign,
            data["case"],
            data["language"],
            partner,
            size=data.get("size") or "a4",
            sheets=data.get("sheets") or 1,
        )
