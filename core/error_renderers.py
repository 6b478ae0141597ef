"""Error bodies in the formats of standards Pamong's modules speak, as ``(status, code, message)
-> Response`` renderers: for the ``error_formats`` hook and for ``api_scope(error_format=...)``.

- ``bpjs_error``: the BPJS Kesehatan web-service envelope (VClaim / Antrean RS), ``{"metadata":
  {"code", "message"}, "response": null}``; ``metadata.code`` is the HTTP status, as BPJS does.
- ``fhir_error``: an HL7 FHIR R4 ``OperationOutcome`` (as SATUSEHAT answers), one ``issue`` with
  ``severity`` ``error``, an issue-type ``code`` for the status and our stable code in
  ``details.coding``.

The message may be a lazy string (``lazy_gettext``, an ``IdentityError``'s): each renderer says it
with ``str()`` in the request's language, as ``render_error`` does for every module's renderer.
"""
from __future__ import annotations

import json

from flask import Response

# FHIR R4 IssueType (http://hl7.org/fhir/R4/valueset-issue-type.html) by HTTP status
FHIR_ISSUE = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
              409: "conflict", 413: "too-long", 422: "processing", 429: "throttled"}


def bpjs_error(status: int, code: str, message: str) -> Response:
    body = {"metadata": {"code": status, "message": str(message)}, "response": None}
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def fhir_error(status: int, code: str, message: str) -> Response:
    message = str(message)
    body = {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error" if status < 500 else "fatal",
        "code": FHIR_ISSUE.get(status, "exception"),
        "details": {"coding": [{"system": "urn:pamong:error", "code": code}], "text": message},
        "diagnostics": message,
    }]}
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/fhir+json")
