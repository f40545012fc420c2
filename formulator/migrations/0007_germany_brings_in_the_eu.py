"""Designs saved for Germany without the EU are held to EU law too, as the forms now save them (markets_in_force)."""

from django.db import migrations


def germany_brings_in_the_eu(apps, schema_editor):
    from compounds.models import markets_in_force

    for name in ("Product", "Stack"):
        model = apps.get_model("formulator", name)
        for design in model.objects.only("pk", "markets").iterator():  # JSON containment: not on SQLite
            markets = markets_in_force(list(design.markets))
            if markets != list(design.markets):
                model.objects.filter(pk=design.pk).update(markets=markets)


class Migration(migrations.Migration):
    dependencies = [("formulator", "0006_name_unique_in_team")]

    operations = [migrations.RunPython(germany_brings_in_the_eu, migrations.RunPython.noop)]
