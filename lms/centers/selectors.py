"""Reading centers: which center serves a district."""

from django.db.models import Case, IntegerField, Q, Value, When

from lms.centers.models import Center, District


def center_for_district(*, district: District) -> Center | None:
    """The district's own active center, else its region's, else the metropolitan center."""
    return (
        Center.objects.filter(is_active=True)
        .filter(
            Q(kind=Center.Kind.DISTRICT, district=district)
            | Q(kind=Center.Kind.REGIONAL, region_id=district.region_id)
            | Q(kind=Center.Kind.METROPOLITAN)
        )
        .annotate(
            rank=Case(
                When(kind=Center.Kind.DISTRICT, then=Value(0)),
                When(kind=Center.Kind.REGIONAL, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "pk")
        .first()
    )
