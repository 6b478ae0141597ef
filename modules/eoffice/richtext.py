"""Letter bodies are rich text (what an officer types or pastes from a word processor), made safe
once where they enter, with Ammonia (``nh3``): only the tags and attributes a letter needs survive;
scripts, event handlers, styles, ``javascript:`` links and anything else are removed. The result is
safe to render in the pages and in the PDF (where WeasyPrint fetches nothing anyway)."""
from __future__ import annotations

import re
from html import unescape

import nh3

from core.kit import clean_text

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
        "h3", "h4", "blockquote", "sup", "sub"}
ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start", "type"}}
LIMIT = 100_000  # characters of a body, as typed


def sanitise(html: str) -> str:
    """``html`` cleaned: allowed tags only (``TAGS``), their allowed attributes, no comments;
    plain text becomes paragraphs. Raises nothing: what is not allowed is dropped."""
    html = clean_text(html or "").strip()[:LIMIT]
    if html and "<" not in html:  # plain text: one paragraph per blank-line-separated block
        html = "".join(f"<p>{nh3.clean_text(block).replace(chr(10), '<br>')}</p>"
                       for block in html.replace("\r\n", "\n").split("\n\n") if block.strip())
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, strip_comments=True, link_rel=None).strip()


BLOCK = re.compile(r"<(?:br|/?(?:p|li|ol|ul|tr|td|th|table|thead|tbody|h3|h4|blockquote))\b[^>]*>", re.I)


def plain(html: str) -> str:
    """The text of a body without tags (search, previews): a paragraph, line, list item or cell
    ends a word, spaces run together, entities read as their characters (escape it to show it)."""
    return " ".join(unescape(nh3.clean(BLOCK.sub(" ", html or ""), tags=set())).split())


def refused(html: str) -> str:
    """What ``sanitise`` would drop from ``html``, named: ``"<script>, onclick="`` (empty: nothing).
    For text that is checked rather than cleaned (a letter type's template in the settings)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Seen(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in TAGS and f"<{tag}>" not in found:
                found.append(f"<{tag}>")
            for name, _value in attrs:
                if name not in ATTRIBUTES.get(tag, set()) and f"{name}=" not in found:
                    found.append(f"{name}=")

        def handle_comment(self, data):
            if "<!-- -->" not in found:
                found.append("<!-- -->")

    Seen().feed(html or "")
    return ", ".join(found)


def same_when_sanitised(html: str) -> bool:
    """Whether ``html`` holds only what a letter may (``refused`` finds nothing)."""
    return not refused(html)
