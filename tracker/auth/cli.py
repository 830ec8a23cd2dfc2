"""`flask create-user`: create an account from the command line (e.g. the first admin)."""

import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.users.services import UserError, create_user, units_from_codes


@click.command("create-user")
@click.option("--email", required=True, help="E-mail address, used to log in.")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, help="admin, koordinator, pimpinan or pic.")
@click.option("--unit", "unit_codes", multiple=True, metavar="CODE", help="Unit code (repeatable).")
@click.option("--password", help="Asked for (hidden, twice) when not given.")
@click.option("--language", default="id", show_default=True, help="id or en.")
@with_appcontext
def create_user_command(email, name, role, unit_codes, password, language):
    """Create a user account; the rules are the same as on the admin page."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            None,
            email=email,
            name=name,
            role=role,
            units=units_from_codes(unit_codes),
            language=language,
            password=password,
            via="cli",
        )
    except UserError as error:
        db.session.rollback()
        raise click.ClickException("\n".join(p.english for p in error.problems)) from None
    db.session.commit()
    click.echo(f"Created user {user.email} (role {user.role.value})")
