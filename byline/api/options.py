"""The REST API's options (WordPress's filters made into site options)."""

from byline.options.registry import OptionSpec, declare

declare(
    OptionSpec(
        "rest_allow_anonymous_comments",
        "bool",
        False,
        "Let visitors who are not signed in post comments through the REST API "
        "(WordPress's rest_allow_anonymous_comments; off by default, as in WordPress).",
        group="discussion",
    ),
)
