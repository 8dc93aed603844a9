"""Replace Wagtail's placeholder root page with the Academy's home page and point the site at it."""

from django.db import migrations

HOME_INTRO = (
    "<p>서울노동아카데미는 서울노동권익센터가 권역·자치구 노동자종합지원센터와 함께 운영하는 "
    "공공 노동교육입니다. 온라인 강의로 언제든 배우고, 10명 이상 모이면 원하는 때와 곳으로 "
    "강사가 찾아갑니다.</p>"
)


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("cms", "HomePage")

    if HomePage.objects.exists():
        return
    # Wagtail's first migration creates a generic page at path 00010001; ours takes its place.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="서울노동아카데미",
        draft_title="서울노동아카데미",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        hero_title="일하는 시민 누구나, 노동법과 노동인권을 배우는 곳",
        hero_text="온라인 강의로 언제 어디서나 배우고, 수료증으로 증명하세요. "
        "단체·사업장은 찾아가는 노동교육을 신청할 수 있습니다.",
        intro=HOME_INTRO,
        body=[],
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "site_name": "서울노동아카데미", "root_page_id": home.pk},
    )


def remove_home(apps, schema_editor):
    apps.get_model("cms", "HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_home, remove_home)]
