"""The "Leave a Reply" form, with WordPress's field names and limits and the math CAPTCHA."""

from __future__ import annotations

from django import forms

from byline.options.store import get_option

from . import captcha
from .models import Comment

CAPTCHA_FIELD = "captcha_answer"
TOKEN_FIELD = "captcha_token"  # noqa: S105 - a form field's name, not a secret


def captcha_operations() -> tuple[str, ...]:
    return ("+", "-") if get_option("captcha_operations") == "add_subtract" else ("+", "-", "×", "÷")


def captcha_required(user) -> bool:
    """Anonymous commenters answer the sum; signed-in users and sites that turned it off do not."""
    return get_option("captcha_enabled") and not getattr(user, "is_authenticated", False)


class CommentForm(forms.Form):
    """Field names as WordPress's wp-comments-post.php expects them."""

    author = forms.CharField(label="Name", max_length=Comment.MAX_NAME, required=False)
    email = forms.EmailField(label="Email", max_length=Comment.MAX_EMAIL, required=False)
    url = forms.URLField(label="Website", max_length=Comment.MAX_URL, required=False, assume_scheme="https")
    comment = forms.CharField(
        label="Comment",
        max_length=Comment.MAX_CONTENT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
    )
    comment_post_ID = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment_parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    subscribe_replies = forms.BooleanField(required=False)
    captcha_answer = forms.CharField(max_length=40, required=False)
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    error_messages = {
        "author": "Please type your name.",
        "email": "Please type your email address.",
        "comment": "Please type your comment text.",
    }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["comment"].error_messages.update(
            required="Please type your comment text.",
            max_length=f"Your comment is too long: at most {Comment.MAX_CONTENT:,} characters.",
        )
        self.fields["author"].error_messages["max_length"] = (
            f"Your name is too long: at most {Comment.MAX_NAME}."
        )
        self.fields["email"].error_messages.update(
            invalid="Please enter a valid email address.",
            max_length=f"Your email address is too long: at most {Comment.MAX_EMAIL} characters.",
        )
        self.fields["url"].error_messages.update(
            invalid="Please enter a valid web address (or leave it empty).",
            max_length=f"Your website address is too long: at most {Comment.MAX_URL} characters.",
        )

    @property
    def anonymous(self) -> bool:
        return not getattr(self.user, "is_authenticated", False)

    def clean(self):
        data = super().clean()
        if self.anonymous and get_option("require_name_email"):
            for field in ("author", "email"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, self.error_messages[field])
        if captcha.honeypot_tripped(self.data):
            # A field no person can see was filled in: a bot. Say little.
            raise forms.ValidationError("Your comment could not be accepted.", code="honeypot")
        return data

    def check_captcha(self, post_id: int) -> captcha.CaptchaError | None:
        """Check the sum last (it burns the token): only a form valid in every other way gets here.

        `post_id` is the post being commented on: a token issued for another post is refused.
        """
        if not captcha_required(self.user):
            return None
        try:
            captcha.check_answer(
                self.data.get(TOKEN_FIELD, ""),
                self.data.get(CAPTCHA_FIELD, ""),
                max_age=get_option("captcha_expiry"),
                min_seconds=get_option("captcha_min_seconds"),
                post_id=post_id,
            )
        except captcha.CaptchaError as exc:
            return exc
        return None


def new_captcha(post_id: int) -> dict:
    """A fresh sum for one post's form: the question's parts and its signed token."""
    challenge = captcha.new_challenge(
        operations=captcha_operations(), style=get_option("captcha_number_style")
    )
    return captcha_context(challenge, captcha.issue_token(challenge, post_id=post_id))


def captcha_context(challenge, token: str) -> dict:
    question = challenge.question()
    before, _, after = question.partition(captcha.BLANK)
    return {"question": question, "before": before.strip(), "after": after.strip(), "token": token}
