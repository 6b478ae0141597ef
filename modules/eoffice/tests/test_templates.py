"""Letter types' body templates (issue 14.1), set per tenant in its settings (the file or the
admin's settings form): a template with script, styles or event handlers is refused where it is
written, naming the type and what it holds; a good one starts a new letter of its type."""
import pytest

from core.kit import ValidationError

from ..settings import DEFAULT_TYPES, check_settings
from .test_pages import url

GOOD = "<p>Dengan hormat,</p><p>Sehubungan dengan <strong>...</strong></p><ol><li>satu</li></ol>"


@pytest.mark.parametrize("template, named", [
    ("<p>Halo</p><script>alert(1)</script>", "<script>"),
    ('<p onclick="steal()">Halo</p>', "onclick="),
    ('<p style="color:red">Halo</p>', "style="),
    ('<img src="x" onerror="alert(1)">', "<img>"),
])
def test_a_template_with_script_is_refused_naming_it(template, named):
    types = [dict(DEFAULT_TYPES[0], template=template)]
    with pytest.raises(ValidationError) as error:
        check_settings(None, {"letter_types": types})
    assert error.value.code == "unsafe_template" and named in str(error.value.message)
    assert error.value.where == "modules.eoffice.settings.letter_types.0.template"


def test_a_good_template_starts_a_new_letter(client, make_tenant, login):
    tenant, people = make_tenant({"letter_types": [dict(DEFAULT_TYPES[0], template=GOOD), DEFAULT_TYPES[1]]})
    check_settings(tenant, {"letter_types": [dict(DEFAULT_TYPES[0], template=GOOD)]})  # nothing refused
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, "new?type=SB")).get_data(as_text=True)
    assert "Sehubungan dengan &lt;strong&gt;" in page  # in the text area, escaped
    assert "Sehubungan" not in client.get(url(tenant, "new?type=ND")).get_data(as_text=True)


def test_choosing_a_type_without_javascript_brings_its_template_keeping_what_was_typed(client, make_tenant, login):
    """Trial finding 1: the form's own button puts the chosen type's template in the text (no
    ?type= link needed); the subject typed stays; nothing is saved; the drafter's own text is kept."""
    tenant, people = make_tenant({"letter_types": [DEFAULT_TYPES[1], dict(DEFAULT_TYPES[0], template=GOOD)]})
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, "new")).get_data(as_text=True)
    assert 'name="use_template"' in page and "Sehubungan" not in page
    form = {"letter_type": "SB", "subject": "Rapat koordinasi", "body": "", "security": "biasa", "use_template": "1"}
    answer = client.post(url(tenant, "new"), data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Sehubungan dengan &lt;strong&gt;" in page
    assert 'value="Rapat koordinasi"' in page and 'class="error"' not in page
    own = client.post(url(tenant, "new"), data=dict(form, body="<p>Teks saya sendiri</p>")).get_data(as_text=True)
    assert "Teks saya sendiri" in own and "Sehubungan" not in own
