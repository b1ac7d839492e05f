"""Credible euros, step 3 of 3: conservative defaults for new outcomes (deadweight and
attribution 25–50 %, drop-off 20 %), required price year and source, and the checks."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outcomes', '0005_load_prices_and_keep_values'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='unitvalue',
            options={'ordering': ['normalised', 'pk'], 'verbose_name': 'own unit price', 'verbose_name_plural': 'own unit prices'},
        ),
        migrations.AlterField(
            model_name='outcome',
            name='attribution_high',
            field=models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='attribution to (%)'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='attribution_low',
            field=models.PositiveSmallIntegerField(default=25, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='attribution from (%)'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='deadweight_high',
            field=models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='deadweight to (%)'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='deadweight_low',
            field=models.PositiveSmallIntegerField(default=25, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='deadweight from (%)'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='drop_off',
            field=models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='drop-off per year (%)'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='unit_value',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outcomes', to='outcomes.unitvalue', verbose_name='own unit price'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='value_note',
            field=models.CharField(blank=True, help_text="For example: the care home's casemanager and the family helped too.", max_length=300, verbose_name='why these assumptions'),
        ),
        migrations.AlterField(
            model_name='unitvalue',
            name='period',
            field=models.CharField(choices=[('unit', 'per unit'), ('day', 'per day'), ('month', 'per month'), ('year', 'per year')], default='unit', help_text='Per day, month or year when the price is for a period (e.g. per year).', max_length=10, verbose_name='per'),
        ),
        migrations.AlterField(
            model_name='unitvalue',
            name='price_year',
            field=models.PositiveSmallIntegerField(help_text='The year whose euros this price is in, e.g. 2024.', validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='price year'),
        ),
        migrations.AlterField(
            model_name='unitvalue',
            name='source',
            field=models.CharField(help_text='Where the price comes from, so a controller can check it: publication, table, year (e.g. Milieu Centraal, Besparingen isolatie, 2024).', max_length=300, verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='unitvalue',
            name='unit',
            field=models.CharField(help_text='For example: energy saved per insulated home, repair.', max_length=80, verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='unitvalue',
            name='value',
            field=models.DecimalField(decimal_places=2, max_digits=12, verbose_name='price per unit (€)'),
        ),
        migrations.AddConstraint(
            model_name='outcome',
            constraint=models.CheckConstraint(condition=models.Q(('value_low__isnull', True), ('value_low__gte', 0), _connector='OR'), name='outcome_value_low_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='outcome',
            constraint=models.CheckConstraint(condition=models.Q(('value_high__isnull', True), ('value_high__gte', models.F('value_low')), _connector='OR'), name='outcome_value_high_not_below_low'),
        ),
        migrations.AddConstraint(
            model_name='outcome',
            constraint=models.CheckConstraint(condition=models.Q(('reference_price__isnull', True), ('unit_value__isnull', True), _connector='OR'), name='outcome_one_price'),
        ),
    ]
