import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

PASSWORD = "correct-horse-battery"


class Factory(factory.django.DjangoModelFactory):
    """Every factory builds its rows with scopes disabled, so setting up data never needs a city
    scope; the tests themselves then read inside `scope(city=...)`, as requests do."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        # Around the whole build, not only `_create`: sub-factories and post-generation hooks
        # query too (get_or_create, related managers).
        with scopes_disabled():
            return super()._generate(strategy, params)


class UserFactory(Factory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    time_zone = "America/Chicago"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True


class CoachFactory(UserFactory):
    is_coach = True
