from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from actions.rows import EARLIEST, MAX_COUNT
from actions.types import ActionType
from campaigns.models import Campaign
from events.models import EventPhoto
from events.services import CleanPhoto, EventInput, clean_photo
from lantern.forms import CountryField


class EventPhotoForm(forms.ModelForm[EventPhoto]):
    """Stores only the cleaned photo: every new upload goes through `clean_photo`."""

    class Meta:
        model = EventPhoto
        fields = ["image", "caption", "order"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            return clean_photo(image).file
        return image


# --- The report form of a partner's group, and an organizer's correction ---------------------

MAX_PHOTO_BYTES = 25 * 1024 * 1024
PHOTO_SLOTS = 4
# Offsets in use somewhere on Earth, whole and half hours and the few odd quarters.
UTC_OFFSETS = sorted(
    set(range(-12 * 60, 14 * 60 + 1, 30)) | {5 * 60 + 45, 8 * 60 + 45, 12 * 60 + 45}
)


def _offset_label(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def count_field_name(action_type: str) -> str:
    return f"count_{action_type}"


class CountsMixin(forms.Form):
    """One whole-number field per action type: how many of each the event produced."""

    def add_count_fields(self, initial: dict[str, int] | None = None) -> None:
        for value, label in ActionType.choices:
            self.fields[count_field_name(value)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_COUNT,
                required=False,
                initial=(initial or {}).get(value, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @property
    def count_fields(self) -> list[forms.BoundField]:
        return [self[count_field_name(value)] for value in ActionType.values]

    def counts(self) -> dict[str, int]:
        return {t: self.cleaned_data.get(count_field_name(t)) or 0 for t in ActionType.values}


class EventReportForm(CountsMixin):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label=_("Campaign"))
    title = forms.CharField(
        max_length=200,
        label=_("What happened"),
        help_text=_("For example: letter-writing evening at the city library."),
    )
    city = forms.CharField(max_length=100, label=_("City or place"))
    country = CountryField(label=_("Country"))
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    happened_time = forms.TimeField(
        label=_("Time"),
        required=False,
        help_text=_("When it started; leave empty if you do not know."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    utc_offset = forms.TypedChoiceField(
        label=_("Time zone"),
        choices=[(m, _offset_label(m)) for m in UTC_OFFSETS],
        coerce=int,
        initial=60,
        help_text=_("Poland in winter: UTC+01:00."),
    )
    people = forms.IntegerField(
        label=_("How many people took part"), min_value=0, max_value=MAX_COUNT, required=False
    )
    note = forms.CharField(
        label=_("Anything to add"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, campaigns: QuerySet[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        campaign_field.queryset = campaigns
        self.add_count_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campaign = data.get("campaign")
        if isinstance(campaign, Campaign):
            for value, label in ActionType.choices:
                if (data.get(count_field_name(value)) or 0) and value not in campaign.action_types:
                    self.add_error(
                        count_field_name(value),
                        _("This campaign does not count this kind of action: %(kind)s.")
                        % {"kind": label},
                    )
        day, offset = data.get("happened_on"), data.get("utc_offset")
        if day is not None and offset is not None:
            moment = datetime.combine(
                day,
                data.get("happened_time") or time(12, 0),
                tzinfo=timezone(timedelta(minutes=offset)),
            )
            if moment - django_timezone.now() > timedelta(days=1):
                self.add_error("happened_on", _("This date is in the future."))
            elif moment < EARLIEST:
                self.add_error("happened_on", _("This date is too far in the past."))
            data["happened_at"] = moment
        return data

    def to_input(self, photos: list[tuple[CleanPhoto, str]]) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            campaign=data["campaign"],
            title=data["title"],
            city=data["city"],
            country=data["country"],
            happened_at=data["happened_at"],
            people=data["people"],
            note=data["note"],
            counts=self.counts(),
            photos=photos,
        )


class PhotoForm(forms.Form):
    """One photo and its caption. The upload is re-encoded here, so nothing but its pixels
    goes further: `cleaned_data["photo"]` is a `CleanPhoto`."""

    image = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=300,
        required=False,
        help_text=_("Where it was taken, for example: Warsaw (Poland)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("image")
        if isinstance(upload, UploadedFile):
            if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
                self.add_error("image", _("This photo is larger than 25 MB."))
                return data
            try:
                data["photo"] = clean_photo(upload)
            except ValidationError as exc:
                self.add_error("image", exc)
        elif data.get("caption"):
            self.add_error("image", _("Choose the photo this caption belongs to."))
        return data


PhotoFormSet = forms.formset_factory(PhotoForm, extra=PHOTO_SLOTS, max_num=10, absolute_max=10)


def clean_photos(formset: forms.BaseFormSet[PhotoForm]) -> list[tuple[CleanPhoto, str]]:
    return [
        (form.cleaned_data["photo"], form.cleaned_data.get("caption", ""))
        for form in formset.forms
        if form.cleaned_data.get("photo") is not None
    ]


class CorrectionForm(CountsMixin):
    people = forms.IntegerField(
        label=_("How many people took part"), min_value=0, max_value=MAX_COUNT, required=False
    )
    reason = forms.CharField(
        label=_("Why the figures change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the correction and shown on the event's page."),
    )

    def __init__(self, *args: Any, counts: dict[str, int], people: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["people"].initial = people
        self.add_count_fields(counts)
