#!/usr/bin/env bash
# Renders an imr-audit HTML report in headless Chromium: takes a screenshot
# and checks, in the DOM Chromium built, that the report rendered — the three
# SVG charts with their bars, the sortable letters table with its rows, and
# at least one <mark> in a letter's text — and that clicking a column header
# of the letters table sorts it.
#
# Usage: .ci/html-screenshot.sh REPORT.html OUT.png
#
# Installs Debian's chromium when it is missing (apt-get; needs root). When
# Chromium cannot be had, it says so and why, and exits 0 without checking
# (set IMR_REQUIRE_CHROMIUM=1 to make that a failure, exit 2). Exit 1 when the
# page did not render as expected. Quiet on success unless VERBOSE=1.
set -euo pipefail

usage() { echo "usage: $0 REPORT.html OUT.png" >&2; exit 2; }
[ $# -eq 2 ] || usage
report=$1
out=$2
[ -f "$report" ] || { echo "html-screenshot: $report: no such file" >&2; exit 2; }

say() { if [ "${VERBOSE:-0}" = 1 ]; then echo "html-screenshot: $*" >&2; fi; }
skip() {
  echo "html-screenshot: SKIPPED: $*" >&2
  if [ "${IMR_REQUIRE_CHROMIUM:-0}" = 1 ]; then exit 2; fi
  exit 0
}

find_chromium() {
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}

chromium=$(find_chromium || true)
if [ -z "$chromium" ]; then
  if [ "$(id -u)" != 0 ]; then
    skip "chromium is not installed and installing it needs root (apt-get install chromium)"
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    skip "chromium is not installed and there is no apt-get to install it"
  fi
  say "installing chromium (apt-get)"
  log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    skip "apt-get could not install chromium (see above)"
  fi
  rm -f "$log"
  chromium=$(find_chromium || true)
  [ -n "$chromium" ] || skip "chromium was installed but no chromium binary is on PATH"
fi
say "using $chromium"

abs_report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
mkdir -p "$(dirname "$out")"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-dev-shm-usage --hide-scrollbars)

rm -f "$abs_out"
if ! timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$work/profile-shot" \
      --window-size=1400,2200 --screenshot="$abs_out" "file://$abs_report" \
      >"$work/shot.log" 2>&1; then
  tail -n 20 "$work/shot.log" >&2
  echo "html-screenshot: chromium failed to take the screenshot" >&2
  exit 1
fi
if [ ! -s "$abs_out" ]; then
  tail -n 20 "$work/shot.log" >&2
  echo "html-screenshot: no screenshot was written to $out" >&2
  exit 1
fi
say "screenshot: $out"

# A copy of the report with a probe that clicks the "items" header (a numeric
# column) and records whether the rows came out sorted, so the DOM dump shows
# that the inline sorting script works.
probe='<script>(function(){var r="fail";try{var t=document.getElementById("letters");var th=t.tHead.rows[0].cells[2];th.click();var v=Array.prototype.map.call(t.tBodies[0].rows,function(x){return parseFloat(x.cells[2].getAttribute("data-v"))});var ok=true;for(var i=1;i<v.length;i++){if(v[i-1]>v[i])ok=false;}th.click();var w=Array.prototype.map.call(t.tBodies[0].rows,function(x){return parseFloat(x.cells[2].getAttribute("data-v"))});for(var j=1;j<w.length;j++){if(w[j-1]<w[j])ok=false;}r=ok&&th.getAttribute("aria-sort")==="descending"?"ok":"unsorted";}catch(e){r="error: "+e;}document.body.setAttribute("data-sort-check",r);})();</script>'
probed="$work/probed.html"
python3 - "$abs_report" "$probed" "$probe" <<'PY'
import sys
src, dst, probe = sys.argv[1:]
text = open(src, encoding="utf-8").read()
at = text.rfind("</body>")
open(dst, "w", encoding="utf-8").write(text[:at] + probe + text[at:] if at >= 0 else text + probe)
PY

# --virtual-time-budget lets the scripts run before the DOM is dumped.
if ! timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$work/profile-dom" \
      --virtual-time-budget=2000 --dump-dom "file://$probed" \
      >"$work/dom.html" 2>"$work/dom.log"; then
  tail -n 20 "$work/dom.log" >&2
  echo "html-screenshot: chromium failed to dump the DOM" >&2
  exit 1
fi

python3 - "$work/dom.html" "$abs_out" <<'PY'
import sys
from html.parser import HTMLParser

dom_path, png_path = sys.argv[1], sys.argv[2]

class Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svgs = {}
        self.current_svg = None
        self.marks = 0
        self.evidence_marks = 0
        self.letter_rows = 0
        self.sortable = False
        self.sections = 0
        self.sort_check = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "svg":
            self.current_svg = a.get("id") or f"svg{len(self.svgs)}"
            self.svgs[self.current_svg] = 0
        elif tag == "rect" and self.current_svg and "seg" in cls:
            self.svgs[self.current_svg] += 1
        elif tag == "mark":
            self.marks += 1
            if "ev" in cls and a.get("title"):
                self.evidence_marks += 1
        elif tag == "tr" and "letter-row" in cls:
            self.letter_rows += 1
        elif tag == "table" and a.get("id") == "letters" and "sortable" in cls:
            self.sortable = True
        elif tag == "section" and "letter" in cls:
            self.sections += 1
        elif tag == "body":
            self.sort_check = a.get("data-sort-check")
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.current_svg = None
    def handle_endtag(self, tag):
        if tag == "svg":
            self.current_svg = None

scan = Scan()
with open(dom_path, encoding="utf-8", errors="replace") as f:
    scan.feed(f.read())

problems = []
for chart in ("chart-conflict-rate-by-rule", "chart-findings-by-check", "chart-agreement-by-guideline"):
    if chart not in scan.svgs:
        problems.append(f"no <svg id={chart}> in the DOM")
    elif scan.svgs[chart] == 0:
        problems.append(f"<svg id={chart}> has no bars")
if not scan.sortable:
    problems.append("no sortable letters table")
if scan.letter_rows == 0:
    problems.append("the letters table has no rows")
if scan.letter_rows != scan.sections:
    problems.append(f"{scan.letter_rows} table rows but {scan.sections} letter sections")
if scan.sort_check != "ok":
    problems.append(f"clicking a header did not sort the letters table ({scan.sort_check})")
if scan.evidence_marks == 0:
    problems.append("no evidence <mark> (class ev, with a title) in any letter text")
with open(png_path, "rb") as f:
    if f.read(8) != b"\x89PNG\r\n\x1a\n":
        problems.append("the screenshot is not a PNG")
if problems:
    print("html-screenshot: the report did not render as expected:", file=sys.stderr)
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    sys.exit(1)
PY
say "DOM checked: charts, table and marks present"
