"""/wp/v2/settings: the site options, under WordPress's REST names, for administrators.

WordPress's names (title, description, timezone, …) map onto Byline's declared options;
every other declared option is there under its own (WordPress) option name. Values are
checked by the option's declaration, and a refused value changes nothing. The settings
Byline does not have are shown with WordPress's defaults and cannot be changed.
"""

from __future__ import annotations

from django.db import transaction

from byline.content.capabilities import can_manage_options
from byline.options.registry import OPTIONS, InvalidOption
from byline.options.store import get_option, set_option

from ..errors import forbidden, invalid_params
from ..params import Arg
from .base import Endpoint, Reply

# WordPress's REST setting name -> Byline's option.
RENAMED = {
    "title": "blogname",
    "description": "blogdescription",
    "timezone": "timezone_string",
    "date_format": "date_format",
    "time_format": "time_format",
    "posts_per_page": "posts_per_page",
    "default_comment_status": "default_comment_status",
}
# WordPress's REST settings that Byline has no option for: shown, fixed.
FIXED = {
    "url": None,  # the site's address, from the request
    "email": "",
    "start_of_week": 1,
    "language": "en_US",
    "use_smilies": False,
    "default_category": 0,
    "default_post_format": "0",
    "show_on_front": "posts",
    "page_on_front": 0,
    "page_for_posts": 0,
    "default_ping_status": "closed",
    "site_logo": None,
    "site_icon": 0,
}
KINDS = {"bool": "boolean", "int": "integer", "str": "string", "choice": "string"}


def setting_names() -> dict[str, str]:
    """Every REST setting name and the option it reads (declared options under their own names too)."""
    names = dict(RENAMED)
    taken = set(RENAMED.values())
    for name in sorted(OPTIONS):
        if name not in taken:
            names[name] = name
    return names


def write_args() -> dict[str, Arg]:
    args = {}
    for rest_name, option in setting_names().items():
        spec = OPTIONS[option]
        choices = spec.choices if spec.kind == "choice" and option != "timezone_string" else ()
        args[rest_name] = Arg(KINDS[spec.kind], spec.help, enum=choices)
    for rest_name, value in FIXED.items():
        kind = {bool: "boolean", int: "integer", str: "string"}.get(type(value), "string")
        args[rest_name] = Arg(kind, "Not a Byline option: fixed.", nullable=value is None)
    return args


def current(request) -> dict:
    data = {rest: get_option(option) for rest, option in setting_names().items()}
    for rest_name, value in FIXED.items():
        data[rest_name] = value
    data["url"] = request.build_absolute_uri("/").rstrip("/")
    return data


class SettingsEndpoint(Endpoint):
    route = "/wp/v2/settings"
    read_args: dict = {}

    @property
    def update_args(self):
        # Built on use: every app has declared its options by then.
        return write_args()

    def get(self, request, args):
        if not can_manage_options(request.user):
            raise forbidden(request.user)
        return Reply(current(request))

    def update(self, request, args):
        if not can_manage_options(request.user):
            raise forbidden(request.user)
        names, before, problems, changes = setting_names(), current(request), {}, {}
        for rest_name, value in args.items():
            if rest_name in FIXED:
                if value != before[rest_name]:
                    problems[rest_name] = (
                        "rest_invalid_param",
                        f"{rest_name} is not a Byline option; it cannot change.",
                    )
                continue
            spec = OPTIONS[names[rest_name]]
            try:
                changes[spec.name] = spec.parse(spec.serialize(value) if spec.kind != "str" else value)
            except InvalidOption as exc:
                problems[rest_name] = ("rest_invalid_param", str(exc))
        if problems:
            raise invalid_params(problems)
        with transaction.atomic():
            for option, value in changes.items():
                set_option(option, OPTIONS[option].serialize(value))
        return Reply(current(request))
