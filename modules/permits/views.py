from flask import Blueprint

from core.kit import public

pages = Blueprint("permits", __name__)


@pages.route("/")
@public
def index():
    return "permits"


@pages.route("/queue")
@public
def queue():
    return "queue"
