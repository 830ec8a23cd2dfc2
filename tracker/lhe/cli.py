"""`flask lhe parse FILE [--json]` and `flask lhe import FILE [--revision-of ID | --new]`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from tracker.auth.models import User
from tracker.core.filetypes import sniff_stream
from tracker.core.permissions import can_manage_evaluations
from tracker.core.storage import release
from tracker.evaluations.models import Evaluation
from tracker.evaluations.services import lower_bound_inclusive
from tracker.extensions import db
from tracker.lhe import services
from tracker.lhe.document import NotAnLHE, ParsedLHE, UnreadableDocument
from tracker.lhe.review import review_warnings

lhe_cli = AppGroup("lhe", help="Read and import LHE documents (PDF, DOCX, TXT).")

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _reason(error: services.LheImportError) -> str:
    text = str(error.message)
    return f"{text} ({error.detail})" if error.detail else text


def _summary(parsed: ParsedLHE) -> str:
    lines = [
        f"Institution:     {parsed.institution or '-'}",
        f"Year:            {parsed.year or '-'}",
        f"Evaluator:       {parsed.evaluator or '-'}",
        f"Number:          {parsed.number or '-'}",
        f"Report date:     {parsed.report_date or '-'}",
        f"Total, predikat: {parsed.total_score if parsed.total_score is not None else '-'}"
        f" {parsed.predikat or '-'}",
        f"Components:      {len(parsed.components)}",
        f"Findings:        {len(parsed.findings)}",
        f"Recommendations: {len(parsed.recommendations)}",
    ]
    lines += [f"Warning: {warning}" for warning in parsed.warnings]
    return "\n".join(lines)


@lhe_cli.command("parse")
@click.argument("path", type=FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the whole parse as JSON.")
def parse_command(path: Path, as_json: bool) -> None:
    """Read an LHE and print what was found (nothing is stored)."""
    with force_locale("id"), path.open("rb") as handle:
        kind = sniff_stream(handle, path.name)
        if kind not in services.LHE_KINDS:
            raise click.ClickException(
                f"{path.name}: not a PDF, DOCX or text file (or the extension does not match "
                "the content)."
            )
        try:
            parsed = services.parse_document(handle, kind)
        except (NotAnLHE, UnreadableDocument) as error:
            raise click.ClickException(f"{path.name}: {type(error).__name__}: {error}") from None
    if as_json:
        click.echo(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(_summary(parsed))


def _actor(email: str | None) -> User | None:
    if email is None:
        return None
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    if not user.is_active or not can_manage_evaluations(user):
        raise click.ClickException(f"{email} may not import evaluations (admin or koordinator).")
    return user


@lhe_cli.command("import")
@click.argument("path", type=FILE)
@click.option("--revision-of", "revision_of", type=int, help="Save as a revision of evaluation ID.")
@click.option("--new", "new", is_flag=True, help="Save as a new evaluation even if one exists.")
@click.option("--as", "email", help="E-mail of the admin or koordinator recorded as the actor.")
def import_command(path: Path, revision_of: int | None, new: bool, email: str | None) -> None:
    """Import an LHE as an evaluation, keeping the file as its source document."""
    if revision_of is not None and new:
        raise click.UsageError("Give either --revision-of or --new, not both.")
    with force_locale("id"):
        actor = _actor(email)
        target = None
        if revision_of is not None:
            target = db.session.get(Evaluation, revision_of)
            if target is None:
                raise click.ClickException(f"No evaluation with id {revision_of}.")
        with path.open("rb") as handle:
            try:
                draft = services.upload_lhe(actor, handle, path.name, None)
            except services.LheImportError as error:
                db.session.rollback()
                raise click.ClickException(_reason(error)) from None
        parsed = services.draft_parse(draft)
        mode = "revision" if target is not None else "new"
        try:
            result = services.save_import(actor, draft, parsed, mode, target, confirm_duplicate=new)
        except services.LheImportError as error:
            key = draft.storage_key
            db.session.rollback()
            release(key)
            message = _reason(error)
            if isinstance(error, services.DuplicateEvaluation):
                ids = ", ".join(str(e.id) for e in error.duplicates)
                message = (
                    f"An evaluation of {parsed.institution} for {parsed.year} already exists "
                    f"(id {ids}). Run again with --revision-of ID to revise it, or with --new "
                    "to create a separate evaluation."
                )
            raise click.ClickException(message) from None
        db.session.commit()
        evaluation = result.evaluation
        verb = "revised" if result.mode == "revision" else "created"
        click.echo(
            f"Evaluation {evaluation.id} {verb}: {evaluation.institution} ({evaluation.year}); "
            f"{len(parsed.components)} components, {len(parsed.findings)} findings, "
            f"{len(parsed.recommendations)} recommendations; source document {draft.id}."
        )
        if result.mode == "revision":
            counts = result.counts
            click.echo(
                f"Recommendations: {counts['updated']} updated, {counts['added']} added, "
                f"{counts['deleted']} deleted, {counts['kept']} kept (work started)."
            )
        inclusive = lower_bound_inclusive()
        for warning in [*review_warnings(parsed, inclusive), *map(str, result.warnings)]:
            click.echo(f"Warning: {warning}")
