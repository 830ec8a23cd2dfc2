"""Pages of users (to be written)."""

from flask import Blueprint

bp = Blueprint("users", __name__)
