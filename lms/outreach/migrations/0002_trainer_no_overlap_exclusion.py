"""On PostgreSQL: no trainer holds two overlapping offers (travel buffer included in the range).

Other databases skip this; the offer service checks overlaps under a row lock there.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE outreach_offer ADD CONSTRAINT offer_trainer_no_overlap
EXCLUDE USING gist (
    trainer_id WITH =,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
) WHERE (state IN ('offered', 'accepted'));
"""
DROP = "ALTER TABLE outreach_offer DROP CONSTRAINT IF EXISTS offer_trainer_no_overlap;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_requests_offers_sessions")]

    operations = [migrations.RunPython(forward, backward)]
