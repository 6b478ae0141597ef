"""The pages of Remuneration (TPP). The core serves this blueprint under the tenant's
/remuneration/ and answers 404 for a tenant that has not enabled the module; while it
serves these pages, the module's own catalogue is the default for gettext and the templates."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from core.kit import (
    current_actor, gettext as _, has_permission, lazy_gettext as _l, public, requires, unit_of_work,
)

from . import services
from .forms import EntryForm

pages = Blueprint("remuneration", __name__)
TITLE = _l("Remuneration (TPP)")
CREATE = "remuneration.create"


@pages.route("/")
@public
def index():
    can_create = current_user.is_authenticated and has_permission(current_user, g.tenant, CREATE)
    return render_template("remuneration/index.html", module_title=TITLE,
                           entries=services.list_entries(g.tenant), can_create=can_create)


@pages.route("/new", methods=["GET", "POST"])
@requires(CREATE)
def create():
    form = EntryForm()
    if form.validate_on_submit():
        # one transaction: committed when the block ends; a PamongError is rolled back and its
        # message put on the field it names (or on the form), and the form comes back (400)
        with unit_of_work(form) as work:
            services.create_entry(g.tenant, current_actor(), form.title.data, form.details.data)
        if work.ok:
            flash(_("Entry saved."))
            return redirect(url_for(".index"))
    status = 400 if request.method == "POST" else 200
    return render_template("remuneration/create.html", module_title=TITLE, form=form), status
