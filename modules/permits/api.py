from flask import Blueprint

api = Blueprint("permits_api", __name__)
OPENAPI_PATHS = {}
