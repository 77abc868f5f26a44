#!/usr/bin/env python3
"""serve under slow connections: `folio serve` limited to 1,024 file descriptors
(prlimit), then IDLE connections that each send half a request head and stay open, then
REQUESTS normal requests, one after another; prints the latency of each (median, max).

    python3 bench/serve_slow.py [FOLIO] [BOOK_DIR] [IDLE] [REQUESTS]

Defaults: target/release/folio, the default book, 1100 idle connections, 20 requests.
Loopback only; the run stops by itself."""

import os
import resource
import socket
import statistics
import subprocess
import sys
import time

folio = sys.argv[1] if len(sys.argv) > 1 else "target/release/folio"
book = sys.argv[2] if len(sys.argv) > 2 else "."
idle_count = int(sys.argv[3]) if len(sys.argv) > 3 else 1100
requests = int(sys.argv[4]) if len(sys.argv) > 4 else 20

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))

probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
server = subprocess.Popen(
    ["prlimit", "--nofile=1024", "--", os.path.abspath(folio), "serve", ".", "-p", str(port)],
    cwd=book, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                sys.exit("serve did not start")
            time.sleep(0.1)
    idle = []
    for _ in range(idle_count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: loc")
            idle.append(s)
        except OSError:
            pass
    time.sleep(0.3)
    latencies = []
    for _ in range(requests):
        started = time.time()
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.settimeout(30)
        s.sendall(b"GET /fr/index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        response = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                response += chunk
        except socket.timeout:
            pass
        s.close()
        elapsed = (time.time() - started) * 1000
        ok = response.startswith(b"HTTP/1.1 200")
        latencies.append(elapsed if ok else float("inf"))
    print(f"idle connections opened: {len(idle)}")
    print(f"requests: {requests}, answered 200: {sum(1 for l in latencies if l != float('inf'))}")
    finite = [l for l in latencies if l != float("inf")]
    if finite:
        print(f"latency ms: median {statistics.median(finite):.1f}, max {max(finite):.1f}")
    for s in idle:
        s.close()
finally:
    server.kill()
    server.wait()
