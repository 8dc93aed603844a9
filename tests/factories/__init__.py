"""factory_boy factories for the product's models."""

import factory
from django.contrib.auth.hashers import make_password

from lms.accounts.models import Organization, Role, User
from lms.centers.models import District

DEFAULT_PASSWORD = "correct-horse-7"


def seoul_district(name: str = "성북구") -> District:
    """A district of the reference data, re-created first if a `transaction=True` test
    flushed the tables the data migration filled."""
    district = District.objects.filter(name=name).first()
    if district is None:
        from tests.factories.outreach import seoul_reference_data

        seoul_reference_data()
        district = District.objects.get(name=name)
    return district


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"테스트 사업장 {n}")
    kind = Organization.Kind.WORKPLACE
    district = factory.LazyFunction(seoul_district)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    name = "홍길동"
    role = Role.LEARNER
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))
