from __future__ import annotations

import factory

from openpes.accounts.enums import Role
from openpes.accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.openpes.example")
    full_name = factory.Faker("name")
    role = Role.JOBSEEKER
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()

    class Params:
        counsellor = factory.Trait(role=Role.COUNSELLOR)
        phone_only = factory.Trait(email=None, phone=factory.Sequence(lambda n: f"+8551200{n:04d}"))
