"""The printable lembar disposisi (issue 14.5, views_sheet.py): offered on a sent letter's page;
the letter's facts, the dispositions recorded so far and the standard instruction checkboxes, in
the reader's language; not shown to someone who may not read the letter."""
from core.kit import db, tenant_scope

from ..delivery import dispose
from .conftest import actor_of
from .test_delivery import sent, user_id
from .test_pages import url


def test_the_sheet_of_a_sent_letter(app, client, office, login, create_user):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter = sent(tenant, people, security="rahasia")
        dispose(tenant, actor_of(tenant, people.kadis_pu), letter.id, user_id(tenant, people.staff_pu),
                "Siapkan bahan rapat")
        db.session.commit()
        letter_id, number = letter.id, letter.number
    login(client, people.kadis_pu, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert f'/letters/{letter_id}/disposition-sheet" id="letter-sheet"' in page
    sheet = client.get(url(tenant, f"letters/{letter_id}/disposition-sheet"), headers={"Accept-Language": "id"})
    text = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and "Lembar Disposisi" in text
    facts = text.split('id="sheet-from">')[1]
    assert facts.index("Dinas Lingkungan Hidup") < facts.index(number) < facts.index("Diteruskan kepada")
    passed = text.split('id="sheet-passed"')[1].split("</table>")[0]
    assert "Siapkan bahan rapat" in passed and passed.count('class="eo-line"') == 3  # recorded, then blank lines
    checks = text.split('id="sheet-instructions"')[1].split("</ul>")[0]
    assert checks.count("<li>") == 9 and "Untuk ditindaklanjuti" in checks and "Tanggapan dan saran" in checks

    colleague = create_user(tenant, "officer", agency="DLH")  # of the issuing unit, not on the letter
    login(client, colleague, tenant)
    assert client.get(url(tenant, f"letters/{letter_id}/disposition-sheet")).status_code == 404


def test_a_draft_offers_no_sheet(app, client, office, login):
    from .helpers import drafted

    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = drafted(tenant, people)
    login(client, people.drafter, tenant)
    assert 'id="letter-sheet"' not in client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
