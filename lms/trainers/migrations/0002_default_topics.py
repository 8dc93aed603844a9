"""The starting list of education topics; staff edit it afterwards."""

from django.db import migrations

TOPICS = [
    ("labor-law", "노동법 기초"),
    ("harassment", "직장 내 괴롭힘 예방"),
    ("sexual-harassment", "직장 내 성희롱 예방"),
    ("wages", "임금과 근로시간"),
    ("youth-rights", "청소년 노동인권"),
    ("employer-hr", "사업주 인사노무"),
]


def create(apps, schema_editor):
    Topic = apps.get_model("trainers", "Topic")
    for code, name in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("trainers", "0001_trainer_pool")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
