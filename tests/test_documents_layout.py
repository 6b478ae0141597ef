"""The shared document template's layout (``templates/documents/letter.html``): the verification
address printed under the signature on one line, whole on the page (a trial of issue 16: it was
broken mid-address inside the 75 mm signature block, and kept on one line there it ran off the page)."""
from __future__ import annotations

from tests.test_documents import issue, signing_tenant  # noqa: F401  (the fixture)


def test_the_verification_address_is_one_line_within_the_page(app, signing_tenant):  # noqa: F811
    import pypdfium2 as pdfium

    from core.documents import verification_url

    doc, data = issue(app, signing_tenant)
    with app.app_context():
        url = verification_url(signing_tenant, doc["code"])
    page = pdfium.PdfDocument(data)[0]
    text = page.get_textpage()
    lines = text.get_text_range().splitlines()
    assert any(url in line for line in lines), lines                  # never broken across lines
    start = text.get_text_range().index(url)
    width = page.get_width()
    for index in (start, start + len(url) - 1):                        # its first and last characters
        left, _bottom, right, _top = text.get_charbox(index)
        assert 0 < left and right < width, (index, left, right, width)
