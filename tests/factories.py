import factory
from django.contrib.auth.models import Group

from accounts.models import PartnerOrganisation, Unit, User

PASSWORD = "correct horse battery staple"


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def organisation(code: str) -> PartnerOrganisation:
    return PartnerOrganisation.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def units(self, create: bool, extracted: tuple[str, ...] | None, **kwargs) -> None:
        if create and extracted:
            self.units.add(*Unit.objects.filter(code__in=extracted))

    @factory.post_generation
    def finish(self, create: bool, extracted: object, **kwargs) -> None:
        if create:
            self.save()
