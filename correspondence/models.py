"""Letters from prison: replies as they arrive, and the posts that publish them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from cases.models import Case

EXCERPT_WORDS = 60


class Tag(models.Model):
    """A label grouping posts: "letters from Ales Bialiatski"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("correspondence:tag", args=[self.slug])


class Post(models.Model):
    """A letter from prison, published. A translation is a Post of its own whose
    `translation_of` points at the original; lists show originals only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    language = models.CharField(_("language"), max_length=12, default="en")
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    written_on = models.DateField(_("date of writing"), null=True, blank=True)
    written_at = models.CharField(_("place of writing"), max_length=200, blank=True)
    body = models.TextField(_("text"), help_text=_("Plain text; blank lines separate paragraphs."))
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Shown in lists; the opening of the text if empty.")
    )
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True, verbose_name=_("tags"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="post_one_translation_per_language"
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("correspondence:post", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def dateline(self) -> str:
        """ "2 December 2012, Babruysk", the date in the active language's format."""
        parts = []
        if self.written_on:
            parts.append(date_format(self.written_on, "DATE_FORMAT"))
        if self.written_at:
            parts.append(self.written_at)
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The excerpt, or the opening words of the text."""
        if self.excerpt:
            return self.excerpt
        first = self.body.strip().split("\n\n", 1)[0]
        return Truncator(first).words(EXCERPT_WORDS, truncate="…")


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="posts/")
    caption = models.CharField(_("caption"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption


class Reply(models.Model):
    """A letter from prison as the mail desk received it: the scan, its transcription, and
    what it answers. An editor can turn it into a draft post."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="replies")
    written_on = models.DateField(_("date of writing"), null=True, blank=True)
    written_at = models.CharField(_("place of writing"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    language = models.CharField(_("language"), max_length=12, default="be")
    scan = models.FileField(_("scan"), upload_to="replies/", blank=True)
    transcription = models.TextField(
        _("transcription"), blank=True, help_text=_("Plain text; blank lines separate paragraphs.")
    )
    answers_letters = models.ManyToManyField(
        "letters.Letter",
        related_name="replies",
        blank=True,
        verbose_name=_("letters it answers"),
    )
    answers_batch = models.ForeignKey(
        "mail.MailBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("mail batch it answers"),
    )
    post = models.OneToOneField(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="reply"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.case} ({self.received_on:%Y-%m-%d})"
