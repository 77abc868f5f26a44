#!/usr/bin/env bash
# Lighthouse's accessibility and best-practices scores for the default book's pages, in
# both languages and both colour themes (the book's theme is "auto": the dark run asks
# Chromium for a dark system theme).
#
#   scripts/lighthouse.sh [SITE_DIR]     (default: builds the default book into a temp dir)
#
# Needs Node 20 and npm; installs lighthouse 12.2.3 into ~/.cache/folio-lighthouse the
# first time. Runs the Debian Chromium (CHROME_PATH). Prints one line per page and
# theme, and exits non-zero when a score is under 95.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="$HOME/.cache/folio-lighthouse"
lighthouse="$prefix/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ]; then
  npm install --prefix "$prefix" --no-audit --no-fund --silent lighthouse@12.2.3
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
site="${1:-}"
if [ -z "$site" ]; then
  site="$work/site"
  cargo run --release --quiet -- build -d "$site" --quiet
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
sleep 1

pages=(index.html)
for language in fr en; do
  for page in index.html chapters/02-platform.html appendices/timeline.html runbooks/index.html runbooks/time-api.html; do
    pages+=("$language/$page")
  done
done

lowest=100
printf '%-32s %-6s %14s %15s\n' page theme accessibility best-practices
for theme in light dark; do
  flags="--headless=new --no-sandbox --disable-gpu"
  [ "$theme" = dark ] && flags="$flags --force-dark-mode"
  for page in "${pages[@]}"; do
    report="$work/report.json"
    "$lighthouse" "http://127.0.0.1:$port/$page" --quiet --only-categories=accessibility,best-practices \
      --output=json --output-path="$report" --chrome-flags="$flags" >/dev/null 2>&1
    read -r accessibility practices failed < <(python3 - "$report" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
categories = report["categories"]
failed = [
    audit_id
    for category in categories.values()
    for audit_id in (ref["id"] for ref in category["auditRefs"] if ref.get("weight", 0) > 0)
    if report["audits"][audit_id].get("score") not in (None, 1)
]
print(round(categories["accessibility"]["score"] * 100),
      round(categories["best-practices"]["score"] * 100),
      ",".join(failed) or "-")
EOF
)
    printf '%-32s %-6s %14s %15s  %s\n' "$page" "$theme" "$accessibility" "$practices" "$failed"
    for score in "$accessibility" "$practices"; do
      [ "$score" -lt "$lowest" ] && lowest=$score
    done
  done
done
echo "lowest score: $lowest"
[ "$lowest" -ge 95 ]
