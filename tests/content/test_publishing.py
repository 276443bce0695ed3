"""WordPress's publish and schedule rules live in services.save_post, whoever calls it.

The admin, the REST API, the importer and the desk all save through it, so a post asked to
be published with a date still to come is scheduled, and a contributor's "publish" is a
request for review, without each of them having to remember.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from byline.content import services
from byline.content.models import Post, Status
from byline.content.permalinks import permalink_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def person(role: str, name: str | None = None):
    return services.create_user(name or role, email=f"{name or role}@example.org", role=role)


def draft(author, **fields) -> Post:
    fields.setdefault("published_at", datetime(2025, 9, 15, 10, tzinfo=UTC))
    return services.save_post(Post(title="A draft", body="<p>Text.</p>", author=author, **fields))


def test_publishing_with_a_future_date_schedules_the_post(client):
    post = draft(UserFactory(), published_at=timezone.now() + timedelta(hours=3))
    post.status = Status.PUBLISH
    services.save_post(post)  # no person: as the importer and the CLI call it

    post.refresh_from_db()
    assert post.status == Status.FUTURE
    assert client.get(permalink_for(post)).status_code == 404
    assert "A draft" not in client.get("/feed/").content.decode()


def test_a_scheduled_post_whose_time_has_passed_is_published():
    post = draft(UserFactory(), status=Status.FUTURE, published_at=timezone.now() - timedelta(minutes=1))
    assert post.status == Status.PUBLISH


@pytest.mark.parametrize("asked", [Status.PUBLISH, Status.FUTURE, Status.PRIVATE])
def test_a_contributor_asking_to_publish_submits_for_review(client, asked):
    contributor = person("contributor")
    post = draft(contributor)
    post.status = asked

    services.save_post(post, by=contributor)

    post.refresh_from_db()
    assert post.status == Status.PENDING
    assert client.get(permalink_for(post)).status_code == 404


def test_an_author_publishes_their_own_post_but_may_not_save_anothers():
    author, other = person("author"), person("author", "other")
    own, theirs = draft(author), draft(other)
    own.status = theirs.status = Status.PUBLISH

    assert services.save_post(own, by=author).status == Status.PUBLISH
    with pytest.raises(PermissionDenied):
        services.save_post(theirs, by=author)
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT


def test_nobody_saves_a_post_in_someone_elses_name_without_editing_others():
    author, other = person("author"), person("author", "other")
    with pytest.raises(PermissionDenied):
        services.save_post(Post(title="Ghost", author=other, status=Status.DRAFT), by=author)
    assert not Post.objects.filter(title="Ghost").exists()


def test_a_floating_date_becomes_the_moment_of_first_publication():
    editor = person("editor")
    post = draft(editor)  # dated 15 September 2025 when it was started
    post.status = Status.PUBLISH

    services.save_post(post, by=editor, date_floats=True)
    assert timezone.now() - post.published_at < timedelta(minutes=1)

    first = post.published_at
    services.save_post(post, by=editor, date_floats=True)  # already out: its date stays
    assert post.published_at == first


def test_a_chosen_date_is_kept():
    editor = person("editor")
    post = draft(editor)
    post.status = Status.PUBLISH
    services.save_post(post, by=editor)
    assert post.published_at == datetime(2025, 9, 15, 10, tzinfo=UTC)
