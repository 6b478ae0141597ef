"""The letter types' page (issue 14.1): the tenant admin lists the types with their body
templates, creates a type, edits one and previews its template as a new letter starts with it,
without saving (the preview button) or as stored (the edit page). Work in ``type_templates.py``."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale

from core.kit import NotFound, current_actor, gettext as _, requires, unit_of_work

from . import richtext, type_templates
from .forms import TemplateForm
from .settings import LETTER_TYPE
from .views import pages

ADMIN = "core.admin"  # the letter types are the module's settings, which the tenant admin keeps


def _indonesian() -> bool:
    return str(get_locale() or "id").startswith("id")


def _layouts() -> list[tuple[str, str]]:
    lang = "id" if _indonesian() else "en"
    return [(k, v[lang]) for k, v in LETTER_TYPE["properties"]["layout"]["x-choices"].items()]


@pages.route("/templates")
@requires(ADMIN)
def templates():
    layouts = dict(_layouts())
    rows = [(t, layouts.get(t["layout"], t["layout"]), richtext.plain(t["template"])[:160])
            for t in type_templates.types_of(g.tenant)]
    return render_template("eoffice/templates.html", rows=rows, indonesian=_indonesian())


@pages.route("/templates/new", methods=["GET", "POST"])
@requires(ADMIN)
def template_new():
    return _edit(None)


@pages.route("/templates/<code>", methods=["GET", "POST"])
@requires(ADMIN)
def template_edit(code):
    return _edit(code)


def _edit(code: str | None):
    tenant = g.tenant
    form = TemplateForm()
    form.layout.choices = _layouts()
    stored = None
    if code is not None:
        try:
            stored = type_templates.find(tenant, code)
        except NotFound:
            abort(404)
    if request.method == "GET":
        if stored:
            for name in ("name_id", "name_en", "layout", "template"):
                getattr(form, name).data = stored[name]
            form.version.data = type_templates.version(stored)
        shown = type_templates.preview(stored["template"]) if stored else None
        return render_template("eoffice/template_form.html", form=form, stored=stored, shown=shown)
    shown, status = None, 400

    def show(form, exc):  # every field's problem beside its field (type_templates.checked finds them all)
        for error in getattr(exc, "all", None) or [exc]:
            field = getattr(form, error.where, None) if error.where in form._fields else None
            message = error.local or error.message
            if field is not None:
                field.errors = list(field.errors or []) + [message]
            else:
                form.form_errors.append(message)

    if not form.validate_on_submit():
        form.form_errors.append(_("The form expired: try again."))
    elif request.form.get("do") == "preview":  # checked as a save is, nothing written
        with unit_of_work(form, show=show) as work:
            entry = type_templates.checked(tenant, form.data, code)
        if work.ok:
            shown, status = type_templates.preview(entry["template"]), 200
    else:
        with unit_of_work(form, show=show) as work:
            saved = type_templates.save(tenant, current_actor(), form.data, code, opened=form.version.data or None)
        if work.ok:
            flash(_("Letter type %(code)s saved.", code=saved["code"]))
            return redirect(url_for(".templates"))
    return render_template("eoffice/template_form.html", form=form, stored=stored, shown=shown), status
