"""Seoul's districts, regions and centers, as data, and the center that serves a district."""

import pytest
from django.db import IntegrityError, transaction

from lms.centers.models import Center, District, Region
from lms.centers.selectors import center_for_district

pytestmark = pytest.mark.django_db

EXPECTED = {
    "도심권": {"종로구", "중구", "용산구", "은평구", "서대문구", "마포구"},
    "동북권": {
        "성동구",
        "광진구",
        "동대문구",
        "중랑구",
        "성북구",
        "강북구",
        "도봉구",
        "노원구",
    },
    "동남권": {"서초구", "강남구", "송파구", "강동구"},
    "서남권": {"양천구", "강서구", "구로구", "금천구", "영등포구", "동작구", "관악구"},
}


def test_all_25_districts_belong_to_their_region():
    assert District.objects.count() == 25
    for region in Region.objects.all():
        assert (
            set(region.districts.values_list("name", flat=True))
            == EXPECTED[region.name]
        )


def test_one_metropolitan_and_four_regional_centers():
    assert Center.objects.filter(kind=Center.Kind.METROPOLITAN).count() == 1
    regional = Center.objects.filter(kind=Center.Kind.REGIONAL)
    assert sorted(c.region.name for c in regional) == sorted(EXPECTED)


def test_district_is_served_by_its_own_center_then_its_region_then_the_city():
    seongbuk = District.objects.get(name="성북구")
    regional = Center.objects.get(kind=Center.Kind.REGIONAL, region__name="동북권")
    assert center_for_district(district=seongbuk) == regional

    own = Center.objects.create(
        name="성북구 노동권익센터", kind=Center.Kind.DISTRICT, district=seongbuk
    )
    assert center_for_district(district=seongbuk) == own

    own.is_active = False
    own.save()
    regional.is_active = False
    regional.save()
    assert center_for_district(district=seongbuk).kind == Center.Kind.METROPOLITAN


def test_moving_a_district_to_another_region_is_data_not_code():
    district = District.objects.get(name="마포구")
    district.region = Region.objects.get(name="서남권")
    district.save()

    assert center_for_district(district=district).region.name == "서남권"


def test_database_refuses_a_second_regional_center_or_a_mismatched_scope():
    region = Region.objects.get(name="동남권")
    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(name="또 하나", kind=Center.Kind.REGIONAL, region=region)
    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(name="범위 없음", kind=Center.Kind.DISTRICT)
