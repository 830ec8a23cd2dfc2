"""Pages of units (to be written)."""

from flask import Blueprint

bp = Blueprint("units", __name__)
