from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from lantern.countries import country_choices
from lantern.forms import CountryField
from letters.forms import WriteForm
from letters.models import Letter
from registry.formats import format_for
from registry.models import Drive, Source
from registry.services import default_closes_on, drive_problems


class UploadForm(forms.Form):
    """An organizer's upload of a source's list (admin)."""

    source = forms.ModelChoiceField(queryset=Source.objects.all(), label=_("Source"))
    file = forms.FileField(label=_("The list (.csv or .json)"))
    retrieved_at = forms.DateTimeField(
        label=_("Retrieved at"),
        initial=timezone.now,
        help_text=_("When the list was downloaded from the publisher."),
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        help_text=_("The date the publisher gave the list, if any."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if format_for(upload.name or "") is None:
            raise ValidationError(_("The file must be .csv or .json."), code="format")
        return upload

    def clean_retrieved_at(self) -> Any:
        value = self.cleaned_data["retrieved_at"]
        if value > timezone.now():
            raise ValidationError(_("The list cannot be retrieved in the future."), code="future")
        return value


class CorrectionForm(forms.Form):
    """An organizer's correction of a prisoner's registry fields."""

    name = forms.CharField(label=_("Name in the local script"), max_length=200)
    name_latin = forms.CharField(label=_("Name in Latin letters"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices())
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    arrested_on = forms.DateField(
        label=_("Arrested on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    articles = forms.CharField(
        label=_("Articles of the criminal code"),
        required=False,
        max_length=500,
        help_text=_("Separated by semicolons."),
    )
    sentence = forms.CharField(label=_("Sentence"), required=False, max_length=300)
    facility = forms.CharField(label=_("Facility"), required=False, max_length=200)
    facility_address = forms.CharField(
        label=_("Facility address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per line, in the local script."),
    )
    release_on = forms.DateField(
        label=_("Release date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Why, or where it comes from"), required=False, max_length=300)

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        facility = values["facility"] or {"name": "", "address": []}
        return {
            **{k: v for k, v in values.items() if k not in ("facility", "articles")},
            "articles": "; ".join(values["articles"]),
            "facility": facility["name"],
            "facility_address": "\n".join(facility["address"]),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("facility_address", "").strip() and not data.get("facility", "").strip():
            self.add_error("facility", _("Name the facility of this address."))
        return data

    def values(self) -> dict[str, Any]:
        """The registry fields, in the shape `registry.refresh.current_values` gives."""
        data = self.cleaned_data
        lines = [" ".join(line.split()) for line in data["facility_address"].splitlines()]
        facility = " ".join(data["facility"].split())
        return {
            "name": " ".join(data["name"].split()),
            "name_latin": " ".join(data["name_latin"].split()),
            "country": data["country"],
            "birth_year": data["birth_year"],
            "status": data["status"],
            "arrested_on": data["arrested_on"].isoformat() if data["arrested_on"] else None,
            "articles": [a.strip() for a in data["articles"].split(";") if a.strip()],
            "sentence": " ".join(data["sentence"].split()),
            "facility": {"name": facility, "address": [x for x in lines if x]}
            if facility
            else None,
            "release_on": data["release_on"].isoformat() if data["release_on"] else None,
        }


PRISONER_FIELD_LABELS = {
    "name": _("Name in the local script"),
    "name_latin": _("Name in Latin letters"),
    "country": _("Country"),
    "birth_year": _("Year of birth"),
    "status": _("Status"),
    "arrested_on": _("Arrested on"),
    "articles": _("Articles of the criminal code"),
    "sentence": _("Sentence"),
    "facility": _("Facility"),
    "release_on": _("Release date"),
}


class CountryStepForm(forms.Form):
    """The first step of "write to someone": the writer's country decides whom we may offer."""

    country = CountryField(label=_("Where do you write from?"))


class SomeoneForm(WriteForm):
    """The letter to the person offered, with the signed offer it answers."""

    offer = forms.CharField(widget=forms.HiddenInput)


class CardForm(WriteForm):
    """A drive's short greeting: a postcard, at most the drive's length."""

    def __init__(self, *args: Any, max_chars: int, **kwargs: Any) -> None:
        super().__init__(*args, kinds=[Letter.Kind.POSTCARD], **kwargs)
        self.max_chars = max_chars
        self.fields["text"].label = _("Your greeting")
        self.fields["text"].widget.attrs.update({"rows": 5, "maxlength": str(max_chars)})
        self.fields["author_name"].help_text = _(
            "Sign with your first and last name: some prisons pass on only cards signed so."
        )

    def clean_text(self) -> str:
        text = super().clean_text()
        if len(text) > self.max_chars:
            raise ValidationError(
                _("A card takes at most %(n)s characters; yours has %(length)s."),
                code="max_length",
                params={"n": self.max_chars, "length": len(text)},
            )
        return text


class DriveAdminForm(forms.ModelForm[Drive]):
    class Meta:
        model = Drive
        fields = [
            "title",
            "slug",
            "invitation",
            "campaign",
            "post_by",
            "closes_on",
            "max_chars",
            "sources",
            "countries",
            "facilities",
            "statuses",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].required = False
        self.fields["closes_on"].help_text = _(
            "The last day to write. Empty: %(days)s days before the posting date."
        ) % {"days": settings.DRIVE_MAIL_DESK_DAYS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("closes_on") and data.get("post_by"):
            data["closes_on"] = default_closes_on(data["post_by"])
            self.instance.closes_on = data["closes_on"]
        unknown = set(data.get("statuses") or []) - set(Case.Status.values)
        if unknown:
            self.add_error(
                "statuses", _("Unknown statuses: %(s)s") % {"s": ", ".join(sorted(unknown))}
            )
        problems = drive_problems(data.get("campaign"), data.get("post_by"), data.get("closes_on"))
        for field_name, message in problems.items():
            self.add_error(field_name, message)
        return data


class RegistryFilterForm(forms.Form):
    """The registry list's filters, from the query string. A value that is not one of these
    (a damaged link) is left out of the filtering rather than reaching the database."""

    q = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(Case.Status.choices))
    country = forms.CharField(required=False, max_length=2)
    source = forms.SlugField(required=False)
    listed = forms.ChoiceField(required=False, choices=[("", ""), ("yes", ""), ("no", "")])
    corrected = forms.ChoiceField(required=False, choices=[("", ""), ("yes", "")])
    facility = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def filters(self) -> dict[str, Any]:
        """The valid filters given (empty ones left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if v not in ("", None) and k not in self.errors}
