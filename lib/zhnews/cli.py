"""Command line: ``python -m zhnews analyze FILE --out DIR`` and ``python -m zhnews notebooks``.

User mistakes (a wrong subcommand, a missing or unreadable article) print one line on stderr and
exit with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from zhnews import __version__
from zhnews.errors import ZhnewsError
from zhnews.paths import relative

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``zhnews: error: … (see --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"zhnews: error: {message} (see `python -m zhnews --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m zhnews``."""
    parser = _Parser(
        prog="python -m zhnews",
        description="Read, annotate and analyse a Chinese news article; write its tables.",
    )
    parser.add_argument("--version", action="version", version=f"zhnews {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    analyze = commands.add_parser("analyze", help="analyse an article and write its tables (CSV/JSON)")
    analyze.add_argument("file", help="the article: a UTF-8 .txt file")
    analyze.add_argument("--out", required=True, help="folder for the tables (created if missing)")
    corpus = commands.add_parser("corpus", help="analyse many articles on Dask; write one Parquet dataset per table")
    corpus.add_argument("paths", nargs="+", metavar="PATHS", help="article files, folders (their *.txt) or globs")
    corpus.add_argument("--out", required=True, help="folder for the Parquet tables (created if missing; resumable)")
    corpus.add_argument("--scheduler", metavar="ADDRESS",
                        help="an existing Dask cluster: tcp://host:8786 or a scheduler file (default: a local cluster)")
    corpus.add_argument("--workers", type=int, metavar="N",
                        help="worker processes of the local cluster (default: one per core); ignored with --scheduler")
    notebooks = commands.add_parser("notebooks", help="execute notebooks in place in a fresh kernel")
    notebooks.add_argument("paths", nargs="+", help="the .ipynb files, run in the order given")
    notebooks.add_argument("--html", metavar="DIR", help="also write an HTML copy of each notebook here")
    notebooks.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                           help="notebooks executed at the same time (default: 2, or 1 on a one-core machine)")
    return parser


def _analyze(args: argparse.Namespace) -> int:
    # user mistakes first, with light modules only: answered in well under a second
    from zhnews.files import read_article_text
    from zhnews.output import check_output_dir

    check_output_dir(args.out)
    read_article_text(args.file)

    from zhnews.pipeline import analyse, write_tables  # the heavy part: models, reference counts
    from zhnews.reading import BOILERPLATE_WARNING_SHARE

    started = time.perf_counter()
    tables = analyse(args.file)
    written = write_tables(tables, args.out)
    seconds = time.perf_counter() - started
    article = tables["article"]
    print(
        f"{relative(args.file)}: {article['n_paragraphs']} paragraphs, {article['n_sentences']} sentences "
        f"→ {len(written)} files in {relative(args.out)}/ ({seconds:.2f} s)"
    )
    set_aside, total = article["n_chars_set_aside"], article["n_chars"]
    if total and set_aside > BOILERPLATE_WARNING_SHARE * total:
        print(
            f"zhnews: warning: {relative(args.file)}: {set_aside:,} of {total:,} characters "
            f"({set_aside / total:.0%}) were set aside as site boilerplate; see chars_by_role in article.json",
            file=sys.stderr,
        )
    return 0


def _corpus(args: argparse.Namespace) -> int:
    # paths and --out are checked before Dask and the models are imported (zhnews.corpus is light)
    from zhnews.corpus import TextProgress, analyse_corpus

    summary = analyse_corpus(args.paths, args.out, scheduler=args.scheduler, workers=args.workers,
                             progress=TextProgress(sys.stderr))
    print(summary.line())
    if len(summary.hash_seeds) > 1 or "None" in summary.hash_seeds:
        print("zhnews: warning: the workers ran with different or random PYTHONHASHSEED values "
              "(see python_hash_seed in the articles table); set it in the workers' environment", file=sys.stderr)
    if summary.mixed_schemas:
        print(f"zhnews: warning: tables with clashing column types across articles (read them part by part): "
              f"{', '.join(summary.mixed_schemas)}", file=sys.stderr)
    return 1 if summary.failed else 0  # bad input is a row of `errors`; an internal failure sets status 1


def _notebooks(args: argparse.Namespace) -> int:
    from zhnews.notebook_runner import run

    started = time.perf_counter()
    run(args.paths, args.html, workers=args.workers)
    names = ", ".join(relative(p) for p in args.paths)
    print(f"executed {len(args.paths)} notebook(s) with {args.workers} worker(s): {names} ({time.perf_counter() - started:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    previous = signal.signal(signal.SIGTERM, _terminate)  # so `finally` blocks clean up temporary folders
    try:
        return {"analyze": _analyze, "corpus": _corpus, "notebooks": _notebooks}[args.command](args)
    except ZhnewsError as error:
        print(f"zhnews: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
