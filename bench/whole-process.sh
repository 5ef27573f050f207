#!/usr/bin/env bash
# Whole-process figures on distinct real letters, beside ripgrep and cat on
# the same files in the same run: CPU per letter, wall, peak memory, and the
# one-letter latency (pack load included).
#
#   bench/whole-process.sh [NEW_BINARY] [OLD_BINARY]
#
# LETTERS (default ../shared/letters/real) holds the letters. CPU per letter
# is (CPU for all N letters - CPU for one letter) / (N - 1), so start-up is
# not spread over the letters. MEMORY=1000,50000 also runs `check -j 2` on
# the letters replicated to those counts (memory flatness only: replicated
# letters are cheaper than distinct ones, never use them for CPU).
set -euo pipefail

new=${1:-target/release/imr-audit}
old=${2:-}
letters=${LETTERS:-../shared/letters/real}
if [ ! -d "$letters" ]; then
    echo "no letters at $letters (set LETTERS): nothing to measure" >&2
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t files < <(find "$letters" -maxdepth 1 -name '*.txt' | sort)
n=${#files[@]}
first=${files[0]}

# Patterns for ripgrep (or grep -E): every fact pattern of the pack.
python3 - "$tmp/patterns" <<'EOF'
import pathlib, re, sys
out = []
for path in sorted(pathlib.Path("rules").rglob("*.yaml")):
    inside = False
    for line in path.read_text().splitlines():
        if re.match(r"\s*(absent_)?patterns:\s*$", line):
            inside = True
            continue
        m = re.match(r"\s*- '(.*)'\s*$", line)
        if inside and m:
            # rg reads every line as one alternative: names would clash.
            out.append(re.sub(r"\(\?P<\w+>", "(?:", m.group(1).replace("''", "'")))
        elif line.strip():
            inside = False
pathlib.Path(sys.argv[1]).write_text("\n".join(out) + "\n")
EOF
npat=$(wc -l < "$tmp/patterns")

# Runs a command; prints "user+sys wall peakKB".
measure() {
    /usr/bin/time -f "%U %S %e %M" -o "$tmp/time" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$tmp/time" | awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4}'
}

row() {
    local name=$1
    shift
    read -r cpu_all wall_all rss_all < <(measure "$@" "${files[@]}")
    read -r cpu_one wall_one rss_one < <(measure "$@" "$first")
    awk -v name="$name" -v n="$n" -v ca="$cpu_all" -v wa="$wall_all" -v ra="$rss_all" \
        -v co="$cpu_one" -v wo="$wall_one" \
        'BEGIN { printf "%-28s %10.2f %10.2f %10.1f %12.0f %10.3f\n", name, (ca - co) / (n - 1) * 1000, ca, wa, ra / 1024, wo }'
}

echo "$n distinct letters in $letters ($(cat "${files[@]}" | wc -c) bytes); $npat patterns for rg/grep"
printf "%-28s %10s %10s %10s %12s %10s\n" "run" "CPU ms/ltr" "CPU s" "wall s" "peak MiB" "1 ltr s"
row "imr-audit (this build)" "$new" check --format json --no-progress -o "$tmp/out.json"
if [ -n "$old" ]; then
    row "imr-audit (before)" "$old" check --format json --no-progress -o "$tmp/old.json"
fi
if command -v rg > /dev/null; then
    row "rg -i -f patterns" rg -i -c -f "$tmp/patterns"
else
    echo "(ripgrep not installed: grep -E with the same patterns)"
    row "grep -E -i -f patterns" grep -E -i -c -f "$tmp/patterns"
fi
row "cat" cat

# One letter alone, for each letter: the latency a user checking one letter
# sees (pack load, patterns compiled for that letter, report).
one_each() {
    local name=$1
    shift
    for f in "${files[@]}"; do
        measure "$@" "$f"
    done | awk '{print $2}' | sort -n | awk -v name="$name" '
        { w[NR] = $1 }
        END { printf "%-28s one letter alone, wall: median %.3f s, slowest %.3f s (%d letters)\n", name, w[int((NR + 1) / 2)], w[NR], NR }'
}
echo
one_each "imr-audit (this build)" "$new" check --format json --no-progress -o "$tmp/one.json"
if [ -n "$old" ]; then
    one_each "imr-audit (before)" "$old" check --format json --no-progress -o "$tmp/one.json"
fi

if [ -n "${MEMORY:-}" ]; then
    echo
    echo "peak memory, check -j 2 on replicated letters"
    for count in ${MEMORY//,/ }; do
        dir="$tmp/rep-$count"
        mkdir -p "$dir"
        for ((i = 0; i < count; i++)); do
            ln -s "$(realpath "${files[i % n]}")" "$dir/$i.txt"
        done
        read -r cpu wall rss < <(measure "$new" check "$dir" --format ndjson -j 2 --no-progress -o "$tmp/rep.ndjson")
        printf "%8d letters: %8.1f MiB peak, %8.1f s CPU, %8.1f s wall\n" "$count" "$((rss / 1024))" "$cpu" "$wall"
        rm -rf "$dir"
    done
fi
