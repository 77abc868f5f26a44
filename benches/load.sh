#!/usr/bin/env bash
# Load check of `folio serve` (bounded in time, loopback only): wrk requests a chapter
# for DURATION seconds while a page of the book is edited every second, so the server
# rebuilds throughout. Prints wrk's summary; errors and non-2xx responses must be zero.
# Usage: benches/load.sh [DURATION]   (needs wrk: apt-get install wrk)
set -euo pipefail
duration=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $server $editor 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$root/book.toml" "$root/content" "$root/infra" "$work/"
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/target/release/folio" serve "$work" -p "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" > /dev/null && break; sleep 0.1; done
(
  for n in $(seq "$duration"); do
    printf '\nLigne ajoutée pendant le test de charge %s.\n' "$n" >> "$work/content/fr/chapters/02-platform.md"
    sleep 1
  done
) &
editor=$!
wrk -t2 -c32 -d"${duration}s" --latency "http://127.0.0.1:$port/fr/chapters/02-platform.html"
wait $editor || true
echo "rebuilds during the run: $(grep -c 'Rebuilt in' "$work/serve.log")"
