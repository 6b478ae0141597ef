"""The pages of the city card (see views_*.py for each audience)."""
from flask import Blueprint, render_template

from core.kit import public

pages = Blueprint("smartcard", __name__, template_folder="templates")


@pages.route("/")
@public
def index():
    return render_template("smartcard/index.html")
