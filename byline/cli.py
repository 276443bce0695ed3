"""The `byline` command: create a site, serve it, manage users and options.

Every subcommand takes `--data DIR` (default `$BYLINE_DATA_DIR` or `./byline-data`): the
folder that holds the SQLite database, uploaded media, the secret key and byline.toml.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib
import importlib.util
import os
import secrets
import sys
from pathlib import Path

from byline.commands import CommandError, require_site, setup_django

DEFAULT_DATA = "byline-data"


def _data_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the site's data directory (default: $BYLINE_DATA_DIR or ./byline-data)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    data = _data_parent()
    parser = argparse.ArgumentParser(
        prog="byline", parents=[data], description="Byline: a self-hosted blog engine that speaks WordPress."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", parents=[data], help="create or upgrade the data directory")
    p.add_argument(
        "--demo",
        action="store_true",
        help="add the demo content (an author, posts, a page) and an administrator to sign in with",
    )
    p.add_argument(
        "--url",
        metavar="URL",
        help="the site's public address, e.g. https://blog.example.org (the siteurl option; "
        "else taken from the first request)",
    )

    p = sub.add_parser("serve", parents=[data], help="serve the site (granian, static files by WhiteNoise)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--workers",
        type=int,
        default=max(1, min(os.cpu_count() or 1, 4)),
        help="worker processes (default: the number of cores, at most 4)",
    )
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default: 4)")
    p.add_argument(
        "--no-worker",
        action="store_true",
        help="start no task worker (emails, imports, thumbnails) beside the server; "
        "run `byline worker` elsewhere",
    )
    p.add_argument(
        "--log-file",
        metavar="FILE",
        help="where the server's log goes (default: logs/byline.log in the data directory; "
        "'-' keeps it on the terminal, for systemd or containers)",
    )

    p = sub.add_parser("createuser", parents=[data], help="add a user with a WordPress role")
    p.add_argument("name")
    p.add_argument("--email", required=True)
    p.add_argument(
        "--role", required=True, choices=["administrator", "editor", "author", "contributor", "subscriber"]
    )
    p.add_argument(
        "--password",
        help="checked by the password validators; if omitted, an administrator is asked twice on a "
        "terminal, and otherwise a one-time set-password link is printed",
    )
    p.add_argument("--display-name", default="")

    p = sub.add_parser("option", parents=[data], help="read or change a site option (WordPress's names)")
    osub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    g = osub.add_parser("get", parents=[data], help="print an option's value")
    g.add_argument("name")
    s = osub.add_parser("set", parents=[data], help="change an option")
    s.add_argument("name")
    s.add_argument("value")
    osub.add_parser("list", parents=[data], help="every option with its value and help")

    p = sub.add_parser(
        "manage", parents=[data], help="run one of Django's management commands", add_help=False
    )
    p.add_argument("args", nargs=argparse.REMAINDER)

    # Each domain app may add its own subcommands (comments: privacy; wxr: import/export; api: app-password).
    for module_name in APP_COMMANDS:
        module = importlib.import_module(module_name)
        COMMANDS.update(module.add_commands(sub, data))
    return parser


def _use_data_dir(args) -> Path:
    data = Path(getattr(args, "data", None) or os.environ.get("BYLINE_DATA_DIR") or DEFAULT_DATA).resolve()
    os.environ["BYLINE_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    return data


def cmd_init(args, data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    (data / "media").mkdir(exist_ok=True)
    key = data / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(50) + "\n")
        key.chmod(0o600)
    config = data / "byline.toml"
    if not config.exists():
        config.write_text(
            "# Byline's configuration for this site. Environment variables BYLINE_<NAME> override it.\n"
            '# database_url = "postgres://user@host/dbname"   # default: byline.sqlite3 here\n'
            '# cache_url = "redis://127.0.0.1:6379/0"         # default: in-process\n'
            '# allowed_hosts = "blog.example.org"\n'
        )
    setup_django()
    from django.core.management import call_command

    from byline.content.services import ensure_role_groups

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    ensure_role_groups()
    if args.url:
        from byline.options.registry import InvalidOption
        from byline.options.store import set_option

        try:
            set_option("siteurl", args.url)
        except InvalidOption as exc:
            raise CommandError(f"Refused: {exc}") from None
    print(f"Byline site ready in {data}")
    if args.demo:
        from byline.content.demo import install_demo

        created = install_demo()
        print("Demo content added." if created else "Demo content was already there.")
        _demo_administrator(data)


def _demo_administrator(data: Path) -> None:
    """A demo site comes with an administrator, "admin", whose password waits in a file only
    the site's owner can read: a newcomer signs in at once, and nothing guessable is set."""
    from django.contrib.auth import get_user_model

    from byline.content.services import create_user
    from byline.serving import ADMIN_PASSWORD_FILE

    if get_user_model().objects.filter(username="admin").exists():
        return
    password = secrets.token_urlsafe(12)
    create_user("admin", email="admin@localhost", role="administrator", password=password)
    path = data / ADMIN_PASSWORD_FILE
    path.write_text(password + "\n")
    path.chmod(0o600)
    print(f"An administrator “admin” was created; the password is in {path}")


def cmd_serve(args, data: Path) -> None:
    require_site(data)
    setup_django()
    from django.conf import settings

    # Two servers started at once on one data dir would migrate and collect static files over
    # each other (one crashed in collectstatic): the second waits for the first's lock, then
    # finds everything done.
    with _startup_lock(data):
        _in_a_child(_prepare_site)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    if importlib.util.find_spec("granian") is None:
        raise CommandError("granian is not installed; run `make install`.")
    from byline import serving
    from byline.tasks.cli import serve_worker

    argv = serving.granian_argv(
        [],
        host=args.host,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
    )
    if args.log_file == "-":
        print(f"Byline serves {data} on http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
        worker = None if args.no_worker else serving.worker_argv(data)
        serving.exec_in_foreground([sys.executable, "-m", "byline.serving", *argv], worker)
    log_path = Path(args.log_file) if args.log_file else data / "logs" / "byline.log"
    base = f"http://{serving.shown_host(args.host)}:{args.port}/"

    def note() -> str:
        return (
            f"Byline is running. Open {base} in your browser.\n"
            f"{serving.sign_in_note(data, base)}\n"
            f"Logs go to {log_path}. Ctrl-C stops the server."
        )

    try:
        serving.run(
            argv,
            host=args.host,
            port=args.port,
            log_path=log_path,
            note=note,
            worker=None if args.no_worker else serve_worker,
        )
    except serving.ServeError as exc:
        raise CommandError(str(exc)) from None


def _prepare_site() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # an upgraded Byline brings its own tables
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _in_a_child(work) -> None:
    """Run `work()` in a forked child and wait for it: what it loads (every migration, the
    static files' finders) dies with the child instead of staying in `byline serve`, which
    runs for weeks. Its error, if any, is the child's traceback on stderr."""
    from django.db import connections

    connections.close_all()  # a connection is never shared with a child
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: coverage does not follow a fork
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 - told to the parent by the exit status
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise CommandError("The site's database could not be prepared (migrations, static files); see above.")


@contextlib.contextmanager
def _startup_lock(data: Path):
    """An exclusive lock on DATA/.startup.lock for as long as the block runs (released on exit or crash)."""
    with (data / ".startup.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cmd_createuser(args, data: Path) -> None:
    """Never an administrator without a usable password: a validated --password, a prompt typed
    twice on a terminal, or (no terminal) a one-time link to set one."""
    require_site(data)
    setup_django()
    from django.core.exceptions import ValidationError

    from byline.content.services import create_user
    from byline.desk.shell.cli import check_password, prompt_password, reset_link

    password = args.password
    if password is not None:
        check_password(password, username=args.name, email=args.email)
    elif sys.stdin.isatty() and args.role == "administrator":
        password = prompt_password(args.name, args.email)
    try:
        user = create_user(
            args.name, email=args.email, role=args.role, password=password, display_name=args.display_name
        )
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None
    print(f"Created {args.role} {user.username}.")
    if password is None and args.role != "subscriber":
        print("No password yet. This one-time link sets it (valid for 3 days):")
        print(reset_link(user))


def cmd_option(args, data: Path) -> None:
    require_site(data)
    setup_django()
    from byline.options.registry import OPTIONS, InvalidOption
    from byline.options.store import get_option, set_option

    try:
        if args.action == "get":
            spec = OPTIONS.get(args.name)
            if spec is None:
                raise InvalidOption(f"there is no option {args.name!r}; see `byline option list`")
            print(spec.serialize(get_option(args.name)))
        elif args.action == "set":
            value = set_option(args.name, args.value)
            print(f"{args.name} = {OPTIONS[args.name].serialize(value)}")
        else:
            for name in sorted(OPTIONS):
                spec = OPTIONS[name]
                print(f"{name} = {spec.serialize(get_option(name))}\n    {spec.help}")
    except InvalidOption as exc:
        raise CommandError(f"Refused: {exc}") from None


def cmd_manage(args, data: Path) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["byline manage", *args.args])


COMMANDS = {
    "init": cmd_init,
    "serve": cmd_serve,
    "createuser": cmd_createuser,
    "option": cmd_option,
    "manage": cmd_manage,
}
# Modules with `add_commands(subparsers, data_parent) -> {name: function(args, data)}`; they
# import Django only inside their functions, after `setup_django()`.
APP_COMMANDS = [
    "byline.content.cli",
    "byline.comments.cli",
    "byline.wxr.cli",
    "byline.api.cli",
    "byline.desk.shell.cli",
    "byline.ops",
    "byline.tasks.cli",
]


def _take_data_option(rest: list[str]) -> tuple[str | None, list[str]]:
    """`byline manage CMD ... --data DIR`: --data is Byline's, the rest is Django's."""
    data, out, i = None, [], 0
    while i < len(rest):
        if rest[i] == "--data" and i + 1 < len(rest):
            data, i = rest[i + 1], i + 2
            continue
        if rest[i].startswith("--data="):
            data = rest[i].split("=", 1)[1]
        else:
            out.append(rest[i])
        i += 1
    return data, out


def _refuse_forbidden_characters(argv: list[str]) -> None:
    """No argument may carry a control character, a non-character or undecodable bytes.

    A name, title or option value typed here is stored and shown in feeds and the API, like
    one sent through a form; a lone surrogate is how Python keeps bytes that are not UTF-8."""
    from byline.text import forbidden_character  # noqa: PLC0415 - Django loads only once the data dir is known

    for position, value in enumerate(argv, start=1):
        if where := forbidden_character(value):
            raise CommandError(
                f"argument {position} holds a character that is not allowed ({where}): "
                "control characters, non-characters and bytes that are not UTF-8 are refused."
            )


def main(argv: list[str] | None = None) -> int:
    try:
        _refuse_forbidden_characters(sys.argv[1:] if argv is None else argv)
    except CommandError as exc:
        print(f"byline: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    if args.command == "manage":
        data, args.args = _take_data_option(args.args)
        if data:
            args.data = data
    data = _use_data_dir(args)
    try:
        COMMANDS[args.command](args, data)
    except CommandError as exc:
        print(f"byline: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
