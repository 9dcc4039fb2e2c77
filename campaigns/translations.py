"""A campaign's texts in the reader's language (CampaignTranslation), applied in memory."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from campaigns.models import Campaign, CampaignTranslation

FIELDS = ("title", "slogan", "summary", "petition_target", "petition_text")


def localize_campaign(campaign: Campaign, language: str | None = None) -> Campaign:
    """The campaign with its translated texts for `language` (default: the active one) put on
    the instance; empty translated fields keep the original. The instance is for showing:
    services save with update_fields, which never name these fields. The campaign's own
    texts are taken to be in LANGUAGE_CODE (English)."""
    language = (language or get_language() or "").split("-")[0]
    if language == settings.LANGUAGE_CODE:
        return campaign  # the campaign's own texts are in the site's language
    translation = CampaignTranslation.objects.filter(campaign=campaign, language=language).first()
    if translation is not None:
        for name in FIELDS:
            value = getattr(translation, name)
            if value:
                setattr(campaign, name, value)
        campaign.shown_language = language  # type: ignore[attr-defined]
    return campaign
