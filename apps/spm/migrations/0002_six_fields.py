"""The six SPM fields of PP 2/2018, served by the Posyandu under Permendagri 13/2024."""
from django.db import migrations

FIELDS = [
    ("kesehatan", "Kesehatan", "Kesehatan", "PP 2/2018; Permenkes 6/2024"),
    ("pendidikan", "Pendidikan", "Pendidikan", "PP 2/2018; Permendikbudristek 32/2022"),
    ("sosial", "Sosial", "Sosial", "PP 2/2018; Permensos 9/2018"),
    ("perumahan", "Perumahan Rakyat dan Kawasan Permukiman", "Perumahan", "PP 2/2018; PermenPUPR 13/2023"),
    ("pupr", "Pekerjaan Umum dan Penataan Ruang", "Pekerjaan Umum", "PP 2/2018; PermenPUPR 13/2023"),
    ("trantibumlinmas", "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat", "Trantibumlinmas",
     "PP 2/2018"),
]


def load(apps, schema_editor):
    SpmField = apps.get_model("spm", "SpmField")
    for order, (code, name, short, basis) in enumerate(FIELDS, start=1):
        SpmField.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "order": order, "legal_basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("spm", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
