"""`flask report matrix EVALUATION_ID --format xlsx|pdf|zip -o FILE`: the matriks tindak
lanjut of every follow-up of an evaluation, for scheduled jobs and letters."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from tracker.auth.models import Role
from tracker.core.clock import today_local
from tracker.core.labels import ROLE_LABELS
from tracker.evaluations.models import Evaluation
from tracker.extensions import db
from tracker.reports.evidence_zip import accepted_evidence, build_zip
from tracker.reports.matrix import load_matrix
from tracker.reports.pdf import build_pdf
from tracker.reports.xlsx import build_xlsx

report_cli = AppGroup("report", help="Export reports (matriks tindak lanjut, evidence ZIP).")

FORMATS = ("xlsx", "pdf", "zip")


def _format(fmt: str | None, output: Path) -> str:
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise click.UsageError("Give --format xlsx, pdf or zip (the file name does not say).")
    return suffix


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@report_cli.command("matrix")
@click.argument("evaluation_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="xlsx, pdf or zip (evidence ZIP); default: the output file's extension.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced if it exists).",
)
@click.option("--signer", default="", help="Name under the PDF's signature block.")
@click.option("--place", default="", help="Place before the PDF's signature date.")
def matrix_command(
    evaluation_id: int, fmt: str | None, output: Path, signer: str, place: str
) -> None:
    """Write the matriks tindak lanjut of EVALUATION_ID (all its follow-ups)."""
    fmt = _format(fmt, output)
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise click.BadParameter(
            f"No evaluation with id {evaluation_id}.", param_hint="EVALUATION_ID"
        )
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            dir=folder, prefix=f".{output.name}.", delete=False
        )
    except OSError as error:
        raise click.BadParameter(
            f"Cannot write {output}: {error.strerror or error}.", param_hint="'-o' / '--output'"
        ) from None
    try:
        with handle, force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            data = load_matrix(evaluation, None, today_local())
            if fmt == "xlsx":
                handle.write(build_xlsx(data))
            elif fmt == "pdf":
                title = str(ROLE_LABELS[Role.KOORDINATOR])
                handle.write(build_pdf(data, signer, title, place))
            else:
                build_zip(data, accepted_evidence(evaluation, None), handle)
        os.chmod(handle.name, 0o666 & ~_umask())  # as a plain new file, not the 0600 of a temp
        os.replace(handle.name, output)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        raise click.BadParameter(
            f"Cannot write {output}: {error.strerror or error}.", param_hint="'-o' / '--output'"
        ) from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    click.echo(
        f"Wrote {output} ({fmt}, {len(data.rows)} follow-ups of evaluation {evaluation.id}: "
        f"{evaluation.institution} {evaluation.year})."
    )
