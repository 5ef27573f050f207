#!/usr/bin/env bash
# `rules lint` on a generated pack of N distinct rule files (default 10,000),
# each with its own request wording, shared facts and two rule tests: the
# time and peak memory of linting a pack that size.
#
#   bench/lint-pack.sh [BINARY] [N]
set -euo pipefail

bin=${1:-target/release/imr-audit}
n=${2:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    folder = os.path.join(root, "gen", f"g{i // 100:04d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"item-{i:05d}.yaml"), "w") as out:
        out.write(f"""title: Generated item {i}
guideline:
  cites: [mtus.acoem-2004.neck]
  edition: MTUS Neck and Upper Back Complaints 2004
applies_to:
  - '\\bwidget{i:05d}\\b'
recommended_when:
  any:
    - neurological_deficit
    - all: [radiculopathy, failed_conservative_care]
tests:
  - name: deficit, overturned
    request: Widget{i:05d} of the neck
    decision: overturned
    summary: >
      Examination shows decreased sensation in the right C6 dermatome.
    rationale: >
      The request is medically necessary.
    expect: {{verdict: agree, met: [neurological_deficit]}}
  - name: nothing documented, yet overturned
    request: Widget{i:05d} of the neck
    decision: overturned
    expect: {{verdict: conflict}}
""")
PY

echo "rules lint on the embedded pack plus $n generated rule files:"
/usr/bin/time -f "  %e s wall, %U s user, %M KB peak" "$bin" rules lint --rules "$tmp" 2>&1 | tail -2
