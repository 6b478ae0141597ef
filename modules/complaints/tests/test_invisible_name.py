"""A filer's name typed with U+202E RIGHT-TO-LEFT OVERRIDE (a trial: it was kept as typed and showed
reversed) reaches the database without it: the core's intake cleaning (core/text.py) removes the
bidirectional controls and invisible format characters from every form."""
from core.kit import db, tenant_scope
from modules.complaints.models import Complaint

from .test_portal import post_form


def test_the_filing_form_stores_the_name_without_the_override(app, client, tenant):
    response = post_form(client, tenant, name="Daeng \u202einaR\u202c", address="Jl. Nuri\u2066 No. 5\u2069")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    with app.app_context(), tenant_scope(tenant):
        complaint = db.session.execute(db.select(Complaint)).scalar_one()
        assert (complaint.filer_name, complaint.address) == ("Daeng inaR", "Jl. Nuri No. 5")
