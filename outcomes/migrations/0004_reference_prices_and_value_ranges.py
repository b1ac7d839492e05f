"""Credible euros (issue #21), step 1 of 3: reference prices, the price index, own unit
prices with source and year, and an outcome's value as a range with its assumptions.

Existing outcomes keep their value: it becomes both ends of the range, with no deadweight,
full attribution and no drop-off (the assumptions it was made with), until someone edits it.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def percent(default, label):
    return models.PositiveSmallIntegerField(
        default=default,
        validators=[
            django.core.validators.MinValueValidator(0),
            django.core.validators.MaxValueValidator(100),
        ],
        verbose_name=label,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0003_publication_intro_label"),
    ]

    operations = [
        migrations.CreateModel(
            name="PriceIndex",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                ("index", models.DecimalField(decimal_places=3, max_digits=9, verbose_name="index")),
                ("source", models.CharField(max_length=200, verbose_name="source")),
            ],
            options={
                "verbose_name": "price index",
                "verbose_name_plural": "price indices",
                "ordering": ["year"],
            },
        ),
        migrations.CreateModel(
            name="ReferencePrice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=60, unique=True)),
                ("category", models.CharField(max_length=80, verbose_name="category")),
                ("label", models.CharField(max_length=200, verbose_name="unit")),
                ("price", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="price (€)")),
                (
                    "price_year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1900),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="price year",
                    ),
                ),
                (
                    "period",
                    models.CharField(
                        choices=[("unit", "per unit"), ("day", "per day"), ("month", "per month"), ("year", "per year")],
                        max_length=10,
                        verbose_name="per",
                    ),
                ),
                ("source", models.CharField(max_length=300, verbose_name="source")),
                ("featured", models.PositiveSmallIntegerField(blank=True, editable=False, null=True)),
            ],
            options={
                "verbose_name": "reference price",
                "verbose_name_plural": "reference prices",
                "ordering": [models.OrderBy(models.F("featured"), nulls_last=True), "category", "label"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("price__gte", 0)), name="reference_price_not_negative")
                ],
            },
        ),
        migrations.RenameField(model_name="unitvalue", old_name="note", new_name="source"),
        migrations.AddField(
            model_name="unitvalue",
            name="period",
            field=models.CharField(
                choices=[("unit", "per unit"), ("day", "per day"), ("month", "per month"), ("year", "per year")],
                default="unit",
                max_length=10,
                verbose_name="per",
            ),
        ),
        migrations.AddField(
            model_name="unitvalue",
            name="price_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="price year"),
        ),
        migrations.RemoveConstraint(model_name="outcome", name="outcome_value_not_negative"),
        migrations.RenameField(model_name="outcome", old_name="value", new_name="value_high"),
        migrations.AlterField(
            model_name="outcome",
            name="value_high",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name="value, high (€)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="value_low",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name="value, low (€)"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="value_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="price year"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="reference_price",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outcomes",
                to="outcomes.referenceprice",
                verbose_name="reference price",
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="duration",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="how long"),
        ),
        migrations.AddField(
            model_name="outcome",
            name="duration_unit",
            field=models.CharField(
                choices=[("months", "months"), ("years", "years")], default="months", max_length=10, verbose_name="in"
            ),
        ),
        migrations.AddField(model_name="outcome", name="deadweight_low", field=percent(0, "deadweight from (%)")),
        migrations.AddField(model_name="outcome", name="deadweight_high", field=percent(0, "deadweight to (%)")),
        migrations.AddField(model_name="outcome", name="attribution_low", field=percent(100, "attribution from (%)")),
        migrations.AddField(model_name="outcome", name="attribution_high", field=percent(100, "attribution to (%)")),
        migrations.AddField(model_name="outcome", name="drop_off", field=percent(0, "drop-off per year (%)")),
    ]
