"""factory_boy factories for the product's models."""

import re

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse

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
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    name = "홍길동"
    role = Role.LEARNER
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        """A verified address, as accounts made by the center have (`user_create`)."""
        if create and user.email and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": True},
            )


def confirm_by_mailed_code(client, response):
    """The code allauth mailed to the new address, typed into the page sign-up led to."""
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M)
    assert code, mail.outbox[-1].body
    return client.post(response["Location"], {"code": code.group(1)})
