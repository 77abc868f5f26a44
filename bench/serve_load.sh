#!/bin/sh
# folio serve under load: wrk on loopback for DURATION seconds (default 600) against
# PAGES (default 1000) pages of the synthetic bilingual book, while one page is edited
# every second; serve's resident memory is sampled every 10 s.
# Usage: bench/serve_load.sh [DURATION] [PAGES]; needs wrk (Debian package) and python3.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${1:-600}
PAGES=${2:-1000}
OUT="$ROOT/bench/out/serve-load"
BOOK="$OUT/book"
PORT=${PORT:-4610}
mkdir -p "$OUT"
rm -rf "$BOOK"
python3 "$ROOT/bench/corpus.py" "$PAGES" "$OUT/corpus" >/dev/null
cp -r "$OUT/corpus/bilingual" "$BOOK"
(cd "$ROOT" && cargo build --release --quiet)
"$ROOT/target/release/folio" serve "$BOOK" -p "$PORT" > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE $EDITS $SAMPLES 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.2; done
(n=0; while :; do n=$((n + 1)); echo "Ligne $n." >> "$BOOK/content/fr/ch0001.md"; sleep 1; done) &
EDITS=$!
(while :; do ps -o rss= -p "$SERVE"; sleep 10; done > "$OUT/rss.log") &
SAMPLES=$!
cat > "$OUT/pages.lua" <<'LUA'
-- Cycles through pages of both languages, the search-free parts of the site.
local paths = {"/fr/ch0001.html", "/en/ch0500.html", "/fr/index.html", "/en/ch0002.html",
               "/fr/ch0999.html", "/assets/", "/fr/missing.html"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
wrk -t2 -c64 -d"${DURATION}s" --timeout 10s --latency -s "$OUT/pages.lua" \
  "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
echo "rebuilds: $(grep -c 'Rebuilt in' "$OUT/serve.log")"
echo "resident memory (KB), every 10 s: $(tr '\n' ' ' < "$OUT/rss.log")"
