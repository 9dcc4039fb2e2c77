"""What a batch's PDF prints: the data `mail/pdf/batch.typ` lays out.

The address block of each letter sits where a DL or C5 window envelope shows it: DIN 5008
form B, the address field 20 mm from the left edge and 45 mm from the top, 85 mm by 45 mm;
its upper 17.7 mm are the endorsement zone (left empty), the address itself goes in the
27.3 mm below (docs/MAIL.md). The layout reads these numbers from here, so the tests and
the paper agree.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from lantern.countries import country_name
from mail.models import MailBatch, MailItem

LAYOUT = Path(__file__).resolve().parent / "pdf" / "batch.typ"
# DIN 5008 form B address field, in millimetres from the page's top-left corner.
WINDOW = {"left": 20, "top": 45, "width": 85, "height": 45, "address_top": 62.7}


def batch_items(batch: MailBatch) -> Any:
    return (
        MailItem.objects.filter(batch=batch)
        .select_related("letter__case", "address")
        .prefetch_related("letter__translations")
        .order_by("position")
    )


def batch_data(
    batch: MailBatch, on_progress: Callable[[int], None] = lambda done: None
) -> dict[str, Any]:
    facility = batch.facility
    made = formats.date_format(batch.created_at.date(), "j F Y")
    items = list(batch_items(batch))
    count = len(items)
    letters = []
    for done, item in enumerate(items, start=1):
        letter = item.letter
        letters.append(
            {
                "number": item.position,
                "heading": _("Letter %(number)s of %(count)s")
                % {"number": item.position, "count": count},
                "recipient": item.address.recipient_line,
                "address": item.address.lines,
                "case": letter.case.name,
                "kind": letter.get_kind_display(),
                "language": letter.language,
                "text": letter.text,
                "author": letter.author_name,
                "country": country_name(letter.author_country),
                "translations": [
                    {"language": t.language, "text": t.text} for t in letter.translations.all()
                ],
            }
        )
        on_progress(done)
    return {
        "title": _("Mail batch %(number)s") % {"number": batch.pk},
        "window": WINDOW,
        "facility": facility.name,
        "letters": letters,
        "labels": {
            "batch": _("Mail batch %(number)s: %(facility)s")
            % {"number": batch.pk, "facility": facility.name},
            "made": _("Made on %(date)s; %(count)s letters.") % {"date": made, "count": count},
            "number": _("No."),
            "recipient": _("Recipient"),
            "from": _("From"),
            "language": _("Language"),
            "translation": _("Translation"),
            "translation_into": _("Translation into"),
            "yes": _("yes"),
            "no": _("no"),
        },
        "count": count,
    }
