from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.models import ApiToken, Partner
from partners.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a partner. The token is printed once and stored hashed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partner", help="partner slug")
        parser.add_argument("--name", default="API token")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiToken.Scope.values,
            help="repeat for several (default: all)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partner = Partner.objects.get(slug=options["partner"])
        except Partner.DoesNotExist:
            raise CommandError(f"No partner with slug {options['partner']!r}.") from None
        scopes = options["scope"] or list(ApiToken.Scope.values)
        token, plain = create_api_token(
            partner, options["name"], scopes, by="manage.py create_api_token"
        )
        self.stderr.write(f"Token {token.prefix}… for {partner.name}, scopes {', '.join(scopes)}.")
        self.stderr.write("Keep it now: it is not shown again.")
        self.stdout.write(plain)
