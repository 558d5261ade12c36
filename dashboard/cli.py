"""Command line: build the store, import a quarter, print a summary, export the store."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import cli_users
from .config import load_settings
from .importer import ImportRejected, import_files
from .parsing import ValueRuleError, parse_quarter
from .schema import STATUSES
from .store import build_from_seed, create_schema, get_engine


def _cmd_build(args, settings) -> int:
    engine = get_engine(settings.db_url)
    if args.if_empty:
        from .queries import list_organisations

        create_schema(engine)
        if len(list_organisations(engine)):
            print("Store bevat al gegevens; niet opnieuw gebouwd (laat --if-empty weg om te herbouwen).")
            return 0
    try:
        result = build_from_seed(engine, Path(args.seed or settings.seed_dir), settings.default_org)
    except ImportRejected as exc:
        return _report_rejection(exc)
    print(
        f"Store gebouwd uit {args.seed or settings.seed_dir}: {result.tasks} taken, "
        f"{result.task_updates} taakupdates, {result.budget_lines} budgetlijnen "
        f"(kwartalen: {', '.join(result.quarters)}) → {engine.url.render_as_string(hide_password=True)}"
    )
    return 0


def _report_rejection(exc: ImportRejected) -> int:
    print(f"Import geweigerd: {len(exc.problems)} fout(en), er werd niets geschreven.", file=sys.stderr)
    for problem in exc.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _cmd_import(args, settings) -> int:
    engine = get_engine(settings.db_url)
    try:
        result = import_files(
            engine,
            [Path(p) for p in args.files],
            quarter=args.quarter,
            default_org=args.bestuur or settings.default_org,
        )
    except ImportRejected as exc:
        return _report_rejection(exc)
    for notice in result.notices:
        print(f"Opmerking: {notice}")
    print(
        f"Geïmporteerd: {', '.join(result.files)} — kwartalen {', '.join(result.quarters) or '—'}: "
        f"{result.task_updates} taakupdates, {result.budget_lines} budgetlijnen."
    )
    return 0


def _cmd_summary(args, settings) -> int:
    from .queries import list_quarters, summary

    engine = get_engine(settings.db_url)
    create_schema(engine)  # a store that was never built reads as empty, not as a database error
    org = args.bestuur or settings.default_org
    quarters = list_quarters(engine, org)
    if not quarters:
        print(
            f"De store bevat geen gegevens voor bestuur '{org}'. Bouw hem eerst: python -m dashboard build",
            file=sys.stderr,
        )
        return 1
    try:
        quarter = parse_quarter(args.quarter) if args.quarter else quarters[-1]
    except ValueRuleError as exc:
        print(f"--quarter {args.quarter}: {exc}", file=sys.stderr)
        return 2
    if quarter not in quarters:
        print(f"Kwartaal {quarter} staat niet in de store (wel: {', '.join(quarters)}).", file=sys.stderr)
        return 1
    data = summary(engine, org, quarter)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from .formatting import euro

    print(f"Samenvatting {quarter} ({org})")
    header = (
        f"{'':<14}{'taken':>6}{'NG':>4}{'B':>4}{'V':>4}"
        f"{'uitg. totaal':>16}{'besteld':>14}{'ontv. totaal':>16}{'ontvangen':>14}"
    )
    for title, rows, key in (("Pijlers", data["pillars"], "pillar"), ("SDG's", data["sdgs"], "sdg")):
        print(f"\n{title}\n{header}")
        for r in rows:
            st = r["status"]
            label = r["name"] if key == "pillar" else f"SDG {r['sdg']:02d}"
            print(
                f"{label:<14}{r['tasks']:>6}{st['Niet gestart']:>4}{st['Bezig']:>4}{st['Voltooid']:>4}"
                f"{euro(r['uitgaven']['totaal']):>16}{euro(r['uitgaven']['besteld']):>14}"
                f"{euro(r['ontvangsten']['totaal']):>16}{euro(r['ontvangsten']['ontvangen']):>14}"
            )
    return 0


def _cmd_export(args, settings) -> int:
    from .exporter import export_store

    engine = get_engine(settings.db_url)
    create_schema(engine)
    for path in export_store(engine, args.format, Path(args.out)):
        print(path)
    return 0


def _cmd_serve(args, settings) -> int:
    from app import main as serve

    serve()
    return 0


def _cmd_synth(args, settings) -> int:
    from . import synthetic
    from .queries import list_quarters

    engine = get_engine(settings.db_url)
    org = args.bestuur or settings.default_org
    try:
        synthetic.check_target(Path(args.out), (synthetic.SEED_DIR, settings.seed_dir))
        result = synthetic.from_store(engine, org, quarters=args.quarters, seed=args.seed, base=args.base)
        paths = synthetic.write(result, Path(args.out), (synthetic.SEED_DIR, settings.seed_dir))
    except (ValueError, ValueRuleError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 2
    print(
        f"{len(result.quarters)} synthetische kwartalen ({', '.join(result.quarters)}) afgeleid uit {result.base} "
        f"(seed {args.seed}): {result.count('status')} statuswijzigingen, {result.count('toelichting')} nieuwe "
        f"toelichtingen, {result.count('added')} taken toegevoegd, {result.count('dropped')} geschrapt."
    )
    for path in paths:
        print(path)
    existing = sorted(set(result.quarters) & set(list_quarters(engine, org)))
    if existing:
        print(f"Let op: {', '.join(existing)} staat al in de store; importeren vervangt dat kwartaal.")
    print(f"Importeren: python -m dashboard import {' '.join(str(p) for p in paths)}")
    return 0


def _cmd_pack(args, settings) -> int:
    from .pack import command

    return command(args, settings)


def _cmd_region(args, settings) -> int:
    from .region import command

    return command(args, settings)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m dashboard``."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Beleidsmonitor: store en gegevens")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="(her)bouw de store uit data/seed/ (idempotent)")
    p.add_argument("--seed", help="map met de seedbestanden (standaard data/seed)")
    p.add_argument("--if-empty", action="store_true", help="alleen bouwen als de store nog leeg is")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("import", help="valideer en laad kwartaalbestanden (CSV, XLSX, Parquet)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--quarter", help="elk rij-kwartaal moet hiermee overeenkomen (bv. 2023KW2)")
    p.add_argument("--bestuur", help="bestuur voor rijen zonder kolom 'bestuur' (standaard DASHBOARD_ORG)")
    p.set_defaults(func=_cmd_import)
    p = sub.add_parser("summary", help="taken per status en budgettotalen per pijler en SDG")
    p.add_argument("--quarter")
    p.add_argument("--bestuur")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_summary)
    p = sub.add_parser("export", help="exporteer de store in het importsjabloon")
    p.add_argument("--format", choices=("csv", "xlsx", "parquet"), required=True)
    p.add_argument("out", metavar="OUT", help="map (csv, parquet) of .xlsx-bestand")
    p.set_defaults(func=_cmd_export)
    p = sub.add_parser("synth", help="genereer synthetische kwartalen (test en demo) in een aparte map")
    p.add_argument("--quarters", type=int, default=3, help="aantal kwartalen (standaard 3)")
    p.add_argument("--out", required=True, help="doelmap (nooit data/seed), bv. data/synthetic")
    p.add_argument("--seed", type=int, default=2023, help="toevalszaad: zelfde seed, zelfde kwartalen")
    p.add_argument("--from", dest="base", help="basiskwartaal (standaard het laatste echte kwartaal)")
    p.add_argument("--bestuur")
    p.set_defaults(func=_cmd_synth)
    p = sub.add_parser("pack", help="raadspakket (PDF, A4 liggend) van het plan, een pijler of een SDG")
    p.add_argument("--scope", required=True, help="plan, pillar:<people|planet|…> of sdg:<1–17>")
    p.add_argument("--quarter", help="kwartaal (standaard het laatste)")
    p.add_argument("--departement", action="append", default=[], help="herhaalbaar")
    p.add_argument("--status", action="append", default=[], choices=STATUSES, help="herhaalbaar")
    p.add_argument("--bestuur")
    p.add_argument("out", metavar="OUT.pdf")
    p.set_defaults(func=_cmd_pack)
    p = sub.add_parser("region", help="synthetische regio (test en benchmark): veel besturen × kwartalen")
    p.add_argument("--besturen", type=int, default=300, help="aantal besturen (standaard 300)")
    p.add_argument("--quarters", type=int, default=24, help="kwartalen vanaf 2020KW1 (standaard 24)")
    p.add_argument("--seed", type=int, default=2020, help="toevalszaad: zelfde seed, zelfde regio")
    p.add_argument("--out", help="doelmap voor de importbestanden, één submap per bestuur (nooit data/seed)")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.add_argument("--load", action="store_true", help="laad de regio rechtstreeks in DASHBOARD_DB_URL (bulk)")
    p.add_argument("--progress", action="store_true", help="een regel per bestuur")
    p.set_defaults(func=_cmd_region)
    cli_users.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    return args.func(args, load_settings())
