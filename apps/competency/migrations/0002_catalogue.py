"""Load the Kemenkes basic-skills catalogue and the default level rules (data/*.json)."""
from django.db import migrations


def load(apps, schema_editor):
    from apps.competency.catalogue import sync_levels, sync_skills

    group_model = apps.get_model("competency", "SkillGroup")
    sync_skills(group_model, apps.get_model("competency", "Skill"))
    sync_levels(apps.get_model("competency", "LevelRule"), group_model)


class Migration(migrations.Migration):
    dependencies = [("competency", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
