"""The access log becomes append-only in the database itself, and the first signup consent.

Triggers refuse any UPDATE of a row, except the foreign keys to users turning NULL when
an account is deleted (the snapshot columns keep the names), and any DELETE of a row
younger than MIN_KEEP_DAYS: PIPA's safety measures keep access records for at least a
year (two for large controllers; the purge task's setting decides, never below this).
"""

from django.db import migrations

MIN_KEEP_DAYS = 365
TABLE = "privacy_personaldataaccess"
SNAPSHOT_COLUMNS = [
    "at", "actor_username", "ip_address", "action", "subject", "record_count",
    "reason", "path",
]


def _changed(old_new_compare: str) -> str:
    return " OR ".join(old_new_compare.format(c=c) for c in SNAPSHOT_COLUMNS)


POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION privacy_access_log_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF {_changed("NEW.{c} IS DISTINCT FROM OLD.{c}")}
           OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
           OR (NEW.subject_user_id IS NOT NULL
               AND NEW.subject_user_id IS DISTINCT FROM OLD.subject_user_id) THEN
            RAISE EXCEPTION 'personal data access log is append-only'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.at > now() - interval '{MIN_KEEP_DAYS} days' THEN
        RAISE EXCEPTION 'personal data access log rows are kept {MIN_KEEP_DAYS} days'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_access_log_guard
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION privacy_access_log_guard();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS privacy_access_log_guard ON {TABLE};
DROP FUNCTION IF EXISTS privacy_access_log_guard();
"""

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER privacy_access_log_no_update BEFORE UPDATE ON {TABLE}
WHEN {_changed("NEW.{c} IS NOT OLD.{c}")}
    OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
    OR (NEW.subject_user_id IS NOT NULL AND NEW.subject_user_id IS NOT OLD.subject_user_id)
BEGIN
    SELECT RAISE(ABORT, 'personal data access log is append-only');
END;
""",
    f"""
CREATE TRIGGER privacy_access_log_no_early_delete BEFORE DELETE ON {TABLE}
WHEN OLD.at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_KEEP_DAYS} days')
BEGIN
    SELECT RAISE(ABORT, 'personal data access log rows are kept {MIN_KEEP_DAYS} days');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS privacy_access_log_no_update;",
    "DROP TRIGGER IF EXISTS privacy_access_log_no_early_delete;",
]


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


def create_signup_consent_v1(apps, schema_editor):
    ConsentVersion = apps.get_model("privacy", "ConsentVersion")
    ConsentVersion.objects.get_or_create(
        purpose_kind="signup",
        version=1,
        defaults={
            "purpose": "회원 관리, 온라인 교육 수강과 수료 확인, 교육 관련 안내",
            "items": "이름, 이메일, 비밀번호(암호화 저장)",
            "retention": "회원 탈퇴 시까지 (수료 기록은 수료일로부터 3년)",
            "right_to_refuse": (
                "동의를 거부할 수 있으며, 거부하면 회원가입과 온라인 교육 수강을 "
                "할 수 없습니다. 공개된 안내 페이지는 가입 없이 볼 수 있습니다."
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_consent_versions_and_records")]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
        migrations.RunPython(create_signup_consent_v1, migrations.RunPython.noop),
    ]
