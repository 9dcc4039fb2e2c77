from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from correspondence.models import Post, PostPhoto
from correspondence.services import PostInput


class PostForm(forms.ModelForm[Post]):
    """What an editor writes: the post's fields, tags as a comma-separated list."""

    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas, e.g. letters from Ales Bialiatski."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = Post
        fields = [
            "case",
            "title",
            "language",
            "translation_of",
            "written_on",
            "written_at",
            "body",
            "excerpt",
        ]
        widgets = {"written_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        originals = Post.objects.filter(translation_of=None)
        if self.instance.pk:
            originals = originals.exclude(pk=self.instance.pk)
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
        self.fields["translation_of"].queryset = originals  # type: ignore[attr-defined]
        # A reply written in a language the site is not in (a letter in Czech) keeps it.
        current = self.instance.language
        if current and current not in dict(settings.LANGUAGES):
            language_field = self.fields["language"]
            assert isinstance(language_field, forms.ChoiceField)  # noqa: S101 - declared above
            language_field.choices = [*settings.LANGUAGES, (current, current)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        original = data.get("translation_of")
        if original is not None and original.language == data.get("language"):
            self.add_error("language", _("A translation must be in another language."))
        if original is not None and data.get("case") and original.case_id != data["case"].pk:
            self.add_error("case", _("A translation belongs to the case of its original."))
        return data

    def to_input(self) -> PostInput:
        data = self.cleaned_data
        tags = [n for n in data.get("tag_names", "").split(",") if n.strip()]
        return PostInput(
            case=data["case"],
            title=data["title"],
            body=data["body"],
            language=data["language"],
            written_on=data.get("written_on"),
            written_at=data.get("written_at", ""),
            excerpt=data.get("excerpt", ""),
            tags=tuple(tags),
            translation_of=data.get("translation_of"),
        )


PhotoFormSet: type[forms.BaseInlineFormSet[PostPhoto, Post, forms.ModelForm[PostPhoto]]] = (
    forms.inlineformset_factory(
        Post, PostPhoto, fields=["image", "caption", "position"], extra=1, can_delete=True
    )
)
