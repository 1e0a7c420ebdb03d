"""The error answers of API.md, written into the OpenAPI document in one place.

Views declare their success bodies; this drf-spectacular postprocessing hook adds
the error statuses each operation can really answer, all with the shared error
shapes, so clients (and Schemathesis) can rely on the schema for failures too.
"""

import re

ERROR_SCHEMAS = {
    "FieldErrors": {
        "type": "object",
        "description": (
            'Bad input: messages per field, e.g. {"content": ["…"]}. Nested bodies nest their errors: '
            '{"issues": [{}, {"category": ["…"]}]}; errors not tied to one field are under "non_field_errors".'
        ),
        "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    },
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "Conflict": {
        "type": "object",
        "description": "The object's state does not allow the action now; reload it.",
        "properties": {"detail": {"type": "string"}, "status": {"type": "string", "nullable": True}},
        "required": ["detail", "status"],
    },
}

DESCRIPTIONS = {
    "400": "Bad input; nothing was written.",
    "401": "No valid credentials.",
    "403": "The caller's role may not do this, or an administrator asked the caller to change the password first.",
    "404": "Not found, or outside the caller's scope.",
    "409": "The object's state does not allow this now.",
}

PAGING = {"page", "page_size"}
# Writes whose object may be in the wrong state: the case actions, linking cases to a project, and 督办单
# (issued on a case without a unit, signed for twice, answered before signing), and 申诉 (filed twice on a
# case and month, decided twice).
CONFLICT_RE = re.compile(
    r"^/api/v1/(cases/\{id\}/[a-z-]+/|projects/|supervision-orders/(\{id\}/(sign|reply)/)?"
    r"|score-appeals/(\{id\}/decision/)?)$"
)


def _codes(path: str, method: str, operation: dict) -> dict[str, str]:
    """The error status → the schema it answers with."""
    params = operation.get("parameters", [])
    authenticated = bool(operation.get("security")) and {} not in operation["security"]
    codes = {}
    # Paging parameters never fail: a bad page_size falls back to the default, a bad page is a 404.
    if operation.get("requestBody") or any(p["in"] == "query" and p["name"] not in PAGING for p in params):
        codes["400"] = "FieldErrors"
    if authenticated:
        # Every signed-in call may be refused: by role, or until a forced password change is done
        # (accounts.api.permissions.PasswordChangeNotPending).
        codes["401"] = "ErrorDetail"
        codes["403"] = "ErrorDetail"
    if path == "/api/v1/auth/token/":
        codes["403"] = "ErrorDetail"  # the account is locked out for a while, or must change its password
    # Path ids outside the scope, and pages past the end of a list.
    if any(p["in"] == "path" for p in params) or any(p["name"] == "page" for p in params):
        codes["404"] = "ErrorDetail"
    if method in ("post", "patch") and CONFLICT_RE.match(path):
        codes["409"] = "Conflict"
    return codes


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, name in _codes(path, method, operation).items():
                description = responses.get(code, {}).get("description") or DESCRIPTIONS[code]
                responses[code] = {
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    "description": description,
                }
    return result
