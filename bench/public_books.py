#!/usr/bin/env python3
"""mdBook and folio side by side on public mdBook books, as a new user would run them.

    python3 bench/public_books.py BOOKS_DIR [BOOK ...]

BOOKS_DIR holds one checkout per book (fetched repositories, never committed here); a
BOOK is a directory name of it, or NAME/SUBDIR when book.toml is not at its root
(`PyO3+pyo3/guide`). Without BOOKs, every book.toml found at most two levels down.

Each book is built cold, where it is, into a new temporary directory: `mdbook build`
(MDBOOK, default `mdbook` on PATH) and `folio build --allow-preprocessors` (FOLIO,
default target/release/folio), with the same environment (EXTRA_ENV, `A=1,B=2`, added to
both: `MDBOOK_BOOK__LANGUAGE=fr` builds a translation). For each: the exit status, the
HTML pages written, the pages where a `{{#` directive reached the reader as text (outside
code), the warnings each printed, wall time and peak memory (GNU time). A markdown table
on standard output; each tool's log in bench/out/public-books/.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.environ.get("FOLIO", os.path.join(ROOT, "target", "release", "folio"))
MDBOOK = os.environ.get("MDBOOK", "mdbook")
LOGS = os.path.join(ROOT, "bench", "out", "public-books")
TIMEOUT = int(os.environ.get("TIMEOUT", "1800"))

CODE = re.compile(r"(?s)<(code|pre|script|style)\b.*?</\1>")
HEAD = re.compile(r"(?s)<head>.*?</head>")
# mdBook logs `WARN`, folio `warning[...]`.
WARNING = re.compile(r"^(warning\[|\S* ?WARN |.*\bWARN\b)", re.M)


def books(directory, names):
    if names:
        return names
    found = []
    for name in sorted(os.listdir(directory)):
        top = os.path.join(directory, name)
        below = sorted(os.listdir(top)) if os.path.isdir(top) else []
        for candidate in ["", *below]:
            if os.path.isfile(os.path.join(top, candidate, "book.toml")):
                found.append(os.path.join(name, candidate).rstrip("/"))
                break
    return found


def run(command, cwd, environment, log):
    timed = ["/usr/bin/time", "-f", "__time %e %M"] + command
    try:
        done = subprocess.run(timed, cwd=cwd, env=environment, capture_output=True,
                              text=True, timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        return {"exit": "timeout", "seconds": TIMEOUT, "peak_mb": 0, "warnings": 0}
    output = done.stdout + done.stderr
    with open(log, "w") as out:
        out.write(output)
    seconds, peak = 0.0, 0
    for line in output.splitlines():
        if line.startswith("__time "):
            _, seconds, peak = line.split()
    return {
        "exit": done.returncode,
        "seconds": float(seconds),
        "peak_mb": int(peak) / 1024,
        "warnings": len(WARNING.findall(output)),
    }


def pages(site):
    """HTML pages written (print and 404 pages included), and those showing `{{#`."""
    count, raw = 0, 0
    for directory, _, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            count += 1
            with open(os.path.join(directory, name), errors="replace") as page:
                text = CODE.sub("", HEAD.sub("", page.read()))
            raw += "{{#" in text
    return count, raw


def site_of(out):
    """Where a build into `out` put its HTML: `out/html` beside other renderers."""
    html = os.path.join(out, "html")
    return html if os.path.isdir(html) else out


def measure(directory, book, environment):
    root = os.path.join(directory, book)
    results = {}
    for tool in ["mdbook", "folio"]:
        work = tempfile.mkdtemp(prefix=f"{tool}-")
        try:
            out = os.path.join(work, "out")
            command = ([MDBOOK, "build", "-d", out] if tool == "mdbook"
                       else [FOLIO, "build", "-d", out, "--allow-preprocessors"])
            log = os.path.join(LOGS, f"{book.replace('/', '_')}.{tool}.log")
            result = run(command, root, environment, log)
            result["pages"], result["raw"] = pages(site_of(out)) if os.path.isdir(out) else (0, 0)
            results[tool] = result
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    os.makedirs(LOGS, exist_ok=True)
    environment = dict(os.environ)
    for pair in filter(None, os.environ.get("EXTRA_ENV", "").split(",")):
        name, value = pair.split("=", 1)
        environment[name] = value
    print("| book | tool | exit | pages | `{{#` shown | warnings | time | peak |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for book in books(directory, sys.argv[2:]):
        results = measure(directory, book, environment)
        for tool, result in results.items():
            print(f"| {book} | {tool} | {result['exit']} | {result['pages']} | {result['raw']} | "
                  f"{result['warnings']} | {result['seconds']:.2f} s | {result['peak_mb']:.0f} MB |",
                  flush=True)


if __name__ == "__main__":
    main()
