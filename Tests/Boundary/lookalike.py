#!/usr/bin/env python3
"""The look-alike class: values whose mark joins the next character into one grapheme (combining
acute, U+0600-U+0605, ZWJ, RTL override) placed before each of < > " ' &, carried into every HTML
answer they can reach, which must hold no markup they created.

The boundary sweep (boundary.py) sends them into every field of every operation; this script then
makes sure they reach the printed documents: per mark, a product name, a shipping method, a tax
rate, an automatic discount and every field of a shipping address carry one, in an order that is
then paid. Every order's invoice and packing slip, and the pages, are parsed as a browser would
(html.parser): an element carrying a value's `data-` attribute is markup the value created. The
values must also be there as text, so the check cannot pass by their never arriving.

    lookalike.py BASE_URL OWNER_TOKEN CUSTOMER_TOKEN
"""
import html
import html.parser
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, OWNER, CUSTOMER = sys.argv[1:4]
MARKS = {"combining acute": "\u0301", "U+0600": "\u0600", "U+0601": "\u0601", "U+0602": "\u0602", "U+0603": "\u0603",
         "U+0604": "\u0604", "U+0605": "\u0605", "ZWJ": "\u200d", "RTL override": "\u202e"}


def probe(mark, where):
    """One look-alike value: the mark before each of < > " ' &, its element named by `where`."""
    return f"{mark}<i data-probe={where}>{mark}\"{mark}'{mark}&amp;{mark}>"


def call(method, path, token, body=None):
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"X-Tenant-ID": "demo", "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def data(answer):
    status, body = answer
    if status >= 300:
        raise SystemExit(f"setup failed: {status} {body[:300]!r}")
    return json.loads(body)["data"]


class Markup(html.parser.HTMLParser):
    """Elements a probe created, and the text of the page."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.created, self.text = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("data-probe") or name.startswith("data-lookalike"):
                self.created.append(f"<{tag} {name}={value}>")

    def handle_data(self, text):
        self.text.append(text)


zones = data(call("GET", "/api/v1/shipping-zones", OWNER))
taken = {country for zone in zones.get("zones", zones if isinstance(zones, list) else []) for country in zone.get("countries", [])}
country = next(code for code in ["IS", "NO", "CH", "IE", "PT", "FI", "SE", "DK"] if code not in taken)
methods = [{"name": probe(mark, f"method-{index}"), "type": "flat", "price": 1 + index} for index, mark in enumerate(MARKS.values())]
zone = data(call("POST", "/api/v1/shipping-zones", OWNER, {"name": "Look-alike zone", "countries": [country], "methods": methods}))
data(call("POST", "/api/v1/tax-rates", OWNER, {"country": country, "name": probe("\u0600", "tax"), "rate": 7}))
expected, orders, slugs = [], [], []
for index, (label, mark) in enumerate(MARKS.items()):
    product = data(call("POST", "/api/v1/products", OWNER, {"name": probe(mark, f"product-{index}"), "sku": f"LOOK-{index}", "price": 3, "status": "active",
                                                            "stock": 5}))
    slugs.append(product["slug"])
    address = {field: probe(mark, f"{field}-{index}") for field in ["name", "company", "line1", "line2", "city", "region"]}
    address.update(postalCode="101", country=country)
    method = zone["methods"][index]["id"]
    status, body = call("POST", "/api/v1/orders", CUSTOMER, {"items": [{"productId": product["id"], "quantity": 1}],
                                                             "shippingAddress": address, "shippingMethodId": method})
    if status != 201:
        raise SystemExit(f"the {label} order was refused: {status} {body[:300]!r}")
    order = json.loads(body)["data"]
    data(call("POST", f"/api/v1/orders/{order['id']}/pay", OWNER))
    orders.append(order["id"])
    expected += [probe(mark, f"product-{index}"), probe(mark, f"name-{index}"), probe(mark, f"line1-{index}"), probe(mark, f"method-{index}")]

# Every order of the shop (the sweep's too), both documents, and the pages.
documents = {}
page = 1
while True:
    listing = data(call("GET", f"/api/v1/orders?limit=100&page={page}", OWNER))
    for order in listing["orders"]:
        for kind in ("packing-slip", "invoice"):
            status, body = call("GET", f"/api/v1/orders/{order['id']}/invoice?document={kind}", OWNER)
            if status == 200:
                documents[f"order {order['number']} {kind}"] = body.decode()
    if page >= listing["pagination"]["totalPages"] or page >= 20:
        break
    page += 1
# The server-rendered storefront: each probe product's page (its name in the title, the heading,
# the breadcrumbs, Open Graph and JSON-LD), the home page listing them, and a search for a probe.
searched = probe("\u0301", "search")
pages = ["/", "/admin/", "/search?q=" + urllib.parse.quote(searched)] + [f"/products/{slug}" for slug in slugs]
for path in pages:
    request = urllib.request.Request(BASE + path, headers={"X-Tenant-ID": "demo"})
    with urllib.request.urlopen(request, timeout=60) as response:
        documents[path] = response.read().decode()
expected.append(searched)

created, text = [], ""
for name, document in documents.items():
    parser = Markup()
    parser.feed(document)
    created += [f"{name}: {element}" for element in parser.created]
    text += "\n".join(parser.text)
missing = [value for value in expected if value not in text]
print(f"look-alike: {len(MARKS)} marks before < > \" ' &, {len(orders)} paid orders carrying them, "
      f"{len(documents)} HTML answers parsed; markup created: {len(created)}, values not shown as text: {len(missing)}")
for line in (created + [f"not shown: {html.escape(value)!r}" for value in missing])[:20]:
    print("  ", line)
failed = (1 if created else 0) + (1 if missing else 0)
print(f"look-alike: {2 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
