"""E-mail addresses unique whatever their case: existing addresses are lower-cased first; if two
accounts differ only by case the migration stops and lists them, to be merged by hand."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def duplicates(User):
    """{lower-cased address: [account ids]} for addresses held by several accounts."""
    addresses = User.objects.annotate(address=Lower("email"))
    shared = addresses.values("address").annotate(accounts=Count("id")).filter(accounts__gt=1)
    found = {}
    rows = addresses.filter(address__in=shared.values("address")).order_by("id")
    for pk, address in rows.values_list("id", "address"):
        found.setdefault(address, []).append(pk)
    return found


def lower_case_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    if found := duplicates(User):
        listed = "; ".join(f"{address} : comptes {ids}" for address, ids in sorted(found.items()))
        raise RuntimeError(
            f"Adresses e-mail en double à la casse près ({len(found)}), à fusionner avant de "
            f"migrer : {listed}"
        )
    for user in User.objects.exclude(email=Lower("email")).only("id", "email"):
        User.objects.filter(pk=user.pk).update(email=user.email.lower())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_proconnect_sub"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(lower_case_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_unique_whatever_its_case",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
        ),
    ]
