"""`byline privacy export EMAIL` and `byline privacy erase EMAIL` (WordPress's privacy tools)."""

import json


def add_commands(sub, data_parent) -> dict:
    p = sub.add_parser("privacy", parents=[data_parent], help="export or erase one commenter's personal data")
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("export", "print everything kept about EMAIL, as JSON"),
        ("erase", "anonymise EMAIL's comments (name, email, website, IP, browser)"),
    ):
        a = psub.add_parser(action, parents=[data_parent], help=text)
        a.add_argument("email")
    return {"privacy": cmd_privacy}


def cmd_privacy(args, data) -> None:
    from byline.commands import require_site, setup_django

    require_site(data)
    setup_django()
    from byline.comments.services import erase_personal_data, export_personal_data

    if args.action == "export":
        print(json.dumps({"email": args.email, "comments": export_personal_data(args.email)}, indent=2))
    else:
        count = erase_personal_data(args.email)
        print(f"Anonymised {count} comment{'s' if count != 1 else ''} by {args.email}.")
