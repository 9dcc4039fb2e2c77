"""EXPLAIN of the queries that find ledger rows by campaign, partner or user (PostgreSQL):
`bench/explain_ledger.py [ROWS]`.

In a new, migrated database: a ledger of ROWS actions (default 1,000,000; bench's generator,
a quarter of them from four partners, with external_ids; one in a thousand recorded by a
user) and a second campaign of 2,000, analysed; then the plan of each query that the
indexes dropped by `actions.0004_ledger_indexes_covered` used to serve. Each should name an
index (docs/PERFORMANCE.md, "The import").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import database, say, task  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with database("postgresql") as db:
        big = task(db, "campaign", slug="big", partner="p0")
        small = task(db, "campaign", slug="small")
        os.environ.update(db.env)
        import django

        django.setup()
        import steps
        from django.contrib.auth.models import User
        from django.db import connection
        from django.db.models import QuerySet

        from actions.models import Action
        from partners.exports import partner_actions
        from partners.models import Partner

        first = Partner.objects.get(slug="p0")
        partners = [first.pk] + [
            Partner.objects.create(slug=f"p{n}", name=f"Partner {n}", country="PL").pk
            for n in range(1, 4)
        ]
        user = User.objects.create(username="importer")
        with connection.cursor() as cursor:
            cursor.execute(
                steps._ledger_sql_postgres(big["campaign_id"], big["case_id"], partners, rows)
            )
            cursor.execute(
                steps._ledger_sql_postgres(small["campaign_id"], small["case_id"], partners, 2000)
            )
            cursor.execute(
                "UPDATE actions_action SET external_id = 'e' || id WHERE partner_id IS NOT NULL"
            )
            cursor.execute(
                "UPDATE actions_action SET recorded_by_id = %s WHERE id %% 1000 = 0", [user.pk]
            )
            cursor.execute("ANALYZE actions_action")
        partner = Partner.objects.get(pk=partners[1])
        campaign = small["campaign_id"]
        ids = list(Action.objects.filter(partner=partner).values_list("pk", flat=True)[:100])
        queries: dict[str, QuerySet[Action]] = {
            "the partner's page (partners.exports.partner_actions)": partner_actions(partner)[:50],
            "the partner's rows, counted by the page; a Partner's deletion (PROTECT)": (
                Action.objects.filter(partner__in=[partner])
            ),
            "earlier rows by external_id (the import, the API)": Action.objects.filter(
                partner=partner, external_id__in=["e1", "e5"]
            ),
            "an event's rows (events.services)": Action.objects.filter(
                partner_id=partner.pk, external_id__startswith="lantern-event-1-"
            ),
            "a webhook's rows": Action.objects.filter(pk__in=ids, partner_id=partner.pk),
            "a campaign's rows: a Campaign's deletion (PROTECT), the tallies' rebuild": (
                Action.objects.filter(campaign_id__in=[campaign])
            ),
            "the petition freeze and its total": Action.objects.filter(
                campaign_id=campaign, action_type="signature"
            ),
            "the report's roll-up (countries by time)": Action.objects.filter(
                campaign_id=campaign, country__in=["PL", "DE"]
            ).order_by("country", "occurred_at"),
            "a User's deletion (SET_NULL)": Action.objects.filter(recorded_by__in=[user]),
        }
        say(f"Ledger: {rows:,} rows in one campaign and 2,000 in another (id {campaign}).")
        for label, query in queries.items():
            say(f"\n-- {label}\n{query.explain()}")


if __name__ == "__main__":
    main()
