"""The discussion options, under WordPress's names and with WordPress's defaults."""

from byline.options.registry import OptionSpec, declare

declare(
    OptionSpec(
        "require_name_email",
        "bool",
        True,
        "Comment authors must give a name and an email address.",
        group="discussion",
    ),
    OptionSpec(
        "comment_registration", "bool", False, "Only signed-in users may comment.", group="discussion"
    ),
    OptionSpec(
        "comment_moderation", "bool", False, "Hold every comment for a moderator.", group="discussion"
    ),
    OptionSpec(
        "comment_previously_approved",
        "bool",
        True,
        "Hold a comment unless its author has an approved comment already.",
        group="discussion",
    ),
    OptionSpec(
        "comment_max_links",
        "int",
        2,
        "Hold a comment with this many links or more (0: no limit).",
        group="discussion",
        minimum=0,
        maximum=1000,
    ),
    OptionSpec(
        "moderation_keys",
        "str",
        "",
        "Words (one per line) that hold a comment when found in its text, name, email, URL, IP or browser.",
        group="discussion",
    ),
    OptionSpec(
        "disallowed_keys",
        "str",
        "",
        "Words (one per line) that send a comment to the trash when found in the same places.",
        group="discussion",
    ),
    OptionSpec(
        "comment_flood_interval",
        "int",
        15,
        "Seconds one IP address or email must wait between two comments (0: no wait).",
        group="discussion",
        minimum=0,
        maximum=86400,
    ),
    OptionSpec(
        "close_comments_for_old_posts", "bool", False, "Close comments on old posts.", group="discussion"
    ),
    OptionSpec(
        "close_comments_days_old",
        "int",
        14,
        "How many days a post stays open for comments.",
        group="discussion",
        minimum=1,
        maximum=36500,
    ),
    OptionSpec(
        "thread_comments", "bool", True, "Let readers reply to comments (threads).", group="discussion"
    ),
    OptionSpec(
        "thread_comments_depth",
        "int",
        5,
        "How deep replies may nest.",
        group="discussion",
        minimum=2,
        maximum=10,
    ),
    OptionSpec(
        "page_comments",
        "bool",
        False,
        "Split comment lists into pages of comments_per_page top-level comments. Either way,"
        " no page shows more than 200 comments: longer discussions are always paged.",
        group="discussion",
    ),
    OptionSpec(
        "comments_per_page",
        "int",
        50,
        "Top-level comments on each comment page.",
        group="discussion",
        minimum=1,
        maximum=1000,
    ),
    OptionSpec(
        "default_comments_page",
        "choice",
        "newest",
        "Which comment page a post shows first.",
        group="discussion",
        choices=("newest", "oldest"),
    ),
    OptionSpec(
        "comment_order",
        "choice",
        "asc",
        "Older (asc) or newer (desc) comments first.",
        group="discussion",
        choices=("asc", "desc"),
    ),
    OptionSpec(
        "comments_notify",
        "bool",
        True,
        "Email a post's author when a comment is published.",
        group="discussion",
    ),
    OptionSpec(
        "moderation_notify", "bool", True, "Email the moderators when a comment is held.", group="discussion"
    ),
    OptionSpec(
        "show_avatars",
        "bool",
        True,
        "Show an avatar (drawn by Byline, never fetched) by each comment.",
        group="discussion",
    ),
    OptionSpec(
        "captcha_enabled",
        "bool",
        True,
        "Ask anonymous commenters a small sum (the math CAPTCHA).",
        group="captcha",
    ),
    OptionSpec(
        "captcha_operations",
        "choice",
        "add_subtract",
        "Which sums: add_subtract (+ and −) or all (also × and ÷).",
        group="captcha",
        choices=("add_subtract", "all"),
    ),
    OptionSpec(
        "captcha_number_style",
        "choice",
        "mixed",
        "Numbers shown as digits, words or mixed.",
        group="captcha",
        choices=("digits", "words", "mixed"),
    ),
    OptionSpec(
        "captcha_expiry", "int", 600, "Seconds a sum stays valid.", group="captcha", minimum=30, maximum=86400
    ),
    OptionSpec(
        "captcha_min_seconds",
        "int",
        2,
        "A comment sent sooner than this after the form was shown is refused (bots are fast).",
        group="captcha",
        minimum=0,
        maximum=600,
    ),
)
