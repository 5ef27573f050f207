#!/usr/bin/env bash
# Time against the number of items in one letter: a letter built from
# samples/lumbar-xray-upheld.txt with its one item repeated N times (each
# with its own request wording, guideline and rationale), run in every
# format. Linear means 2,000 items take about twice as long as 1,000.
#
#   bench/items-scaling.sh [BINARY] [N1 N2 ...]
set -euo pipefail

bin=${1:-target/release/imr-audit}
shift || true
counts=${*:-500 1000 2000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for n in $counts; do
    python3 - "$here/samples/lumbar-xray-upheld.txt" "$tmp/items-$n.txt" "$n" <<'PY'
import sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(src, encoding="utf-8").read()
head, rest = text.split("X-ray L-spine (lower back), full including bending views: Upheld", 1)
block = "X-ray L-spine (lower back), full including bending views: Upheld" + rest
items = [block.replace("bending views", f"bending views, set {i}") for i in range(n)]
open(out, "w", encoding="utf-8").write(head + "\n\n".join(items))
PY
done

printf '%-8s' items
for format in human json sarif html junit csv ndjson; do printf '%10s' "$format"; done
echo
for n in $counts; do
    printf '%-8s' "$n"
    for format in human json sarif html junit csv ndjson; do
        start=$(date +%s.%N)
        "$bin" check --format "$format" --no-progress "$tmp/items-$n.txt" > /dev/null 2>&1 || true
        end=$(date +%s.%N)
        printf '%9.2fs' "$(echo "$end - $start" | bc)"
    done
    echo
done
