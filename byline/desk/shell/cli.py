"""`byline user reset-link NAME`: print a one-time address where the user sets a new password.

Also the password rules `byline createuser` follows: Django's AUTH_PASSWORD_VALIDATORS, a
prompt typed twice on a terminal, and a set-password link when there is no terminal.
"""

from __future__ import annotations


def add_commands(sub, data_parent) -> dict:
    p = sub.add_parser("user", parents=[data_parent], help="help a user into their account")
    usub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    r = usub.add_parser(
        "reset-link", parents=[data_parent], help="print a one-time link where NAME sets a new password"
    )
    r.add_argument("name")
    r.add_argument("--site-url", help="the site's address (default: from allowed_hosts)")
    return {"user": cmd_user}


def site_url(given: str | None = None) -> str:
    """The address links start with: --site-url, else the first plain allowed host."""
    if given:
        return given.rstrip("/")
    from django.conf import settings

    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    host = hosts[0] if hosts else "localhost"
    return f"{'http' if host in ('localhost', '127.0.0.1', '[::1]') else 'https'}://{host}"


def reset_link(user, given_site: str | None = None) -> str:
    from byline.desk.shell.auth_views import set_password_path

    return site_url(given_site) + set_password_path(user)


def cmd_user(args, data) -> None:
    from byline.cli import CommandError, require_site, setup_django

    require_site(data)
    setup_django()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=args.name).first()
    if user is None:
        raise CommandError(f"There is no user called {args.name!r}.")
    print(f"A one-time link for {user.get_username()} to set a new password (valid for 3 days):")
    print(reset_link(user, args.site_url))


def check_password(password: str, *, username: str, email: str) -> None:
    """Django's password validators, as the sign-in pages use them; raises CommandError."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from byline.cli import CommandError

    try:
        validate_password(password, get_user_model()(username=username, email=email))
    except ValidationError as exc:
        raise CommandError("Password refused: " + " ".join(exc.messages)) from None


def prompt_password(username: str, email: str, tries: int = 3) -> str:
    """Ask twice on the terminal until both agree and the validators accept the password."""
    import getpass

    from byline.cli import CommandError

    for _ in range(tries):
        first = getpass.getpass(f"Password for {username}: ")
        if first != getpass.getpass("Password (again): "):
            print("The two passwords differ; try again.")
            continue
        try:
            check_password(first, username=username, email=email)
        except CommandError as exc:
            print(exc)
            continue
        return first
    raise CommandError("No password was set; nothing was created.")
