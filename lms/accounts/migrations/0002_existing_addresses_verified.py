"""Accounts made before sign-up required a mailed code keep signing in.

Sign-up now proves an address before the account can sign in (settings: mandatory
verification). Accounts that already exist were let in under the earlier rule, most of them
made by the center; each gets its own address recorded as verified so that nobody is locked out
by the change.
"""

from django.db import migrations


def record_existing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    # Sign-ups under the optional rule left unverified rows: the account's own address in
    # them counts as verified now, as it did for signing in before.
    for pk, email in User.objects.exclude(email="").values_list("pk", "email"):
        mine = EmailAddress.objects.filter(user_id=pk, email__iexact=email)
        if not mine.update(verified=True):
            EmailAddress.objects.create(user_id=pk, email=email, primary=True, verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(record_existing_addresses, migrations.RunPython.noop)]
