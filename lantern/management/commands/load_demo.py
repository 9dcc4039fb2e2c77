from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from lantern.conf import secret_from_file
from lantern.demo import SLUG, demo_loaded, load_demo
from reports.services import campaign_report

ORGANIZER = "organizer"


class Command(BaseCommand):
    help = "Load the demo marathon once (safe to run again), and print the organizer account."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write(f"The demo marathon ({SLUG}) is already loaded.")
        else:
            campaign = load_demo()
            report = campaign_report(campaign)
            self.stdout.write(
                f"Loaded the demo marathon {SLUG}: {report.total:,} actions "
                f"in {report.countries} countries."
            )
        password_file = settings.VAR_DIR / "organizer_password"
        if not User.objects.filter(username=ORGANIZER).exists():
            password_file.unlink(missing_ok=True)
            password = secret_from_file(password_file, nbytes=12)
            User.objects.create_superuser(ORGANIZER, "organizer@localhost", password)
        elif password_file.exists():
            password = password_file.read_text(encoding="ascii").strip()
        else:
            password = "(changed; reset with: manage.py changepassword organizer)"  # noqa: S105
        self.stdout.write(
            f"Organizer account: {ORGANIZER} / {password}  ->  {settings.SITE_URL}/admin/"
        )
