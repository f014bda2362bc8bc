"""The `newswire` command line. Subcommands and their output are a contract (DESIGN.md)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from typing import Any

from newswire import __version__
from newswire.config import Settings, SettingsError, load_settings, unknown_variables

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(kafka_bootstrap=getattr(args, "bootstrap", None))


def _progress(total: int, label: str) -> Any:
    """A rich progress bar on a terminal (stderr), nothing otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if not sys.stderr.isatty() or total < 2:
        return None
    from rich.console import Console

    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    return progress


# parse -----------------------------------------------------------------------------------
def cmd_parse(args: argparse.Namespace) -> int:
    from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage
    from newswire.stream.tools import list_inputs, read_input

    settings = load_settings()
    stages = () if args.no_enrich else settings.enrich_stages
    pipeline = Pipeline(
        PipelineOptions(
            max_message_bytes=settings.max_message_bytes,
            feed_timezone=settings.feed_timezone,
            enrich_stages=stages,
            forced_format=args.format,
        )
    )
    if args.format:
        from newswire.wire.errors import WireError
        from newswire.wire.registry import get_parser

        try:
            get_parser(args.format)
        except WireError as error:
            print(f"newswire parse: {error.detail}", file=sys.stderr)
            return EXIT_USAGE
    try:
        inputs = list_inputs(args.paths or ["-"])
    except FileNotFoundError as missing:
        print(f"newswire parse: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    rejected = 0
    progress = _progress(len(inputs), "parsing")
    task = progress.add_task("parse", total=len(inputs)) if progress else None
    if progress:
        progress.start()
    try:
        for name in inputs:
            item = read_input(name)
            outcome = pipeline.process(RawMessage(value=item.data, path=item.path))
            if isinstance(outcome, Accepted):
                for story in outcome.stories:
                    _print_json(story.to_payload())
            else:
                rejected += 1
                _print_json({"rejected": {**outcome.rejection.model_dump(), "input": item.path}})
            if progress and task is not None:
                progress.advance(task)
    finally:
        if progress:
            progress.stop()
    return EXIT_REJECTED if rejected else EXIT_OK


# annotate ----------------------------------------------------------------------------------
def cmd_annotate(args: argparse.Namespace) -> int:
    from newswire.pipeline import Pipeline, PipelineOptions

    pipeline = Pipeline(PipelineOptions(enrich_stages=load_settings().enrich_stages))
    with contextlib.ExitStack() as stack:
        stream = sys.stdin if args.path in (None, "-") else stack.enter_context(open(args.path, encoding="utf-8"))
        if args.jsonl:
            for line in stream:
                if not line.strip():
                    continue
                request = json.loads(line)
                result = pipeline.annotate(request["text"], request.get("lang") or args.lang)
                _print_json({"id": request.get("id"), **result})
        else:
            _print_json(pipeline.annotate(stream.read(), args.lang))
    return EXIT_OK


# service and Kafka tools -------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from newswire.logs import configure_logging
    from newswire.stream.service import serve

    settings = _settings(args)
    configure_logging(settings)
    return serve(settings)


def cmd_publish(args: argparse.Namespace) -> int:
    from newswire.stream.tools import iter_inputs, list_inputs, publish

    settings = _settings(args)
    try:
        names = list_inputs(args.paths)
    except FileNotFoundError as missing:
        print(f"newswire publish: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    files = iter_inputs(names)
    progress = _progress(len(names), "publishing")
    task = progress.add_task("publish", total=len(names)) if progress else None
    if progress:
        progress.start()
    try:
        count = publish(
            settings,
            files,
            args.topic or settings.topic_raw,
            source=args.source,
            content_type=args.content_type,
            on_sent=(lambda _: progress.advance(task)) if progress and task is not None else None,
        )
    finally:
        if progress:
            progress.stop()
    print(f"published {count} message(s) to {args.topic or settings.topic_raw}", file=sys.stderr)
    return EXIT_OK


def cmd_tail(args: argparse.Namespace) -> int:
    from newswire.stream.tools import tail

    settings = _settings(args)
    topic = args.topic or settings.topic_stories
    try:
        for line in tail(settings, topic, args.from_beginning, args.max, args.timeout):
            _print_json(line)
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_topics_ensure(args: argparse.Namespace) -> int:
    from newswire.stream.admin import ensure_topics

    reports = ensure_topics(_settings(args))
    drift = False
    for report in reports:
        line = f"{report.name}: {report.status}"
        if report.differences:
            drift = True
            line += " — " + "; ".join(report.differences)
        print(line)
    return EXIT_REJECTED if drift else EXIT_OK


def cmd_dlq_replay(args: argparse.Namespace) -> int:
    from newswire.stream.tools import replay_deadletters

    settings = _settings(args)
    count = replay_deadletters(settings, args.topic or settings.topic_raw, args.reason, args.max, args.timeout)
    print(f"replayed {count} dead letter(s) to {args.topic or settings.topic_raw}", file=sys.stderr)
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rich.console import Console

    from newswire.bench.runner import render, run

    settings = _settings(args)
    report = run(
        settings.kafka_bootstrap,
        args.stories,
        args.partitions,
        args.profiles.split(","),
        [int(n) for n in args.workers.split(",")],
        args.latency_seconds,
        Path(args.out),
        soak_stories=args.soak_stories,
    )
    Console().print(render(report))
    print(f"figures written to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_lag(args: argparse.Namespace) -> int:
    from newswire.stream.lag import format_table, group_lag

    settings = _settings(args)
    try:
        rows = group_lag(settings, args.group or settings.group_id, args.topic or [settings.topic_raw])
    except ValueError as error:
        print(f"newswire lag: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        for row in rows:
            _print_json(row.as_dict())
    else:
        print(format_table(rows))
    if args.fail_over is not None and sum(row.lag for row in rows) > args.fail_over:
        return EXIT_REJECTED
    return EXIT_OK


def cmd_routes_check(args: argparse.Namespace) -> int:
    from newswire.routing.commands import cmd_routes_check as check

    return check(args.file)


def cmd_routes_explain(args: argparse.Namespace) -> int:
    from newswire.routing.commands import cmd_routes_explain as explain

    return explain(args.file, args.story, load_settings().topic_stories)


def cmd_feeds(args: argparse.Namespace) -> int:
    from newswire.ops.table import BAD_STATES, feed_rows, fetch_status, render_table

    urls = args.url or [f"http://127.0.0.1:{load_settings().metrics_port}/status"]
    try:
        rows = feed_rows(fetch_status(url) for url in urls)
    except (OSError, ValueError) as error:
        print(f"newswire feeds: cannot read a worker's status: {error}", file=sys.stderr)
        return EXIT_REJECTED
    if args.json:
        for row in rows:
            _print_json(row)
    else:
        print(render_table(rows))
    return EXIT_REJECTED if args.check and any(row["state"] in BAD_STATES for row in rows) else EXIT_OK


def cmd_config_check(args: argparse.Namespace) -> int:
    from newswire.config import effective

    # main() has already checked the settings (exit 2 on a bad one) and warned about unknown variables.
    for line in effective(load_settings()):
        print(line)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswire", description="Raw agency wires in, enriched ninjs story events out."
    )
    parser.add_argument("--version", action="version", version=f"newswire {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="run the whole pipeline offline; one JSON line per story or rejection")
    p.add_argument("paths", nargs="*", metavar="PATH|DIR|-")
    p.add_argument("--format", help="force a wire format instead of sniffing")
    p.add_argument("--no-enrich", action="store_true", help="normalise only, no enrichment stages")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("annotate", help="enrichment only, on plain text; prints the newswire extension")
    p.add_argument("path", nargs="?", metavar="PATH|-")
    p.add_argument("--lang", help="language of the text, if known")
    p.add_argument("--jsonl", action="store_true", help='input lines {"id", "text", "lang"?}; one output line each')
    p.set_defaults(func=cmd_annotate)

    def kafka_options(p: argparse.ArgumentParser, topic_help: str | None = None) -> None:
        p.add_argument("--bootstrap", help="Kafka bootstrap servers (default: NEWSWIRE_KAFKA_BOOTSTRAP)")
        if topic_help:
            p.add_argument("--topic", help=topic_help)

    p = sub.add_parser("serve", help="run the service (a faust-streaming worker)")
    kafka_options(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("publish", help="send raw files to the raw topic")
    p.add_argument("paths", nargs="+", metavar="PATH|DIR|-")
    p.add_argument("--source", help="feed id for the `source` header")
    p.add_argument("--content-type", help="content-type header for every message (default: guessed from the name)")
    kafka_options(p, "topic to publish to (default: the raw topic)")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("tail", help="print a topic's messages as JSON lines")
    kafka_options(p, "topic to read (default: the stories topic)")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--max", type=int, help="stop after N messages")
    p.add_argument("--timeout", type=float, help="stop after S seconds")
    p.set_defaults(func=cmd_tail)

    topics = sub.add_parser("topics", help="manage topics").add_subparsers(dest="action", required=True)
    p = topics.add_parser("ensure", help="create missing topics; report ones whose settings differ (exit 1)")
    kafka_options(p)
    p.set_defaults(func=cmd_topics_ensure)

    dlq = sub.add_parser("dlq", help="dead-letter tools").add_subparsers(dest="action", required=True)
    p = dlq.add_parser("replay", help="send dead letters back to the raw topic")
    kafka_options(p, "topic to replay into (default: the raw topic)")
    p.add_argument("--reason", help="only dead letters with this reason")
    p.add_argument("--max", type=int)
    p.add_argument("--timeout", type=float, default=10.0, help="stop when nothing new arrives for S seconds")
    p.set_defaults(func=cmd_dlq_replay)

    p = sub.add_parser("feeds", help="one row per feed: last seen, rate, dead-letter ratio, state (from /status)")
    p.add_argument("--url", action="append", help="a worker's /status URL (repeatable; default: this host's port)")
    p.add_argument("--json", action="store_true", help="one JSON line per feed")
    p.add_argument("--check", action="store_true", help="exit 1 when a feed is silent or failing")
    p.set_defaults(func=cmd_feeds)

    p = sub.add_parser("lag", help="a consumer group's lag per partition (kafka-python admin; no group join)")
    kafka_options(p)
    p.add_argument("--group", help="consumer group (default: NEWSWIRE_GROUP_ID)")
    p.add_argument("--topic", action="append", help="topic to report (repeatable; default: the raw topic)")
    p.add_argument("--json", action="store_true", help="one JSON line per partition")
    p.add_argument("--fail-over", type=int, help="exit 1 when the total lag is above N")
    p.set_defaults(func=cmd_lag)

    routes = sub.add_parser("routes", help="routing files").add_subparsers(dest="action", required=True)
    p = routes.add_parser("check", help="validate a routing file without starting the service")
    p.add_argument("file")
    p.set_defaults(func=cmd_routes_check)
    p = routes.add_parser("explain", help="which routes a story matches, and why")
    p.add_argument("file")
    p.add_argument("story", help="story JSON (or `newswire parse` output lines), - for stdin")
    p.set_defaults(func=cmd_routes_explain)

    p = sub.add_parser("bench", help="measure throughput, latency and memory against the local broker")
    kafka_options(p)
    p.add_argument("--stories", type=int, default=20000)
    p.add_argument("--partitions", type=int, default=4)
    p.add_argument("--profiles", default="normalise,full", help="comma-separated: normalise, full")
    p.add_argument("--workers", default="1,2", help="worker counts to measure, comma-separated")
    p.add_argument("--latency-seconds", type=float, default=60.0, help="0 skips the latency phase")
    p.add_argument(
        "--soak-stories",
        type=int,
        default=100_000,
        help="RSS over one worker's run of this many distinct stories; 0 skips the phase",
    )
    p.add_argument("--out", default=".bench/latest.json")
    p.set_defaults(func=cmd_bench)

    config = sub.add_parser("config", help="configuration").add_subparsers(dest="action", required=True)
    p = config.add_parser("check", help="check every NEWSWIRE_ setting; print the effective configuration")
    p.set_defaults(func=cmd_config_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    for warning in unknown_variables():
        print(warning, file=sys.stderr)
    try:
        load_settings()  # every command checks every setting first: a bad one exits 2 naming its variable
        return int(args.func(args))
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `newswire tail | head`: the reader left; not an error.
        sys.stderr.close()
        return EXIT_OK
