#!/usr/bin/env python3
"""folio against mdBook and Hugo on synthetic books.

Usage: bench/run.py [PAGES ...]      (default: 1000 5000)
Environment: RUNS (default 5, median taken), EDITS (serve edits, default 30),
             MDBOOK (default: mdbook on PATH or ~/.cargo/bin/mdbook),
             SKIP_MDBOOK_ABOVE (pages; mdBook is not run above it, default: never skip),
             PEER_NOOP (0: mdBook's and Hugo's no-op rebuilds are not measured; default 1),
             SERVE (0: serve's incremental rebuild is not measured; default 1).

For each PAGES it generates the corpus with bench/corpus.py, then measures with GNU time
(wall time and peak resident memory): cold folio build and cold mdBook build of the same
single-language book, folio's bilingual build, the no-op rebuild of both, and, for the
first PAGES, folio serve's one-page incremental rebuild (edit to reload event, and the
rebuild time serve logs). Hugo (`hugo` on PATH, Debian's package) builds the same English
pages as a Hugo site (bench/corpus.py's hugo/), cold and again. Prints a table with ratios
and writes bench/out/results.json.
"""

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.path.join(ROOT, "target", "release", "folio")
RUNS = int(os.environ.get("RUNS", "5"))
EDITS = int(os.environ.get("EDITS", "30"))
SKIP_MDBOOK_ABOVE = int(os.environ.get("SKIP_MDBOOK_ABOVE", "0"))
PEER_NOOP = os.environ.get("PEER_NOOP", "1") != "0"
SERVE = os.environ.get("SERVE", "1") != "0"


def find_mdbook():
    candidates = [os.environ.get("MDBOOK"), shutil.which("mdbook")]
    candidates.append(os.path.expanduser("~/.cargo/bin/mdbook"))
    return next((c for c in candidates if c and os.path.exists(c)), None)


def timed(command, cwd):
    """Wall seconds and peak RSS (MB) of one run, through GNU time."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M"] + command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def measure(command, cwd, before=None):
    """Median seconds and the highest peak memory over RUNS runs."""
    times, peaks = [], []
    for _ in range(RUNS):
        if before:
            before()
        seconds, megabytes = timed(command, cwd)
        times.append(seconds)
        peaks.append(megabytes)
    return {"seconds": statistics.median(times), "peak_mb": max(peaks), "runs": times}


def remover(*paths):
    return lambda: [shutil.rmtree(p, ignore_errors=True) for p in paths]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_incremental(book):
    """Edit one page EDITS times under folio serve; time each edit to its reload event."""
    port = free_port()
    log = open(os.path.join(book, "serve.log"), "w")
    server = subprocess.Popen(
        [FOLIO, "serve", book, "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/__folio/events", timeout=30)
        reloads = []
        arrived = threading.Event()

        def listen():
            for line in events:
                if line.startswith(b"event: reload"):
                    reloads.append(time.perf_counter())
                    arrived.set()

        threading.Thread(target=listen, daemon=True).start()
        page = os.path.join(book, "content", "fr", f"ch{1:04}.md")
        latencies = []
        for n in range(EDITS):
            arrived.clear()
            with open(page, "a", encoding="utf-8") as handle:
                handle.write(f"\nLigne ajoutée {n}.\n")
            start = time.perf_counter()
            if not arrived.wait(30):
                sys.exit("no reload event within 30 s")
            latencies.append((reloads[-1] - start) * 1000)
            time.sleep(0.3)
        resident = memory_mb(server.pid, "VmRSS")
        peak = memory_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait()
        log.close()
    logged = [int(m) for m in re.findall(r"Rebuilt in (\d+) ms", open(log.name).read())]
    pages = sum(
        len([name for name in files if name.endswith(".md") and name != "SUMMARY.md"])
        for _, _, files in os.walk(os.path.join(book, "content"))
    )
    return {
        "edit_to_reload_ms": statistics.median(latencies),
        "rebuild_ms": statistics.median(logged) if logged else None,
        "edits": EDITS,
        "resident_mb": resident,
        "peak_mb": peak,
        "pages": pages,
    }


def memory_mb(pid, field):
    """A /proc/PID/status memory field (VmRSS: resident now, VmHWM: peak), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None


def ratio(slow, fast):
    return round(slow / fast, 1) if slow and fast else None


def main():
    pages_list = [int(p) for p in sys.argv[1:]] or [1000, 5000]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    mdbook = find_mdbook()
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "folio": version([FOLIO, "--version"]),
        "mdbook": version([mdbook, "--version"]) if mdbook else None,
        "hugo": version(["hugo", "version"]),
        "runs": RUNS,
        "books": [],
    }
    work = tempfile.mkdtemp(prefix="folio-bench-")
    try:
        for index, pages in enumerate(pages_list):
            corpus = os.path.join(work, str(pages))
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "corpus.py"), str(pages), corpus], check=True)
            single, bilingual = os.path.join(corpus, "single"), os.path.join(corpus, "bilingual")
            row = {"pages": pages}
            folio_out = os.path.join(single, "out-folio")
            row["folio_cold"] = measure([FOLIO, "build", single, "-d", folio_out], single, remover(folio_out))
            row["folio_noop"] = measure([FOLIO, "build", single, "-d", folio_out], single)
            bi_out = os.path.join(bilingual, "out")
            row["folio_bilingual_cold"] = measure([FOLIO, "build", bilingual, "-d", bi_out], bilingual, remover(bi_out))
            if mdbook and not (SKIP_MDBOOK_ABOVE and pages > SKIP_MDBOOK_ABOVE):
                md_out = os.path.join(single, "out-mdbook")
                row["mdbook_cold"] = measure([mdbook, "build", "-d", md_out], single, remover(md_out))
                if PEER_NOOP:
                    row["mdbook_noop"] = measure([mdbook, "build", "-d", md_out], single)
            if shutil.which("hugo"):
                site = os.path.join(corpus, "hugo")
                hugo_out = os.path.join(site, "public")
                command = ["hugo", "--quiet", "-s", site, "-d", hugo_out]
                row["hugo_cold"] = measure(command, site, remover(hugo_out, os.path.join(site, "resources")))
                if PEER_NOOP:
                    row["hugo_noop"] = measure(command, site)
            if index == 0 and SERVE:
                row["serve"] = serve_incremental(bilingual)
            results["books"].append(row)
            shutil.rmtree(corpus, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    print(f"\nwritten: {os.path.relpath(os.path.join(out, 'results.json'), ROOT)}")


def print_table(results):
    print(f"{results['date']} · {results['machine']}")
    print(f"{results['folio']} · {results['mdbook']} · hugo: {results['hugo'] or 'not installed'} · median of {results['runs']} runs\n")
    print("| pages | build | folio s | folio MB | mdBook s | mdBook MB | mdBook / folio | Hugo s | Hugo MB | Hugo / folio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results["books"]:
        for label, folio_key, mdbook_key, hugo_key in (
            ("cold, one language", "folio_cold", "mdbook_cold", "hugo_cold"),
            ("no-op rebuild", "folio_noop", "mdbook_noop", "hugo_noop"),
            ("cold, bilingual", "folio_bilingual_cold", None, None),
        ):
            folio = row[folio_key]
            cells = ""
            for key in (mdbook_key, hugo_key):
                peer = row.get(key) if key else None
                cells += (
                    f" {peer['seconds']:.2f} | {peer['peak_mb']:.0f} | {ratio(peer['seconds'], folio['seconds'])}x |"
                    if peer
                    else " - | - | - |"
                )
            print(f"| {row['pages']} | {label} | {folio['seconds']:.2f} | {folio['peak_mb']:.0f} |" + cells)
        if "serve" in row:
            serve = row["serve"]
            print(
                f"| {row['pages']} | serve, one page edited ({serve['edits']} edits) | "
                f"edit to reload {serve['edit_to_reload_ms']:.0f} ms, rebuild {serve['rebuild_ms']} ms; "
                f"serve holds {serve['resident_mb']:.0f} MB ({serve['resident_mb'] * 1024 / serve['pages']:.0f} KB per page), "
                f"peak {serve['peak_mb']:.0f} MB | | | | |"
            )
    books = results["books"]
    if len(books) > 1:
        first, last = books[0], books[-1]
        growth = last["folio_cold"]["seconds"] / first["folio_cold"]["seconds"]
        print(f"\nfolio cold build, {last['pages']} vs {first['pages']} pages: {growth:.2f}x the time")


if __name__ == "__main__":
    main()
