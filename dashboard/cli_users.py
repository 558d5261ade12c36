"""``python -m dashboard user …``: create the first account and manage the others."""

from __future__ import annotations

import argparse
import getpass
import sys

from . import accounts
from .store import get_engine


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise accounts.AccountError("Geen terminal: geef het wachtwoord via --password-stdin.")
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nogmaals: "):
        raise accounts.AccountError("De twee wachtwoorden verschillen.")
    return first


def _engine(settings):
    engine = get_engine(settings.db_url)
    accounts.create_tables(engine)
    return engine


def _add(args, settings) -> None:
    password = None if args.proxy_only else _read_password(args)
    account = accounts.add_user(
        _engine(settings), args.name, password, args.role, args.bestuur or [settings.default_org]
    )
    print(f"Gebruiker '{account.username}' aangemaakt: {account.role}, besturen {', '.join(account.grants)}.")


def _passwd(args, settings) -> None:
    accounts.set_password(_engine(settings), args.name, _read_password(args))
    print(f"Wachtwoord van '{accounts.normalise_username(args.name)}' gewijzigd.")


def _list(args, settings) -> None:
    rows = accounts.list_accounts(_engine(settings))
    if not rows:
        print("Nog geen gebruikers. Maak de eerste aan met: python -m dashboard user add NAAM --role beheerder")
    for a in rows:
        state = "" if a.active else " (geblokkeerd)"
        print(f"{a.username}\t{a.role}\t{', '.join(a.grants)}{state}")


def _block(args, settings) -> None:
    unblock = args.action == "unblock"
    accounts.set_active(_engine(settings), args.name, unblock)
    print(f"Gebruiker '{accounts.normalise_username(args.name)}' {'gedeblokkeerd' if unblock else 'geblokkeerd'}.")


def _remove(args, settings) -> None:
    accounts.remove_user(_engine(settings), args.name)
    print(f"Gebruiker '{accounts.normalise_username(args.name)}' verwijderd.")


def command(args, settings) -> int:
    """Run one ``user`` action; rule violations are printed in Dutch with exit code 1."""
    try:
        args.user_func(args, settings)
    except accounts.AccountError as exc:
        print(f"Geweigerd: {exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``user`` command and its actions to the CLI's sub-parsers."""
    p = sub.add_parser("user", help="gebruikers: aanmaken, wachtwoord, lijst, blokkeren, verwijderen")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="maak een gebruiker aan (de eerste: een beheerder)")
    a.add_argument("name", metavar="NAAM")
    a.add_argument("--role", choices=accounts.ROLES, required=True)
    a.add_argument("--bestuur", action="append", help="herhaalbaar; '*' = alle besturen (standaard DASHBOARD_ORG)")
    a.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord uit stdin (scripts)")
    a.add_argument("--proxy-only", action="store_true", help="zonder wachtwoord: alleen via DASHBOARD_AUTH=proxy")
    a.set_defaults(user_func=_add)
    a = actions.add_parser("passwd", help="stel een nieuw wachtwoord in")
    a.add_argument("name", metavar="NAAM")
    a.add_argument("--password-stdin", action="store_true")
    a.set_defaults(user_func=_passwd)
    a = actions.add_parser("list", help="toon alle gebruikers")
    a.set_defaults(user_func=_list)
    for action, text in (("block", "blokkeer een gebruiker"), ("unblock", "deblokkeer een gebruiker")):
        a = actions.add_parser(action, help=text)
        a.add_argument("name", metavar="NAAM")
        a.set_defaults(user_func=_block)
    a = actions.add_parser("remove", help="verwijder een gebruiker")
    a.add_argument("name", metavar="NAAM")
    a.set_defaults(user_func=_remove)
    p.set_defaults(func=command)
