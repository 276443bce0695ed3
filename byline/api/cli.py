"""`byline app-password create|list|revoke`: application passwords for REST API clients."""


def add_commands(sub, data_parent) -> dict:
    p = sub.add_parser(
        "app-password", parents=[data_parent], help="make, list or revoke REST API application passwords"
    )
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    c = psub.add_parser("create", parents=[data_parent], help="make a new one for USER (printed once, last)")
    c.add_argument("user")
    c.add_argument("label", help="which client will use it, e.g. 'Phone app'")
    ls = psub.add_parser("list", parents=[data_parent], help="list application passwords (of USER)")
    ls.add_argument("user", nargs="?")
    r = psub.add_parser("revoke", parents=[data_parent], help="revoke one by its UUID (see list)")
    r.add_argument("uuid")
    return {"app-password": cmd_app_password}


def cmd_app_password(args, data) -> None:
    from byline.cli import CommandError, require_site, setup_django

    require_site(data)
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from byline.api.models import ApplicationPassword
    from byline.api.passwords import create_app_password, revoke_app_password

    users = get_user_model().objects
    if args.action == "create":
        user = users.filter(username=args.user).first()
        if user is None:
            raise CommandError(f"There is no user called {args.user!r}.")
        try:
            record, clear = create_app_password(user, args.label)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        print(f"Application password “{record.name}” for {user.username} (uuid {record.uuid}).")
        print("Copy it now: it is not shown again. Use it with the user name for HTTP Basic auth.")
        print(clear)
    elif args.action == "list":
        rows = ApplicationPassword.objects.select_related("user")
        if args.user:
            rows = rows.filter(user__username=args.user)
        for row in rows:
            used = (
                f"last used {row.last_used:%Y-%m-%d %H:%M} from {row.last_ip}"
                if row.last_used
                else "never used"
            )
            print(f"{row.uuid}  {row.user.username}  {row.name}  (created {row.created:%Y-%m-%d}, {used})")
        if not rows:
            print("No application passwords.")
    else:
        row = ApplicationPassword.objects.filter(uuid=_uuid(args.uuid, CommandError)).first()
        if row is None:
            raise CommandError(f"There is no application password {args.uuid}.")
        revoke_app_password(row)
        print(f"Revoked “{row.name}” of {row.user.username}.")


def _uuid(text: str, error):
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError:
        raise error(f"{text!r} is not a UUID; `byline app-password list` shows them.") from None
