"""factory_boy factories for the content model (real rows in the test database)."""

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model

from byline.content import services
from byline.content.models import AuthorProfile, Category, Post, Status, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"writer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    profile = factory.RelatedFactory(
        "tests.factories.ProfileFactory",
        factory_related_name="user",
        display_name=factory.LazyAttribute(lambda p: p.factory_parent.username.title()),
    )


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile

    display_name = "Writer"
    bio = "<p>Writes about the harbour.</p>"
    role = "author"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"label {n}")
    slug = factory.Sequence(lambda n: f"label-{n}")


def make_post(
    title="A post", *, categories=(), tags=(), author=None, status=Status.PUBLISH, published_at=None, **fields
) -> Post:
    """A post saved through the services layer, as the admin and importers save them."""
    post = Post(
        title=title,
        author=author or UserFactory(),
        status=status,
        published_at=published_at or datetime(2025, 9, 15, 10, tzinfo=UTC),
        **fields,
    )
    if "body" not in fields:
        post.body = f"<p>The text of {title}.</p>"
    return services.save_post(post, categories=list(categories), tags=list(tags))
