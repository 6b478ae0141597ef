from flask import Blueprint

pages = Blueprint("eoffice", __name__)
