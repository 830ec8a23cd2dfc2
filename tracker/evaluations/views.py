"""Pages of evaluations (to be written)."""

from flask import Blueprint

bp = Blueprint("evaluations", __name__)
