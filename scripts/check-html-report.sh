#!/usr/bin/env bash
# Checks that the HTML report opens offline: renders it with headless Chromium, with no network
# access the page could use, and checks that it rendered (a screenshot that is not blank, the
# inline SVG charts in the DOM, no reference to anything outside the file).
#
#   scripts/check-html-report.sh [SESSIONS_DIR] [--update-docs]
#
# SESSIONS_DIR defaults to sample-sessions/. --update-docs copies the screenshot to
# docs/report-html.png (the one in the README). Needs chromium (apt-get install -y chromium)
# and python3. Exit 0 when every check passes.
set -euo pipefail

cd "$(dirname "$0")/.."
sessions="sample-sessions"
update_docs=0
height=1500
for arg in "$@"; do
    case "$arg" in
        --update-docs) update_docs=1; height=2300 ;;
        *) sessions="$arg" ;;
    esac
done

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$chromium" ]; then
    echo "check-html-report: chromium not found; install it (apt-get install -y chromium)" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin="${SHADOWMAP_BIN:-}"
if [ -z "$bin" ]; then
    cargo build --quiet
    bin="target/debug/shadowmap"
fi

"$bin" report "$sessions" --by site --format html --out "$work/report.html"
echo "report: $(wc -c <"$work/report.html") bytes"

# 1. Nothing outside the file: no script, no external source, link, import or url(). Links
# within the page (href="#..." from a finding to its step on the map, url(#...) for the map's
# arrowheads) stay in the file and are allowed.
inside_only() { sed -E 's/href="#[^"]*"//g; s/url\(#[^)]*\)//g' "$work/report.html"; }
if inside_only | grep -Eqi '<script|<link|<img|<iframe|src=|href=|@import|url\('; then
    echo "FAIL: the report refers to something outside the file" >&2
    inside_only | grep -Eoi '.{0,40}(<script|<link|<img|<iframe|src=|href=|@import|url\().{0,40}' >&2
    exit 1
fi
if sed 's#http://www.w3.org/2000/svg##g' "$work/report.html" | grep -Eqi 'https?://'; then
    echo "FAIL: the report holds a URL other than the SVG namespace" >&2
    exit 1
fi

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run --disable-extensions
    --disable-default-apps --hide-scrollbars --user-data-dir="$work/profile")
# Where the system allows it, take the network away altogether.
run() {
    if unshare -rn true 2>/dev/null; then
        unshare -rn "$chromium" "$@"
    else
        "$chromium" "$@"
    fi
}

# 2. The parsed DOM holds the four charts, with their bars.
run "${flags[@]}" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log" || {
    echo "FAIL: chromium could not load the report" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
}
# The clinicians' voice: the sample sessions carry questionnaires.
for chart in time-chart deviation-chart cause-chart voice-chart sus-reference; do
    if ! grep -q "class=\"$chart\"" "$work/dom.html"; then
        echo "FAIL: chart $chart is not in the rendered DOM" >&2
        exit 1
    fi
done
rects=$(grep -o '<rect' "$work/dom.html" | wc -l)
echo "rendered DOM: 4 charts and the EHR SUS reference, $rects bars"
[ "$rects" -gt 10 ] || { echo "FAIL: too few bars ($rects)" >&2; exit 1; }

# 3. A screenshot that is not blank.
run "${flags[@]}" --window-size=1200,$height --screenshot="$work/report.png" \
    "file://$work/report.html" >>"$work/chromium.log" 2>&1 || true
if [ ! -s "$work/report.png" ]; then
    echo "FAIL: no screenshot" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
fi
python3 - "$work/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4, 0: 1, 4: 2}[ctype]
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours, coloured_rows, i = set(), 0, 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    row = set(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 4))
    colours |= row
    if len(row) > 1: coloured_rows += 1
    prev = line
print(f"screenshot: {w}x{h}, {len(colours)} colours, {coloured_rows} rows with content")
assert len(colours) >= 8, "the screenshot is blank"
assert coloured_rows >= h // 4, "the screenshot is mostly blank"
PY

if [ "$update_docs" = 1 ]; then
    mkdir -p docs
    cp "$work/report.png" docs/report-html.png
    echo "updated docs/report-html.png"
fi
echo "OK: the HTML report renders offline"
