"""The four regions of Seoul, its 25 districts, and the metropolitan and regional centers.

This is starting data: staff edit it in the admin afterwards.
"""

from django.db import migrations

REGIONS = {
    "도심권": ["종로구", "중구", "용산구", "은평구", "서대문구", "마포구"],
    "동북권": ["성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구", "도봉구", "노원구"],
    "동남권": ["서초구", "강남구", "송파구", "강동구"],
    "서남권": ["양천구", "강서구", "구로구", "금천구", "영등포구", "동작구", "관악구"],
}
METROPOLITAN_CENTER = "서울노동권익센터"


def create(apps, schema_editor):
    Region = apps.get_model("centers", "Region")
    District = apps.get_model("centers", "District")
    Center = apps.get_model("centers", "Center")
    Center.objects.get_or_create(name=METROPOLITAN_CENTER, defaults={"kind": "metropolitan"})
    for order, (region_name, districts) in enumerate(REGIONS.items(), start=1):
        region, _ = Region.objects.get_or_create(name=region_name, defaults={"sort_order": order})
        for district_name in districts:
            District.objects.get_or_create(name=district_name, defaults={"region": region})
        Center.objects.get_or_create(
            name=f"{region_name} 노동자종합지원센터", defaults={"kind": "regional", "region": region}
        )


def remove(apps, schema_editor):
    Center = apps.get_model("centers", "Center")
    Region = apps.get_model("centers", "Region")
    Center.objects.filter(kind__in=["metropolitan", "regional"], district__isnull=True).delete()
    apps.get_model("centers", "District").objects.filter(region__name__in=REGIONS).delete()
    Region.objects.filter(name__in=REGIONS).delete()


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
