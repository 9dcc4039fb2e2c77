"""Cases' headline and story in the reader's language (CaseTranslation), applied in memory."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

from cases.models import Case, CaseTranslation


def localize_cases(cases: Iterable[Case], language: str | None = None) -> list[Case]:
    """The cases with their translated headline and story put on the instances (one query);
    empty translated fields keep the original. For showing only."""
    cases = list(cases)
    language = (language or get_language() or "").split("-")[0]
    if language == settings.LANGUAGE_CODE:
        return cases  # the cases' own texts are in the site's language
    translations = CaseTranslation.objects.filter(case__in=cases, language=language)
    by_case = {t.case_id: t for t in translations}
    for case in cases:
        translation = by_case.get(case.pk)
        if translation is None:
            continue
        if translation.headline:
            case.headline = translation.headline
        if translation.story:
            case.story = translation.story
    return cases
