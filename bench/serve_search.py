#!/usr/bin/env python3
"""What search costs `folio serve`: the benchmark's bilingual book under serve with search
on and off; for each, how long the first index takes to be served, memory once idle and
after the edits, and the edit-to-reload latency of EDITS edits PAUSE seconds apart.

    python3 bench/serve_search.py PAGES [--built]

With --built, `folio build` runs first, so serve may keep the index it left.
Environment: EDITS (10), PAUSE (2).
"""

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

pages = int(sys.argv[1])
EDITS = int(os.environ.get("EDITS", "10"))
corpus = os.path.join(run.ROOT, "bench", "out", f"serve-search-{pages}")
if not os.path.isdir(corpus):
    subprocess.run([sys.executable, os.path.join(run.ROOT, "bench", "corpus.py"), str(pages), corpus], check=True)
book = os.path.join(corpus, "bilingual")
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=run.ROOT, check=True)
if "--built" in sys.argv:
    subprocess.run([run.FOLIO, "build", book, "--quiet"], check=True)
config = os.path.join(book, "book.toml")
original = open(config).read()

def measure():
    port = run.free_port()
    log = open(os.path.join(book, "serve.log"), "w")
    server = subprocess.Popen([run.FOLIO, "serve", book, "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/", timeout=1); break
            except OSError:
                time.sleep(0.1)
        started = time.perf_counter()
        ready = None
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/pagefind/pagefind-entry.json", timeout=30); ready = time.perf_counter() - started; break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        idle_mb = run.memory_mb(server.pid, "VmRSS")
        events = urllib.request.urlopen(base + "/__folio/events", timeout=30)
        reloads = []; arrived = threading.Event()
        def listen():
            for line in events:
                if line.startswith(b"event: reload"):
                    reloads.append(time.perf_counter()); arrived.set()
        threading.Thread(target=listen, daemon=True).start()
        page = os.path.join(book, "content", "fr", "ch0001.md")
        latencies = []
        for n in range(EDITS):
            arrived.clear()
            with open(page, "a") as h: h.write(f"\nLigne ajoutée {n}.\n")
            start = time.perf_counter()
            arrived.wait(30)
            latencies.append((reloads[-1] - start) * 1000)
            time.sleep(float(os.environ.get("PAUSE", "2")))
        time.sleep(3)
        after_mb = run.memory_mb(server.pid, "VmRSS"); peak = run.memory_mb(server.pid, "VmHWM")
    finally:
        server.terminate(); server.wait(); log.close()
    logged = [int(m) for m in re.findall(r"Rebuilt in (\d+) ms", open(log.name).read())]
    return {"first_index_s": ready, "idle_mb": idle_mb, "edit_to_reload_ms": statistics.median(latencies),
            "rebuild_ms": statistics.median(logged), "after_edits_mb": after_mb, "peak_mb": peak}

results = {}
for label, extra in [("search on", ""), ("search off", "\n[output.html.search]\nenable = false\n")]:
    open(config, "w").write(original + extra)
    results[label] = measure()
open(config, "w").write(original)
print(json.dumps(results, indent=1))
