#!/usr/bin/env python3
"""The server-rendered storefront against hostile callers: every page with hostile slugs and query
values (the sweep's own values, look-alikes, a 10,000-character search, deep pages), and Host
headers of another shop, of no shop and of junk. Every answer must be a 2xx/3xx or a 4xx HTML page
(never a 5xx, never a JSON envelope on a page), another shop's host must never show this shop's
products, and no answer may carry markup a value created.

    storefront.py BASE_URL
"""
import html
import html.parser
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

from values import LOOKALIKES, TEXT_VALUES

BASE = sys.argv[1]
HOST = urllib.parse.urlparse(BASE).netloc


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def get(path, headers):
    request = urllib.request.Request(BASE + path, headers=headers)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", "replace")


class Created(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.created = []

    def handle_starttag(self, tag, attrs):
        self.created += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("data-lookalike") or name.startswith("data-probe")]


demo = {"X-Tenant-ID": "demo"}
status, _, home = get("/", demo)
if status != 200:
    raise SystemExit(f"the demo home page answered {status}")
product = home.split('href="/products/', 1)[1].split('"', 1)[0]
category = home.split('href="/categories/', 1)[1].split('"', 1)[0]
product_name = home.split(f'href="/products/{product}">', 1)[1].split("<", 1)[0]

values = TEXT_VALUES + LOOKALIKES + ["x" * 10_000, "tea " * 2_500, "%00", "../../etc/passwd", "%2e%2e%2f", "<script>", "\u0301<"]
paths = []
for value in values:
    quoted = urllib.parse.quote(value, safe="")
    paths += [f"/products/{quoted}", f"/categories/{quoted}", f"/search?q={quoted}", f"/sitemaps/{quoted}", f"/pages/{quoted}"]
    for name in ["page", "minPrice", "maxPrice", "sort"]:
        paths += [f"/search?{name}={quoted}", f"/categories/{category}?{name}={quoted}", f"/search?q=tea&{name}={quoted}"]
paths += ["/search?q=e&page=42", "/search?page=41667", "/robots.txt", "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/products-1.xml",
          "/favicon.svg", "/favicon.ico", f"/products/{product}", f"/categories/{category}", "/theme.css", "/pages", "/pages/about"]

failures, answers, created = [], 0, []
hosts = [demo, {"X-Tenant-ID": "spare"}, {"X-Tenant-ID": "no-such-shop"}, {"Host": "no-such-shop.invalid"},
         {"Host": "x" * 300}, {"Host": "spare." + HOST}]
for headers in hosts:
    for path in paths:
        status, content_type, body = get(path, headers)
        answers += 1
        if status >= 500:
            failures.append(f"{status} {path[:80]} {headers}")
        elif status >= 400 and not content_type.startswith("text/html"):
            failures.append(f"{status} answered {content_type!r}, not an HTML page: {path[:80]} {headers}")
        if headers.get("X-Tenant-ID") == "spare" and product_name in body:
            failures.append(f"the spare shop showed a demo product: {path[:80]}")
        if content_type.startswith("text/html"):
            parser = Created()
            parser.feed(body)
            created += [f"{path[:60]}: {element}" for element in parser.created]

# Machine-readable: every URL of the demo shop's sitemap answers 200 with a canonical equal to
# itself, and every product page's JSON-LD parses and offers what the API answers.
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def local(url):
    """A sitemap URL (the shop's public address) asked of the server under test."""
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"


status, _, index = get("/sitemap.xml", demo)
files = [loc.text for loc in ElementTree.fromstring(index).findall("s:sitemap/s:loc", NS)] if status == 200 else []
urls = []
for file in files:
    status, _, body = get(local(file), demo)
    urls += [loc.text for loc in ElementTree.fromstring(body).findall("s:url/s:loc", NS)] if status == 200 else [f"unreadable {file}"]
checked = 0
for url in urls:
    status, _, body = get(local(url), demo)
    checked += 1
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', body)
    if status != 200 or not canonical or html.unescape(canonical.group(1)) != url:
        failures.append(f"sitemap URL {url}: {status}, canonical {canonical.group(1) if canonical else None}")
        continue
    if "/products/" not in url:
        continue
    blocks = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)]
    product = next((b for b in blocks if b.get("@type") == "Product"), None)
    api_status, _, api_body = get("/api/v1/products/" + url.rsplit("/", 1)[1], {**demo, "Accept": "application/json"})
    api = json.loads(api_body)["data"] if api_status == 200 else {}
    offers = {o["sku"]: o for o in (product or {}).get("offers", [])}
    for variant in api.get("variants", []):
        offer = offers.get(variant["sku"])
        expected = "https://schema.org/InStock" if variant["inventory"]["available"] > 0 else "https://schema.org/OutOfStock"
        if not offer or float(offer["price"]) != float(variant["price"]) or offer["priceCurrency"] != api["currency"] or offer["availability"] != expected:
            failures.append(f"{url}: JSON-LD offer {offer} does not match the API's variant {variant['sku']}")
if len(urls) < 2:
    failures.append(f"the sitemap lists {len(urls)} URLs")
print(f"storefront: sitemap {len(files)} files, {checked} URLs, each 200 with its own canonical; product JSON-LD against the API")

print(f"storefront: {len(paths)} addresses × {len(hosts)} hosts = {answers} requests; 5xx or non-HTML errors or leaks: {len(failures)}, "
      f"markup created: {len(created)}")
for line in (failures + created)[:20]:
    print("  ", line)
failed = 1 if failures or created else 0
print(f"storefront: {1 - failed} passed, {failed} failed")
sys.exit(failed)
