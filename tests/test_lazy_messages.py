"""A lazy message is text, never markup (core/i18n.py): Flask-Babel's LazyString told Jinja and
WTForms it was safe HTML, so a message quoting typed input ran that input as markup."""
from pathlib import Path

from flask import render_template_string
from flask_babel import lazy_gettext
from markupsafe import escape

from core.kit import module_domain

TYPED = "<img src=x onerror=alert(1)>"


def test_a_lazy_message_quoting_typed_markup_is_escaped_in_a_page(app):
    domain = module_domain("nosuchmodule", Path(__file__).parent)
    with app.test_request_context("/"):
        for message in (lazy_gettext("There is no position '%(code)s' here.", code=TYPED),
                        domain.lazy_gettext("'%(name)s' is not a PDF file.", name=TYPED)):
            page = render_template_string("<p>{{ m }}</p>", m=message)
            assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
            assert TYPED in str(message)  # text everywhere else (CLI, logs, JSON)
            assert str(escape(message)).count("&lt;img") == 1  # escaped once, not twice


def test_a_message_with_angle_brackets_keeps_its_words(app):
    with app.test_request_context("/"):
        page = render_template_string("{{ m }}", m=lazy_gettext("To register send: DAFTAR <poli> <date>"))
    assert "DAFTAR &lt;poli&gt; &lt;date&gt;" in page


def test_a_form_error_from_a_lazy_message_is_escaped(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField

    class Form(FlaskForm):
        code = StringField(lazy_gettext("Code"))

    with app.test_request_context("/", method="POST", data={"code": TYPED}):
        form = Form(meta={"csrf": False})
        form.code.errors = [lazy_gettext("There is no unit '%(code)s' here.", code=form.code.data)]
        page = render_template_string("{% for e in f.code.errors %}<span>{{ e }}</span>{% endfor %}{{ f.code.label }}",
                                      f=form)
    assert "<img" not in page and "&lt;img" in page and '<label for="code">' in page
