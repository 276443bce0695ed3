"""Who may do what: WordPress's capabilities (edit_post, publish_posts, moderate_comments, …).

The roles' powers are declared once in `byline.content.services.ROLE_POWERS` as Django
permissions; these functions are WordPress's `map_meta_cap`: they turn a power and an object
(whose post, in which status) into a yes or no. The admin, the REST API and the desk all ask
here, so that no path lets a contributor publish.
"""

from __future__ import annotations

from byline.content.models import Status


def can_moderate(user, post=None) -> bool:
    """moderate_comments, or the post's own author for comments on their post."""
    if not signed_in(user):
        return False
    if post is not None and post.author_id == user.pk:
        return True
    return user.has_perm("comments.moderate_comments")


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_write_posts(user) -> bool:
    """WordPress's edit_posts: contributors and up."""
    return signed_in(user) and user.has_perm("content.add_post")


def can_publish(user) -> bool:
    return signed_in(user) and user.has_perm("content.publish_post")


def can_edit_others(user) -> bool:
    return signed_in(user) and user.has_perm("content.edit_others_posts")


def can_edit_post(user, post) -> bool:
    """edit_post: one's own (published ones only with publish powers), or anyone's for editors."""
    if not signed_in(user) or not user.has_perm("content.change_post"):
        return False
    if post.author_id != user.pk and not can_edit_others(user):
        return False
    return post.status not in (Status.PUBLISH, Status.FUTURE, Status.PRIVATE) or can_publish(user)


def can_delete_post(user, post) -> bool:
    if not signed_in(user) or not user.has_perm("content.delete_post"):
        return False
    if post.author_id != user.pk and not can_edit_others(user):
        return False
    return post.status not in (Status.PUBLISH, Status.FUTURE, Status.PRIVATE) or can_publish(user)


def can_read_post(user, post) -> bool:
    """Readers see what is public; a private post, a draft or a pending one only its editors."""
    if post.is_public:
        return True
    if post.status == Status.PRIVATE and post.author_id != getattr(user, "pk", None):
        return can_edit_others(user)
    return can_edit_post(user, post) or (post.author_id == getattr(user, "pk", None) and signed_in(user))


def can_manage_terms(user, model: str, action: str) -> bool:
    """manage_categories / edit_terms: `action` is add, change or delete; `model` category or tag."""
    return signed_in(user) and user.has_perm(f"content.{action}_{model}")


def can_upload(user) -> bool:
    return signed_in(user) and user.has_perm("content.add_media")


def can_edit_media(user, media, action: str = "change") -> bool:
    if not signed_in(user) or not user.has_perm(f"content.{action}_media"):
        return False
    return media.uploaded_by_id == user.pk or can_edit_others(user)


def can_list_users(user) -> bool:
    """list_users: administrators (and whoever may see users in Django's admin)."""
    return signed_in(user) and (user.is_superuser or user.has_perm("auth.view_user"))


def can_manage_options(user) -> bool:
    """manage_options: the REST settings route is for administrators."""
    return signed_in(user) and (user.is_superuser or user.has_perm("options.change_option"))


def can_edit_user(user, person) -> bool:
    """edit_user: everyone their own profile; administrators (edit_users) anyone's."""
    return signed_in(user) and (user.pk == person.pk or can_promote_users(user))


def can_promote_users(user) -> bool:
    """promote_users: who may give a person a role (and make accounts); administrators."""
    return signed_in(user) and (user.is_superuser or user.has_perm("auth.change_user"))
