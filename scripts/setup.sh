#!/usr/bin/env bash
# Install everything wifund needs on a bare Debian machine (run as root), then build and install
# the Python package. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential libeigen3-dev libboost-math-dev libboost-random-dev libgtest-dev libgmock-dev
              libbenchmark-dev libnlopt-dev chromium fonts-wqy-microhei
              clang-format postgresql)  # postgresql: the server tests/python/conftest_pg.py starts for the wifund.io tests
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
echo "== pip install -r requirements-dev.txt"
$PY -m pip install -q --disable-pip-version-check -r requirements-dev.txt
echo "== pip install . (builds wifund._core)"
$PY -m pip install -q --disable-pip-version-check --no-build-isolation .
