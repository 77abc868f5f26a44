#!/usr/bin/env python3
"""Resident memory of one folio build over time, with its pipeline steps marked.

Usage: bench/memory_timeline.py BOOK_DIR OUT_DIR [INTERVAL_SECONDS]

Runs `target/release/folio build -d OUT_DIR` in BOOK_DIR with FOLIO_PHASES=1, reads the
process's VmRSS from /proc every INTERVAL (default 0.25 s), and prints one line per
sample ("seconds MB") with the step that ended since the previous sample, then the
peak. A profile of where the memory is held, to read beside FOLIO_PHASES' own lines.
"""

import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resident_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    book, out = sys.argv[1], sys.argv[2]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
    folio = os.path.join(ROOT, "target", "release", "folio")
    env = dict(os.environ, FOLIO_PHASES="1")
    start = time.monotonic()
    process = subprocess.Popen(
        [folio, "build", "-d", out], cwd=book, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    steps = []

    def read_steps():
        for line in process.stderr:
            if line.startswith("[phase]"):
                steps.append((time.monotonic() - start, line.split("peak")[-1].split("MB", 1)[-1].strip()))

    reader = threading.Thread(target=read_steps, daemon=True)
    reader.start()
    peak, shown = 0.0, 0
    while process.poll() is None:
        rss = resident_mb(process.pid)
        if rss is not None:
            peak = max(peak, rss)
            marks = "; ".join(name for _, name in steps[shown:])
            shown = len(steps)
            print(f"{time.monotonic() - start:7.2f} s {rss:7.0f} MB  {marks}")
        time.sleep(interval)
    reader.join()
    print(f"exit {process.returncode}, peak sampled {peak:.0f} MB")


if __name__ == "__main__":
    main()
