"""The ``oit`` command: a thin layer over the library (see ../shared/cli-contract.md).

Exit status: 0 success; 1 some input failed (reported per file); 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from intake.config import Home, Settings

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def _item_code(value: str) -> str | None:
    from classifiers.taxonomy import load_taxonomy

    if value.lower() == "none":
        return None
    code = value.strip().upper()
    if code not in load_taxonomy().codes():
        raise argparse.ArgumentTypeError(f"unknown item {value!r}: use O1 … O43 or none")
    return code


def _fiscal_years(value: str) -> tuple[int | None, int | None]:
    """``2565``, ``๒๕๖๕``, a span ``2566-2570``, or ``none``."""
    from intake.review import DecisionError, parse_years

    try:
        return parse_years(value)
    except DecisionError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a Buddhist Era fiscal year: use e.g. 2565 "
            "(1 Oct 2021 – 30 Sep 2022), 2566-2570 for a span, or none"
        ) from None


def _fiscal_year(value: str) -> int | None:
    first, last = _fiscal_years(value)
    if last is not None:
        raise argparse.ArgumentTypeError(f"give one fiscal year here, not a span: {value!r}")
    return first


# Commands


def cmd_classify(args: argparse.Namespace) -> int:
    from intake.document import UnreadablePDF
    from intake.learning import load_classifier
    from intake.pipeline import analyse, error_json

    settings = Settings.from_env()
    # The home's retrained model when it has one, as ingest and the watcher use.
    classifier = load_classifier(Home.resolve(args.home))
    status = EXIT_OK
    for file in args.files:
        try:
            line = analyse(Path(file), classifier, settings.limits).as_json(file)
        except (UnreadablePDF, OSError) as error:
            line, status = error_json(file, str(error)), EXIT_INPUT_FAILED
        if args.json:
            _print_json(line)
        elif "error" in line:
            print(f"{file}: cannot read: {line['error']}")
        else:
            year = line["fiscal_year"]
            span = f"–{line['fiscal_year_end']}" if line["fiscal_year_end"] else ""
            print(
                f"{file}: {line['item'] or 'none of the items'} ({line['item_confidence']:.2f}), "
                f"fiscal year {year or 'not stated'}{span} ({line['fiscal_year_confidence']:.2f}),"
                f" {line['pages']} pages ({line['ocr_pages']} OCR) → {line['status']}"
            )
    return status


def cmd_extract(args: argparse.Namespace) -> int:
    from intake.document import UnreadablePDF
    from intake.extract import extract_text

    try:
        extracted = extract_text(Path(args.file), Settings.from_env().limits)
    except (UnreadablePDF, OSError) as error:
        print(f"oit extract: {args.file}: {error}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    if args.json:
        _print_json(
            {
                "file": args.file,
                "pages": [
                    {"number": p.number, "method": p.method, "text": p.text}
                    for p in extracted.pages
                ],
            }
        )
    else:
        sys.stdout.write(extracted.text + "\n")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from intake.ingest import Intake, files_under
    from intake.progress import Progress

    home = Home.resolve(args.home)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"oit ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    files = list(files_under([Path(p) for p in args.paths]))
    intake = Intake(home, Settings.from_env())
    progress = Progress(len(files), enabled=not args.json and sys.stderr.isatty())

    def show(outcome) -> None:
        progress.advance(outcome.status)
        if args.json:
            _print_json(outcome.as_json())
            return
        labels = ""
        if outcome.status in ("filed", "review", "duplicate"):
            confidence = f" ({outcome.confidence:.2f})" if outcome.confidence is not None else ""
            labels = f"{outcome.item or 'none'} {outcome.fiscal_year or '-'}{confidence}  "
        why = f"  [{outcome.reason}]" if outcome.reason else ""
        progress.write(f"{outcome.status:9} {Path(outcome.file).name}  {labels}"
                       f"→ {outcome.archived_as}{why}")

    try:
        outcomes = intake.process(files, on_outcome=show)
    finally:
        progress.close()
        intake.close()
    if not args.json:
        counts = Counter(o.status for o in outcomes)
        print(f"{len(outcomes)} files: " + ", ".join(f"{n} {s}" for s, n in counts.most_common()))
    return EXIT_INPUT_FAILED if any(o.status == "rejected" for o in outcomes) else EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from intake.watch import watch

    return watch(Home.resolve(args.home), Settings.from_env(), poll_seconds=args.poll)


def cmd_review(args: argparse.Namespace) -> int:
    from intake import review
    from intake.archive import Archive

    archive = Archive(Home.resolve(args.home))
    try:
        if args.review_command == "list":
            waiting = review.waiting(archive)
            for row in waiting:
                if args.json:
                    _print_json(row)
                else:
                    print(review.describe(row))
            if not waiting and not args.json:
                print("Nothing waits for review.")
            return EXIT_OK
        if args.review_command == "set":
            if args.item is review.KEEP and args.fiscal_year is review.KEEP:
                print("oit review set: give --item and/or --fiscal-year", file=sys.stderr)
                return EXIT_USAGE
            first, last = (
                (review.KEEP, review.KEEP) if args.fiscal_year is review.KEEP else args.fiscal_year
            )
            try:
                row = review.decide(
                    archive, args.id, item=args.item, fiscal_year=first, fiscal_year_end=last,
                    actor=args.by, settings=Settings.from_env(),
                )
            except LookupError as error:
                print(f"oit review set: {error}", file=sys.stderr)
                return EXIT_INPUT_FAILED
            print(f"document {row['id']}: {row['item'] or 'none'} / "
                  f"{row['fiscal_year'] or 'no year'} → {row['archived_as']}")
            return EXIT_OK
        return review.run_interactive(archive, Settings.from_env())
    finally:
        archive.close()


def cmd_search(args: argparse.Namespace) -> int:
    from intake.index import Index
    from intake.search import search

    home = Home.resolve(args.home).ensure()
    index = Index(home.index_path)
    try:
        hits = search(index, args.query, item=args.item, fiscal_year=args.fiscal_year,
                      status=args.status, limit=args.limit)
    finally:
        index.close()
    for hit in hits:
        if args.json:
            _print_json(hit)
        else:
            print(f"[{hit['id']}] {hit['item'] or '-'} {hit['fiscal_year'] or '-'} "
                  f"{hit['archived_as']}\n    {hit['snippet']}")
    if not hits and not args.json:
        print("No documents found.")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from intake.index import Index
    from intake.report import build_report, render

    home = Home.resolve(args.home).ensure()
    index = Index(home.index_path)
    try:
        text = render(build_report(index, args.fiscal_year), args.format)
    finally:
        index.close()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from intake.index import Index
    from intake.learning import TrainingBusy, retrain

    home = Home.resolve(args.home).ensure()
    index = Index(home.index_path)
    try:
        summary = retrain(home, index)
    except TrainingBusy as error:
        print(f"oit train: {error}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    finally:
        index.close()
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from intake.web import serve

    return serve(Home.resolve(args.home), host=args.host, port=args.port)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from classifiers.evaluate import main as evaluate

    return evaluate(args.evaluate_args)


# Parser


def build_parser() -> argparse.ArgumentParser:
    from intake.review import KEEP

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=None,
                        help="workspace with inbox/ and archive/ (default: $OIT_HOME or .)")
    common.add_argument("-v", "--verbose", action="store_true", help="log each step")
    # Under `review`, the same options must not reset what was given before `list`/`set`.
    nested = argparse.ArgumentParser(add_help=False)
    nested.add_argument("--home", default=argparse.SUPPRESS)
    nested.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="oit",
        description="File Thai ITA (OIT) disclosure PDFs by item and fiscal year.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("classify", parents=[common], help="label PDFs, no side effects")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_classify)

    p = commands.add_parser("extract", parents=[common], help="print a PDF's normalised text")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_extract)

    p = commands.add_parser("ingest", parents=[common], help="process files or folders now")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_ingest)

    p = commands.add_parser("watch", parents=[common], help="watch inbox/ until stopped")
    p.add_argument("--poll", type=float, default=None, metavar="SECONDS",
                   help="poll instead of file-system events (network shares)")
    p.set_defaults(run=cmd_watch)

    p = commands.add_parser("review", parents=[common], help="decide what the system was unsure of")
    p.set_defaults(run=cmd_review, review_command=None)
    review_commands = p.add_subparsers(dest="review_command", metavar="list|set")
    r = review_commands.add_parser("list", parents=[nested], help="documents waiting")
    r.add_argument("--json", action="store_true")
    r = review_commands.add_parser("set", parents=[nested], help="record a decision")
    r.add_argument("id", type=int, metavar="ID")
    r.add_argument("--item", type=_item_code, default=KEEP, metavar="CODE|none")
    r.add_argument("--fiscal-year", type=_fiscal_years, default=KEEP, metavar="N|N-M|none")
    r.add_argument("--by", default=os.environ.get("USER") or "reviewer", metavar="NAME",
                   help="who decided (default: $USER)")

    p = commands.add_parser("search", parents=[common], help="Thai full-text search")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--item", type=_item_code, default=None, metavar="CODE")
    p.add_argument("--fiscal-year", type=_fiscal_year, default=None, metavar="N")
    p.add_argument("--status", choices=["filed", "review", "rejected"], default=None)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = commands.add_parser("report", parents=[common], help="OIT coverage of an assessment year")
    p.add_argument("--fiscal-year", type=_fiscal_year, required=True, metavar="N")
    p.add_argument("--format", choices=["md", "html", "csv", "json"], default="md")
    p.add_argument("--output", "-o", default=None, metavar="FILE")
    p.set_defaults(run=cmd_report)

    p = commands.add_parser("train", parents=[common], help="retrain with reviewed documents")
    p.set_defaults(run=cmd_train)

    p = commands.add_parser("serve", parents=[common], help="the local web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("evaluate", parents=[common],
                            help="accuracy of the classifiers on a labelled corpus")
    p.add_argument("evaluate_args", nargs=argparse.REMAINDER, metavar="ARGS")
    p.set_defaults(run=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    if args.home is not None:
        os.environ["OIT_HOME"] = args.home
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) has gone; stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
