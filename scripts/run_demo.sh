#!/usr/bin/env bash
# Set everything up, then run the main job: a 30-year projection of the demonstration province,
# writing CSVs, an Excel workbook and report.html to ${1:-wifund-out}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=${1:-wifund-out}
python3 -m wifund run --out "$out"
echo "== report: $out/report.html"
