#!/usr/bin/env bash
# Takes docs/dashboard.png again: the finance sample on 3 worker processes with the dashboard on, one worker killed
# mid-run (what it held runs again), and headless Chromium's picture of the page 25 s in. Build first:
# dotnet build Cluster.sln -c Release. Needs Debian's chromium. Stops everything it starts, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/dashboard.png}"
work="$(mktemp -d)"
port=8265
set -m # the sample gets its own process group: Ctrl+C-like SIGINT reaches it, and it is killed whole on the way out
dotnet src/Cli/bin/Release/net10.0/ClusterPool.Cli.dll sample finance --companies 3000 --work-ms 60 --processes 3 \
  --db "$work/results.db" --dashboard "127.0.0.1:$port" >"$work/sample.out" 2>"$work/sample.err" &
sample=$!
cleanup() { kill -INT "$sample" 2>/dev/null || true; sleep 3; kill -KILL -- "-$sample" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
sleep 15
victim="$(pgrep -P "$sample" -f clusterpool-worker | head -1)"
kill -KILL "$victim"
sleep 10
chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
  --user-data-dir="$work/profile" --virtual-time-budget=3000 --window-size=1280,900 --screenshot="$(realpath -m "$out")" \
  "http://127.0.0.1:$port/" 2>/dev/null
echo "wrote $out"
