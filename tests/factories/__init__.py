"""factory_boy factories for the product's models."""

import factory
from django.contrib.auth.hashers import make_password

from lms.accounts.models import Organization, Role, User
from lms.centers.models import District

DEFAULT_PASSWORD = "correct-horse-7"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"테스트 사업장 {n}")
    kind = Organization.Kind.WORKPLACE
    district = factory.LazyFunction(lambda: District.objects.get(name="성북구"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    name = "홍길동"
    role = Role.LEARNER
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))
