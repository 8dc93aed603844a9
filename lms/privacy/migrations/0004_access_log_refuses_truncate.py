"""PostgreSQL's TRUNCATE fires no row trigger, so `manage.py flush` (which truncates) would
empty the access log past the guard of 0003. A statement trigger refuses it as well.

SQLite has no TRUNCATE: its flush deletes row by row and 0003's trigger refuses that.
"""

from django.db import migrations

TABLE = "privacy_personaldataaccess"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION privacy_access_log_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'personal data access log rows are kept 365 days: TRUNCATE is refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_access_log_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_access_log_no_truncate();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS privacy_access_log_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS privacy_access_log_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_access_log_append_only_and_signup_consent_v1")]

    operations = [migrations.RunPython(forward, backward)]
