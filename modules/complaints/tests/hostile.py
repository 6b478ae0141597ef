"""Hostile text for the intake tests, and checks that an answer is well-formed in its format."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from core.text import clean, is_clean
from core.web_request import CleanMultiDict

# name -> text as a client means it (lone surrogates reach us as JSON escapes, see json.dumps)
CORPUS = {
    "U+FFFF": "Sampah \uffff menumpuk di depan pasar",
    "U+FFFE": "Sampah \ufffe menumpuk di depan pasar",
    "NUL": "Sampah\x00 menumpuk di depan pasar",
    "other C0": "Sampah \x01\x07\x08\x0b\x0c\x1b\x1f menumpuk di depan pasar",
    "non-characters": "Sampah \ufdd0\U0001fffe\U0010ffff menumpuk di depan pasar",
    "lone high surrogate": "Sampah menumpuk \ud83d di depan pasar",
    "lone low surrogate": "Sampah menumpuk \ude00 di depan pasar",
    "combining (NFC)": "Sampah di depan Cafe\u0301 Losari, Jl. Nu\u0301ri",
    "RTL override": "Sampah \u202egnatuh\u202c menumpuk di depan pasar",
    "tab, CR, LF kept": "Sampah\tmenumpuk\r\ndi depan pasar",
    "10k characters": "sampah " * 1430,
}
NON_UTF8 = b"Sampah \xff\xfe\xed\xa0\xbd menumpuk"


def expected(text: str, form: bool = False) -> str:
    """What is stored of ``text``. Sent in a URL-encoded form, a lone surrogate travels as the bytes
    a broken encoder makes of it (``%ED%A0%BD``), which Werkzeug keeps as visible escapes."""
    if form:
        text = re.sub("[\ud800-\udfff]", lambda m: "".join(
            f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")), text)
    return clean(text).strip()


def form_body(data: dict) -> bytes:
    """A URL-encoded form as a client that lets lone surrogates through would send it."""
    return urlencode(data, encoding="utf-8", errors="surrogatepass").encode("ascii")


def assert_clean_strings(value, path="$"):
    """Every string (and key) in decoded JSON/XML is clean text."""
    if isinstance(value, str):
        assert is_clean(value), f"{path}: {value[:80]!r}"
    elif isinstance(value, dict):
        for k, v in value.items():
            assert_clean_strings(k, path)
            assert_clean_strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            assert_clean_strings(v, f"{path}[{i}]")


def parse_answer(response):
    """Parse a response in its own format (JSON or XML; HTML/CSV: UTF-8 text); return the document.
    Fails the test on a 5xx, on bytes that are not UTF-8, on malformed JSON or XML."""
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    body = response.get_data()
    ctype = response.headers.get("Content-Type", "")
    if ctype.startswith(("image/", "application/pdf", "application/octet-stream")):
        return body  # a file (the favicon, a photo, a signed PDF): bytes, not text
    text = body.decode("utf-8")  # strict: the answer is UTF-8
    if "json" in ctype:
        data = json.loads(text)
        assert_clean_strings(data)
        return data
    if "xml" in ctype:
        root = ET.fromstring(body)  # raises ParseError when not well-formed
        for element in root.iter():
            assert_clean_strings(element.text or "")
        return root
    return text


class ParametersRead(CleanMultiDict):
    """The app's query and form parameters (cleaned as ever), noting every name a view reads
    (``request.args.get``, ``request.values`` through Open311's ``value``, ``getlist``, ``in``);
    reading them all at once (``items``, ``to_dict``...) is noted as ``*``. A test puts it in
    place with ``monkeypatch.setattr(app.request_class, "parameter_storage_class", ParametersRead)``
    so that its sweeps send each route only what the route reads."""

    read: set[str] = set()

    def __getitem__(self, key):
        ParametersRead.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # noqa: A002 - werkzeug's own signature
        ParametersRead.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        ParametersRead.read.add(key)
        return super().__contains__(key)

    def _all(name):
        def every(self, *args, **kwargs):
            ParametersRead.read.add("*")
            return getattr(CleanMultiDict, name)(self, *args, **kwargs)
        return every

    items = _all("items")
    keys = _all("keys")
    values = _all("values")
    lists = _all("lists")
    to_dict = _all("to_dict")
    __iter__ = _all("__iter__")
    del _all


def names_read(c, url, headers, names) -> list[str]:
    """The query parameter names ``url`` reads when it is given none (those of ``names``)."""
    ParametersRead.read = set()
    c.get(url, headers=headers)
    return list(names) if "*" in ParametersRead.read else [n for n in names if n in ParametersRead.read]
