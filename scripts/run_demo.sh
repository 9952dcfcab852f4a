#!/usr/bin/env bash
# Set everything up, then run the main job: a 30-year projection of the demonstration province,
# writing CSVs, an Excel workbook and report.html to ${1:-wifund-out}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime   # the library and its run-time dependencies only, in .venv
out=${1:-wifund-out}
"${WIFUND_VENV:-.venv}/bin/python" -m wifund run --out "$out"
echo "== report: $out/report.html"
