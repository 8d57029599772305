"""Roll-ups per region level (issue 13), filled from the monthly values already computed."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from apps.reports.rollups import refresh_all  # raw SQL on the two tables, no model classes

    refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_dashboard'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegionValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.DateField(verbose_name='bulan')),
                ('sex', models.CharField(blank=True, max_length=1, verbose_name='jenis kelamin')),
                ('level', models.PositiveSmallIntegerField(choices=[(0, 'Nasional'), (1, 'Provinsi'), (2, 'Kabupaten/Kota'), (3, 'Kecamatan'), (4, 'Desa/Kelurahan')], verbose_name='tingkat')),
                ('area_code', models.CharField(blank=True, max_length=13, verbose_name='kode wilayah')),
                ('parent_code', models.CharField(blank=True, max_length=13, verbose_name='kode wilayah induk')),
                ('numerator', models.PositiveBigIntegerField(verbose_name='pembilang')),
                ('denominator', models.PositiveBigIntegerField(null=True, verbose_name='penyebut')),
                ('computed_at', models.DateTimeField()),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='region_values', to='reports.indicator')),
            ],
            options={
                'verbose_name': 'nilai bulanan wilayah',
                'verbose_name_plural': 'nilai bulanan wilayah',
                'indexes': [models.Index(fields=['parent_code', 'level', 'period', 'sex', 'indicator'], name='reports_rv_children_idx')],
                'constraints': [models.UniqueConstraint(fields=('area_code', 'period', 'indicator', 'sex'), name='region_value_unique')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
