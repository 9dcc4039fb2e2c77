from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from events.models import EventPhoto
from events.services import clean_photo


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
