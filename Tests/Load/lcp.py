#!/usr/bin/env python3
"""Largest Contentful Paint of storefront pages in headless Chromium, read from the browser's own
PerformanceObserver (issue 38's "≤ 1.0 s on loopback"). Each page is loaded ROUNDS times (default
5) in a fresh tab with the cache cleared; prints each page's median and worst.

    /usr/bin/python3 Tests/Load/lcp.py BASE_URL [PATH ...]     (default: /, a category, a product, a search)
"""
import os
import statistics
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BASE = sys.argv[1].rstrip("/")
ROUNDS = int(os.environ.get("ROUNDS", "5"))
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(BASE + "/")
    paths = sys.argv[2:] or ["/", driver.find_element("css selector", "main nav.tabs a").get_attribute("pathname"),
                             driver.find_element("css selector", ".product-card h2 a").get_attribute("pathname"), "/search?q=mug"]
    for path in paths:
        samples = []
        for _ in range(ROUNDS):
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            driver.get(BASE + path)
            lcp = driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                new PerformanceObserver((list) => { const entries = list.getEntries(); done(entries[entries.length - 1].startTime); })
                  .observe({ type: 'largest-contentful-paint', buffered: true });""")
            samples.append(lcp)
        print(f"{path:<50} LCP median {statistics.median(samples):7.1f} ms, worst {max(samples):7.1f} ms ({ROUNDS} loads, cache cleared)")
finally:
    driver.quit()
