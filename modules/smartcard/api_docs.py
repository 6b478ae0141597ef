"""The OpenAPI description of the terminal API (``/api/v1/openapi.json``)."""
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_SEC = [{"token": ["smartcard:terminal"]}]
_KEY = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}
_TRANSFER = {"type": "object", "properties": {"id": {"type": "string"}, "kind": {"type": "string"},
                                              "amount": {"type": "integer"}, "created_at": {"type": "string"}}}


def _body(required, **props):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": props}}}}


def _path(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _post(summary, body, security=_SEC, idempotent=True, path=None):
    params = ([_KEY] if idempotent else []) + ([_path(path)] if path else [])
    return {"post": {
        "summary": summary, "security": security, "parameters": params, "requestBody": body,
        "responses": {
            "201": {"description": "The transfer written (or the first one, for the same id)",
                    "content": {"application/json": {"schema": _TRANSFER}}},
            "400": {"description": "No Idempotency-Key, or not a JSON object", **_ERROR},
            "401": {"description": "No valid token or signature", **_ERROR},
            "403": {"description": "Not a terminal; card blocked, closed or replaced", **_ERROR},
            "404": {"description": "Unknown card, hold or payment", **_ERROR},
            "409": {"description": "Key in flight; hold already ended; callback replayed", **_ERROR},
            "422": {"description": "Bad amount or id; over the balance or the limit; key reused", **_ERROR},
        }}}


_ID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$"}
_AMOUNT = {"type": "integer", "minimum": 1, "description": "rupiah"}
_CARD = {"type": "string", "pattern": "^[0-9]{16}$"}
P = "/api/v1/smartcard"

OPENAPI_PATHS = {
    f"{P}/payments": _post("Pay the terminal's merchant from a card", _body(["id", "card", "amount"], id=_ID, card=_CARD,
                                                                            amount=_AMOUNT)),
    f"{P}/holds": _post("Hold an amount on a card (gate, bus entry)", _body(
        ["id", "card", "amount"], id=_ID, card=_CARD, amount=_AMOUNT, timeout={"type": "integer"})),
    f"{P}/holds/{{hold_id}}/capture": _post("Post a hold, for at most what it holds", _body(["id"], id=_ID,
                                                                                           amount=_AMOUNT),
                                                       path="hold_id"),
    f"{P}/holds/{{hold_id}}/void": _post("Release a hold", _body(["id"], id=_ID), path="hold_id"),
    f"{P}/refunds": _post("Refund (part of) a payment", _body(["id", "payment", "amount"], id=_ID, payment=_ID,
                                                              amount=_AMOUNT)),
    f"{P}/bank/topups": _post("The bank's top-up callback (X-Pamong-Signature)", _body(
        ["reference", "card", "amount"], reference=_ID, card=_CARD, amount=_AMOUNT), security=[], idempotent=False),
    f"{P}/qris/payments": _post("The QRIS acquirer's payment callback (X-Pamong-Signature)", _body(
        ["reference", "merchant", "amount"], reference=_ID, merchant={"type": "string"}, amount=_AMOUNT),
        security=[], idempotent=False),
    f"{P}/cards/{{number}}/balance": {"get": {"summary": "A card's balance", "security": _SEC, "parameters": [_path("number")], "responses": {
        "200": {"description": "balance, held, available (rupiah)"}, "404": {"description": "Unknown card", **_ERROR}}}},
    f"{P}/qris": {"get": {"summary": "The terminal's QRIS payload (dynamic with ?amount=)", "security": _SEC,
                          "responses": {"200": {"description": "payload"},
                                        "422": {"description": "Malformed amount", **_ERROR}}}},
}
