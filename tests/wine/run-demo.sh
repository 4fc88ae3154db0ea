#!/usr/bin/env bash
# Publishes the clusterpool tool for win-x64 (self-contained, as a Windows server without .NET gets it) and runs its demo
# under Wine, in a Windows 10 prefix of its own: tests/wine/run-demo.sh [PROCESSES] [SCALE].
# Needs Debian's wine64 (apt-get install wine64). WindowsUnderWineTests does the same from the test suite.
set -euo pipefail
processes="${1:-4}" scale="${2:-0.1}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all DOTNET_EnableWriteXorExecute=0   # .NET's W^X mappings do not work under Wine
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wine >/dev/null || { echo "Wine is not installed: apt-get install wine64" >&2; exit 1; }
dotnet publish "$repo/src/Cli" -c Release -r win-x64 --self-contained -p:ClusterPoolReadyToRun=false -o "$work/win" -nologo -v quiet
wineboot --init
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentVersion /d 10.0 /f >/dev/null
wine "$work/win/ClusterPool.Cli.exe" demo --processes "$processes" --scale "$scale"
