#!/bin/sh
# A screenshot of the Vim package at work: Neovim in tmux (110x30) with tools/editors/vim on its
# runtimepath and 'DAGLOON lsp' as its server, opening screenshot/dagloon.rules (an unknown name
# 'delr' on line 19), waiting for the diagnostic and showing the hover of the rule 'deler'. The
# pane is captured with its colours (tmux capture-pane -e), made HTML by aha and rendered to PNG
# by headless Chromium. Not part of 'make test'.
#   sh tools/editors/screenshot.sh [OUT.png]        (default build/editors/screenshot.png)
#   DAGLOON=/path/to/dagloon sh tools/editors/screenshot.sh
# Without a 'dagloon lsp' the picture shows the highlighting only (and the script says so).
set -eu
ED=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-build/editors/screenshot.png}
DAGLOON=${DAGLOON:-build/dagloon}
case $DAGLOON in /*) ;; *) DAGLOON=$PWD/$DAGLOON ;; esac
for p in tmux nvim aha chromium; do
  command -v $p >/dev/null || { echo "error: $p is needed (Debian: apt-get install tmux neovim aha chromium)" >&2; exit 1; }
done
if LC_ALL=C LANGUAGE= "$DAGLOON" lsp --help 2>&1 | grep -q "unknown command 'lsp'"; then
  echo "note: $DAGLOON has no lsp command: the screenshot shows the highlighting only, no diagnostic or hover" >&2
fi
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
TMP=$(mktemp -d)
SESSION=dagloon-screenshot-$$
trap 'tmux -L "$SESSION" kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
mkdir -p "$TMP/voorbeeld"
cp "$ED/screenshot/dagloon.rules" "$TMP/voorbeeld/dagloon.rules"

tmux -L "$SESSION" -f /dev/null new-session -d -s "$SESSION" -x 110 -y 30 \
  "env TERM=xterm-256color DAGLOON='$DAGLOON' DAGLOON_VIM='$ED/vim' DAGLOON_DONE='$TMP/done' nvim -i NONE -u '$ED/screenshot/init.lua' '$TMP/voorbeeld/dagloon.rules'"
sleep 1
# hover on 'deler' (line 6, column 6 counted from 0), after the diagnostics have come
tmux -L "$SESSION" send-keys -t "$SESSION" ':DagloonShow 6 6' Enter ':DagloonHover' Enter
i=0
while [ ! -f "$TMP/done" ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
[ -f "$TMP/done" ] || echo "warning: Neovim did not finish within 30 s; capturing what it shows" >&2
sleep 0.5
tmux -L "$SESSION" capture-pane -e -p -t "$SESSION" > "$TMP/pane.ansi"
tmux -L "$SESSION" kill-server 2>/dev/null || true

{
  printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
  printf 'body{margin:0;background:#000}pre{margin:8px;font:14px/1.25 "DejaVu Sans Mono",monospace;color:#ddd}'
  printf '</style></head><body><pre>'
  aha --no-header < "$TMP/pane.ansi"
  printf '</pre></body></html>\n'
} > "$TMP/pane.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$TMP/chromium" --hide-scrollbars --window-size=960,560 \
  --screenshot="$OUT" "file://$TMP/pane.html" >/dev/null 2>&1
cp "$TMP/pane.ansi" "${OUT%.png}.ansi"
echo "wrote $OUT (and the captured pane ${OUT%.png}.ansi)"
