"""One name per design in a team, as a database constraint; designs that already share a name are renamed first."""

import unicodedata

import django.db.models.functions.text
from django.db import migrations, models


def _key(name):
    # As services._name_key tells names apart (copied: a migration must not change with the code).
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def rename_duplicates(apps, schema_editor):
    """Name the second and later designs of a team that share a name "Name (2)", "Name (3)" ...; the first keeps it."""
    for model_name in ("Product", "Stack"):
        model = apps.get_model("formulator", model_name)
        taken = {}
        for design in model.objects.filter(team__isnull=False).order_by("team_id", "pk"):
            keys = taken.setdefault(design.team_id, set())
            name, n = design.name, 2
            while _key(name) in keys:
                suffix = f" ({n})"
                name, n = design.name.strip()[:150 - len(suffix)] + suffix, n + 1
            keys.add(_key(name))
            if name != design.name:
                model.objects.filter(pk=design.pk).update(name=name)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('formulator', '0005_line_blend'),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('name'), models.F('team'), name='product_name_unique_in_team', violation_error_message='The team already has a product of this name.'),
        ),
        migrations.AddConstraint(
            model_name='stack',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('name'), models.F('team'), name='stack_name_unique_in_team', violation_error_message='The team already has a stack of this name.'),
        ),
    ]
