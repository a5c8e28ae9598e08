import factory

from groups.models import JoinRequest, Membership, Organisation, Post, Question, Space, Thread
from tests.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Handwerkskammer Musterregion {n}")
    kind = Organisation.Kind.CHAMBER


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Arbeitskreis {n}")
    slug = factory.Sequence(lambda n: f"arbeitskreis-{n}")
    summary = "Ein Raum für Tests."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    message = "Ich berate Tischlereien und möchte mitarbeiten."


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Diskussion {n}")
    audience = factory.SelfAttribute("space")
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def opening_post(self, create, extracted, **kwargs):
        if create:
            Post.objects.create(thread=self, author=self.author, body=extracted or "Worum es geht.")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question brought to a space, accepted for discussion; pass `space` (the audience follows it)."""

    class Meta:
        model = Question

    title = factory.Sequence(lambda n: f"Wie finden Betriebe Fachkräfte? ({n})")
    body = "Hintergrund der Frage."
    working_group = "AG Transfer"
    audience = factory.SelfAttribute("space")
    asked_by = factory.SubFactory(UserFactory)
    status = Question.Status.ACCEPTED
