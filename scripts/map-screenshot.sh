#!/bin/sh
# The HTML map of the sample sessions, checked offline and photographed with headless Chromium
# for the docs (docs/map.png): the page must reference nothing outside itself, and the browser
# runs with every background network feature off and a fresh profile.
#
#   scripts/map-screenshot.sh [PATHWAY]     (default: med-rec-admission)
#
# Needs chromium (apt-get install -y chromium). Exit 0 when the screenshot is written.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pathway=${1:-med-rec-admission}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
    echo "map-screenshot: chromium not found; install it (apt-get install -y chromium)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --bin shadowmap
target/debug/shadowmap map sample-sessions --pathway "$pathway" --format html --out "$work/map.html"
if grep -Eq '(src|href)="(https?:)?//' "$work/map.html"; then
    echo "map-screenshot: the page references something outside itself" >&2
    exit 1
fi
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=1000,1500 --screenshot="$work/map.png" "file://$work/map.html" 2>/dev/null
test -s "$work/map.png"
cp "$work/map.png" docs/map.png
echo "docs/map.png written"
