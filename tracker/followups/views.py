"""Pages of followups (to be written)."""

from flask import Blueprint

bp = Blueprint("followups", __name__)
