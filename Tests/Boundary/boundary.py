#!/usr/bin/env python3
"""Boundary values against every parameter of every operation in openapi.json.

Sends 0, -1, 2^31, 2^53, 2^63-1, -2^63, 2^64, 1e308, "NaN", huge strings, nesting 10/100/10,000 deep
and wrong types to each query, path and header parameter and to each body property (and as the whole
body); an operation that takes a picture gets a real picture while a parameter carries the value,
then broken pictures (empty, truncated, random bytes behind a real signature, a header claiming
900 megapixels) as the body; anonymously and as each role, against a running server. Fails when any answer is 5xx, when a
connection breaks, or when the process stops answering /health/live. Prints the counts it tried.

    boundary.py BASE_URL OPENAPI_JSON TOKENS_JSON IDS_JSON
TOKENS_JSON maps a role name to a shop bearer token ("operator" to a platform token); IDS_JSON maps
a path parameter name to a real id to use while another parameter carries the boundary value.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

BASE, SPEC, TOKENS, IDS = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
TENANT = "demo"


from values import JSON_VALUES, TEXT_VALUES  # noqa: E402 (shared with storefront.py)

PICTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support", "images")
PICTURE = open(os.path.join(PICTURES, "badge.png"), "rb").read()
BROKEN_PICTURES = [b"", PICTURE[:40], b"\x89PNG\r\n\x1a\n" + os.urandom(4000), b"\xff\xd8\xff" + os.urandom(4000),
                   b"RIFF\x00\x00\x00\x00WEBP" + os.urandom(64), open(os.path.join(PICTURES, "bomb.png"), "rb").read(),
                   open(os.path.join(PICTURES, "truncated.jpg"), "rb").read()]

spec = json.load(open(SPEC))
schemas = spec.get("components", {}).get("schemas", {})
parsed = urllib.parse.urlsplit(BASE)
stats = {"operations": 0, "parameters": 0, "requests": 0, "5xx": 0, "broken": 0}
failures = []


def resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = schemas[schema["$ref"].split("/")[-1]]
    return schema or {}


def sample(schema, name=""):
    """A plausible valid value for a schema, so the other fields do not fail first."""
    schema = resolve(schema)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            return sample(schema[key][0], name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: sample(value, key) for key, value in props.items() if key in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = schema.get("format", "")
    if fmt == "email" or "email" in name.lower():
        return "boundary@example.com"
    if fmt == "uuid" or name.lower().endswith("id"):
        return IDS.get(name, IDS.get("productId", "00000000-0000-4000-8000-000000000000"))
    return "boundary-value"


class Client:
    def __init__(self):
        self.connection = None

    def send(self, method, path, headers, body):
        for attempt in range(2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status
            except (http.client.HTTPException, OSError) as error:
                if self.connection:
                    self.connection.close()
                self.connection = None
                if attempt == 1:
                    return f"connection error: {error}"
        return "unreachable"


client = Client()


def alive():
    return client.send("GET", "/health/live", {}, None) == 200


def request(role, method, template, path_values, query, headers, body, content_type="application/json"):
    path = template
    for key, value in path_values.items():
        path = path.replace("{" + key + "}", urllib.parse.quote(value, safe=""))
    if query:
        path += "?" + urllib.parse.urlencode(query)
    all_headers = {"X-Tenant-ID": TENANT}
    if role != "anonymous":
        all_headers["Authorization"] = "Bearer " + TOKENS[role]
    if body is not None:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers)
    status = client.send(method, path, all_headers, body.encode() if isinstance(body, str) else body)
    stats["requests"] += 1
    if not isinstance(status, int) or status >= 500:
        stats["5xx" if isinstance(status, int) else "broken"] += 1
        failures.append(f"{role} {method} {path[:160]} {json.dumps(headers)[:100]} body={str(body)[:160]!r} -> {status}")
        if not alive():
            print("the server stopped answering after:", failures[-1])
            sys.exit(1)


def operations():
    for template, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            yield template, method.upper(), operation, shared + operation.get("parameters", [])


for template, method, operation, parameters in operations():
    platform = "/platform/" in template
    if template.endswith(("/auth/logout", "/auth/password")) or (platform and method == "DELETE"):
        roles = ["anonymous"]  # the roles' own tokens must survive the run; boundary values still go in
    elif platform:
        roles = ["anonymous", "operator"]
    else:
        roles = [role for role in TOKENS if role != "operator"] + ["anonymous"]
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    # Outside /platform, a tenantId in a path is the demo shop's (a media URL), not the spare tenant.
    valid_path = {name: IDS.get("shopId" if name == "tenantId" else name, IDS.get("id", "00000000-0000-4000-8000-000000000000"))
                  for name in path_names}
    if platform:
        valid_path = {name: IDS.get("tenantId", "") for name in path_names}
    body_schema = resolve(operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema"))
    base_body = sample(body_schema) if body_schema else None
    properties = list(resolve(body_schema).get("properties", {}).keys()) if body_schema else []
    stats["operations"] += 1
    stats["parameters"] += len([p for p in parameters if p["in"] in ("query", "path", "header")]) + len(properties)
    base_text = json.dumps(base_body) if base_body is not None else None
    picture = "image/png" in operation.get("requestBody", {}).get("content", {})
    content_type = "image/png" if picture else "application/json"
    if picture:
        base_text = PICTURE
    for role in roles:
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]
            for value in TEXT_VALUES:
                if where == "path":
                    request(role, method, template, {**valid_path, name: value}, {}, {}, base_text, content_type)
                elif where == "query":
                    request(role, method, template, valid_path, {name: value}, {}, base_text, content_type)
                elif where == "header" and value.isprintable() and len(value) < 2000 and all(ord(c) < 256 for c in value):
                    request(role, method, template, valid_path, {}, {name: value}, base_text, content_type)
        if picture:
            for broken in BROKEN_PICTURES:
                request(role, method, template, valid_path, {}, {}, broken, content_type)
        if body_schema:
            for value in JSON_VALUES:
                request(role, method, template, valid_path, {}, {}, value)  # the whole body
                for name in properties:
                    body = dict(base_body) if isinstance(base_body, dict) else {}
                    body.pop(name, None)
                    text = json.dumps(body)
                    text = ("{" + json.dumps(name) + ":" + value + ("," + text[1:] if len(text) > 2 else "}"))
                    request(role, method, template, valid_path, {}, {}, text)
    if not alive():
        print("the server stopped answering after", method, template)
        sys.exit(1)

values_tried = len(TEXT_VALUES) + len(JSON_VALUES)
print(f"boundary: {stats['operations']} operations, {stats['parameters']} parameters and body fields, "
      f"{values_tried} values, {stats['requests']} requests; 5xx: {stats['5xx']}, broken connections: {stats['broken']}")
for failure in failures[:60]:
    print("  ", failure)
passed = stats["requests"] - stats["5xx"] - stats["broken"]
print(f"boundary: {passed} passed, {stats['5xx'] + stats['broken']} failed")
sys.exit(1 if failures else 0)
