"""Version 1 of the Belarus and Russia rulebooks, from letters/screening/rulebooks/*.json.

The files are read as they stand at migration time; later changes are made in the admin,
each saving a new version.
"""

import json
from pathlib import Path

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FILES = ("by.json", "ru.json")
FOLDER = Path(__file__).resolve().parent.parent / "screening" / "rulebooks"


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    rulebook = apps.get_model("letters", "Rulebook")
    for name in FILES:
        data = json.loads((FOLDER / name).read_text(encoding="utf-8"))
        if rulebook.objects.filter(name=data["name"]).exists():
            continue
        rulebook.objects.create(
            name=data["name"],
            country=data["country"],
            version=1,
            active=True,
            rules=data["rules"],
            note=data["note"],
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_rulebook_one_active")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
