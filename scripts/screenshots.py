#!/usr/bin/env python3
"""Screenshots of a built site as a reader sees it, for before/after comparisons.

    python3 scripts/screenshots.py SITE_DIR OUT_DIR [LANG]

Serves SITE_DIR over HTTP, drives the Debian Chromium through chromedriver (WebDriver,
no Python package needed) and writes PNGs to OUT_DIR: the landing page, a chapter with
code and footnotes, search results for a word (typed into the search box, as a reader
would), the same chapter on a phone, and the chapter and runbook board in dark mode.
"""

import base64
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}").get("value")


class Session:
    """One headless Chromium window."""

    def __init__(self, driver, width, height, phone=False):
        options = {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={width},{height}", "--hide-scrollbars"],
        }
        if phone:
            options["mobileEmulation"] = {"deviceMetrics": {
                "width": width, "height": height, "pixelRatio": 1, "touch": True}}
        capabilities = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}}
        self.driver = driver
        self.id = call("POST", f"{driver}/session", capabilities)["sessionId"]
        self.base = f"{driver}/session/{self.id}"

    def open(self, url):
        call("POST", f"{self.base}/url", {"url": url})

    def run(self, script, *args):
        return call("POST", f"{self.base}/execute/sync", {"script": script, "args": list(args)})

    def keys(self, css, text):
        element = call("POST", f"{self.base}/element", {"using": "css selector", "value": css})
        key = next(iter(element.values()))
        call("POST", f"{self.base}/element/{key}/value", {"text": text})

    def wait(self, script, seconds=15):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.run(script):
                return True
            time.sleep(0.2)
        return False

    def shot(self, path):
        png = call("GET", f"{self.base}/screenshot")
        with open(path, "wb") as out:
            out.write(base64.b64decode(png))
        print(path)

    def close(self):
        call("DELETE", self.base)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    site, out = sys.argv[1], sys.argv[2]
    lang = sys.argv[3] if len(sys.argv) > 3 else "fr"
    os.makedirs(out, exist_ok=True)
    port = free_port()
    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver_port = free_port()
    driver = subprocess.Popen(["chromedriver", f"--port={driver_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    driver_url = f"http://127.0.0.1:{driver_port}"
    base = f"http://127.0.0.1:{port}/{lang}/"
    chapter = base + "chapters/02-platform.html"
    try:
        desktop = Session(driver_url, 1280, 900)
        desktop.open(base + "index.html")
        desktop.shot(f"{out}/landing.png")
        desktop.open(chapter)
        desktop.shot(f"{out}/chapter.png")
        desktop.keys(".search input", "terraform")
        found = desktop.wait("return document.querySelectorAll("
                             "'.search-result, .pagefind-ui__result').length > 0")
        time.sleep(0.5)
        desktop.shot(f"{out}/search{'' if found else '-no-results'}.png")
        desktop.run("localStorage.setItem('folio-theme', 'dark')")
        desktop.open(chapter)
        desktop.shot(f"{out}/chapter-dark.png")
        desktop.open(base + "runbooks/index.html")
        desktop.shot(f"{out}/board-dark.png")
        desktop.run("localStorage.removeItem('folio-theme')")
        desktop.close()
        phone = Session(driver_url, 390, 844, phone=True)
        phone.open(chapter)
        phone.shot(f"{out}/phone-chapter.png")
        phone.open(base + "runbooks/index.html")
        phone.shot(f"{out}/phone-board.png")
        phone.close()
    finally:
        driver.terminate()
        server.shutdown()


if __name__ == "__main__":
    main()
