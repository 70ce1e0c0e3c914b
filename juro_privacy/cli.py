"""``juro-privacy``: the command line. It parses, calls the library, and maps errors
to exit codes (0 done, 2 bad input, 1 anything else); it never shows a traceback."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from juro_privacy import __version__
from juro_privacy.errors import InputError, JuroPrivacyError

F = TypeVar("F", bound=Callable[..., Any])


def _say(message: str) -> None:
    click.echo(message, err=True)


def _interrupt_on_sigterm() -> None:
    """A scheduler's SIGTERM stops a run like Ctrl-C: the run removes its staging folder
    and the previous report stays (a second SIGTERM is ignored while it cleans up)."""
    import signal

    def stop(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _guarded(fn: F) -> F:
    """Turn package errors into one message and an exit code, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JuroPrivacyError as exc:
            _say(f"error: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _say("interrupted: no report was changed")
            sys.exit(130)
        except Exception as exc:  # a bug or an environment fault: still one clear line
            _say(f"error: unexpected {type(exc).__name__}: {exc}")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="juro-privacy")
def main() -> None:
    """Privacy analytics and DPIA reports for a Data Protection Officer."""


@main.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    help="Workbook folder (default: the bundled sample workbook).",
)
@click.option("--period", help="Quarter (2026-Q3) or year (2026); default: the workbook's.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder that receives <period>/, the shareable reports.",
)
@click.option(
    "--internal-out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder that receives <period>/ of the audit trail, the executed notebooks "
    "(owner-only, not for sharing; default: OUT/internal).",
)
@click.option(
    "--pdf/--no-pdf",
    default=None,
    help="Print PDFs with headless Chromium (default: when Chromium is found).",
)
@click.option("--only", multiple=True, metavar="TOPIC", help="Run only these topics.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 32),
    default=2,
    show_default=True,
    help="Notebooks executed at once.",
)
@click.option(
    "--engine",
    default="",
    metavar="URL",
    help="Ibis connection URL holding the accounts table (default: the workbook's file).",
)
@_guarded
def run(
    data_dir: Path | None,
    period: str | None,
    out: Path,
    internal_out: Path | None,
    pdf: bool | None,
    only: tuple[str, ...],
    jobs: int,
    engine: str,
) -> None:
    """Run the quarterly reports into OUT/<period>/ (the folder that may be shared) and
    their audit trail into OUT/internal/<period>/ (the DPO's alone)."""
    from juro_privacy.run.orchestrate import RunOptions, run_reports

    _interrupt_on_sigterm()
    result = run_reports(
        RunOptions(
            data_dir=data_dir,
            period=period,
            out=out,
            internal_out=internal_out,
            pdf=pdf,
            only=only,
            jobs=jobs,
            engine=engine,
        ),
        progress=_say,
    )
    for note in result.notes:
        _say(f"note: {note}")
    click.echo(
        f"reports for {result.period} written to {result.folder}/ "
        f"(open {result.folder / 'index.html'}); "
        f"the audit trail, not for sharing, to {result.internal}/"
    )


@main.command()
@click.argument("data_dir", required=False, type=click.Path(path_type=Path))
@click.option("--period", help="Period the accounts are judged for (default: the workbook's).")
@click.option("--engine", default="", help="Ibis URL holding the accounts table, to check too.")
@_guarded
def validate(data_dir: Path | None, period: str | None, engine: str) -> None:
    """Check a workbook folder against the data contract (default: the sample)."""
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook.validate import validate as validate_workbook

    wb = validate_workbook(data_dir or sample_dir(), period, engine)
    for note in wb.warnings:
        _say(f"warning: {note}")
    rows = sum(len(t) for t in wb.tables.values())
    click.echo(
        f"{wb.root}: valid ({len(wb.files)} tables, {rows:,} rows checked, "
        f"the accounts file checked in DuckDB)"
    )


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@_guarded
def init(folder: Path) -> None:
    """Write an empty workbook (headers and a commented workbook.yaml) to fill in."""
    from juro_privacy.workbook.config import CONFIG_FILE, CONFIG_TEMPLATE
    from juro_privacy.workbook.schemas import TABLES

    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder} is not empty: choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(CONFIG_TEMPLATE, encoding="utf-8")
    for table in TABLES:
        (folder / f"{table.name}.csv").write_text(
            ",".join(table.column_names) + "\n", encoding="utf-8"
        )
    click.echo(
        f"empty workbook written to {folder}/: fill in {CONFIG_FILE} and the tables, "
        "then run `juro-privacy validate`"
    )


@main.command("import-fides")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the four tables if DIR already has them (default: refuse).",
)
@_guarded
def import_fides(file: Path, folder: Path, replace: bool) -> None:
    """Read a Fides datamap (YAML or JSON) into DIR's activities, processors, systems and
    categories tables; nothing is written unless every value maps."""
    import tempfile

    from juro_privacy.topics.register.fides import (
        IMPORTED_TABLES,
        parse_datamap,
        tables_csv,
        unfilled,
        workbook_tables,
    )

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot be read ({exc.__class__.__name__})") from exc
    tables = workbook_tables(parse_datamap(text, file.name), file.name)
    existing = [
        p.name
        for t in IMPORTED_TABLES
        for p in (folder / f"{t}.csv", folder / f"{t}.parquet")
        if p.exists()
    ]
    if existing and not replace:
        raise InputError(f"{folder} already has {', '.join(existing)}: pass --replace to replace")
    folder.mkdir(parents=True, exist_ok=True)
    files = tables_csv(tables)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".import-fides-") as staging:
        for name, content in files.items():  # all written first, then moved into place
            (Path(staging) / name).write_text(content, encoding="utf-8")
        for name in files:
            (Path(staging) / name).replace(folder / name)
    for name in existing:  # a Parquet table replaced by its CSV
        if name.endswith(".parquet"):
            (folder / name).unlink()
    for note in unfilled(tables):
        _say(f"to fill in: {note}")
    click.echo(
        f"{', '.join(f'{len(tables[t])} {t}' for t in IMPORTED_TABLES)} written to {folder}/; "
        "check them with `juro-privacy validate`"
    )


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@click.option(
    "--accounts",
    default=None,
    type=click.IntRange(1, None),
    help="Number of accounts (default: 2000).",
)
@click.option(
    "--accounts-format",
    type=click.Choice(["csv", "parquet"]),
    default=None,
    help="Format of the accounts table (default: csv, parquet above 100,000).",
)
@_guarded
def sample(folder: Path, seed: int, accounts: int | None, accounts_format: str | None) -> None:
    """Generate the synthetic sample workbook into FOLDER (deterministic for a seed)."""
    from juro_privacy.sample.accounts import AccountsFormat
    from juro_privacy.sample.company import DEFAULT_ACCOUNTS, write_sample

    n = accounts or DEFAULT_ACCOUNTS
    fmt: AccountsFormat = "parquet" if n > 100_000 else "csv"
    if accounts_format == "csv":
        fmt = "csv"
    elif accounts_format == "parquet":
        fmt = "parquet"
    write_sample(folder, seed=seed, accounts=n, accounts_format=fmt)
    click.echo(f"sample workbook written to {folder}/ ({n:,} accounts as {fmt})")


@main.command()
@_guarded
def contract() -> None:
    """Print the data contract (docs/data-contract.md) generated from the schemas."""
    from juro_privacy.workbook.schemas import contract_markdown

    click.echo(contract_markdown(), nl=False)
    click.echo()


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@_guarded
def verify(folder: Path) -> None:
    """Check a report folder: input hashes, output hashes, and a re-run giving the same
    bytes (exit 1 on any difference)."""
    from juro_privacy.run.verify import verify_report

    _interrupt_on_sigterm()
    result = verify_report(folder, progress=_say)
    for note in result.notes:
        _say(f"note: {note}")
    for difference in result.differences:
        click.echo(f"differs: {difference}")
    if not result.identical:
        _say(f"{folder}: {len(result.differences)} difference(s)")
        sys.exit(1)
    click.echo(f"{folder}: identical ({result.compared} report files re-run and compared)")


@main.command(hidden=True)
@_guarded
def where() -> None:
    """Print where the notebooks and the sample workbook are."""
    from juro_privacy.paths import notebooks_dir, sample_dir

    click.echo(
        f"notebooks: {notebooks_dir()}\nsample: {sample_dir()}\n"
        f"chromium: {shutil.which('chromium') or 'not found'}"
    )
