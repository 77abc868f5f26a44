#!/bin/sh
# Runs every fuzz target for SECONDS (default 600), JOBS at a time (default 2), seeded
# with the default book's pages, SUMMARY.md files and directives; logs in fuzz/logs/.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -eu
cd "$(dirname "$0")"
SECONDS_PER_TARGET=${1:-600}
JOBS=${JOBS:-2}
cargo +nightly fuzz build --release >/dev/null
mkdir -p logs
for target in directive front_matter summary selectors markdown ranges preprocessor_answer; do
  mkdir -p "corpus/$target"
done
find ../content -name SUMMARY.md -exec cp {} corpus/summary/ \; 2>/dev/null || true
i=0
for page in $(find ../content -name '*.md' | sort); do
  i=$((i + 1))
  cp "$page" "corpus/markdown/page-$i"
  cp "$page" "corpus/front_matter/page-$i"
  grep -h '{{#' "$page" > "corpus/directive/line-$i" 2>/dev/null || true
done
printf 'spec.template.spec.containers[0]\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n' > corpus/selectors/yaml
printf '\x01resource.aws_eks_cluster.main\nresource "aws_eks_cluster" "main" {\n  name = "prod1"\n}\n' > corpus/selectors/hcl
printf '\x022:4\na\nb\nc\nd\n' > corpus/selectors/lines
printf '\x02body\n// ANCHOR: body\nx\n// ANCHOR_END: body\n' > corpus/selectors/anchor
printf '2:4\na\nb\nc\nd\n' > corpus/ranges/closed
printf '3:1\na\nb\nc\n' > corpus/ranges/reversed
printf '2-\na\nb\n' > corpus/ranges/open
printf ':18446744073709551615\na\n' > corpus/ranges/huge
printf '{"items":[{"Chapter":{"name":"Intro","content":"# Intro","number":[1],"path":"intro.md","sub_items":[{"Chapter":{"name":"Nested","content":"x","path":"intro/nested.md","sub_items":[]}}]}},"Separator",{"PartTitle":"Part"}]}' > corpus/preprocessor_answer/items
printf '{"sections":[{"Chapter":{"name":"Intro","content":"","path":"intro.md","sub_items":[]}}],"__non_exhaustive":null}' > corpus/preprocessor_answer/sections
printf 'null' > corpus/preprocessor_answer/null
run() {
  cargo +nightly fuzz run --release "$1" "corpus/$1" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -print_final_stats=1 \
    > "logs/$1.log" 2>&1
  echo "$1: exit $?"
}
running=0
for target in markdown selectors ranges directive front_matter summary preprocessor_answer; do
  run "$target" &
  running=$((running + 1))
  if [ "$running" -eq "$JOBS" ]; then wait; running=0; fi
done
wait
grep -H -E "stat::number_of_executed_units|stat::average_exec_per_sec|SUMMARY|ERROR" logs/*.log || true
